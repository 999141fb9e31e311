/**
 * Writing what `vigil init` produced: the site file and its secrets file (mode 0600). Nothing is
 * overwritten without --force, and nothing at all is written when either file is in the way, so
 * a site file never ends up beside someone else's secrets.
 */
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** "site.yaml" → "site.secrets.yaml": the secrets file belongs visibly to its site file. */
export function secretsNameFor(siteFile: string): string {
  const ext = extname(siteFile);
  return `${basename(siteFile, ext)}.secrets${ext === '' ? '.yaml' : ext}`;
}

export interface InitFiles {
  siteFile: string;
  siteText: string;
  secretsFile: string;
  secretsText: string;
}

/** Problems that stop the write, each naming the file; empty when both files may be written. */
export function writeProblems(files: InitFiles, force: boolean): string[] {
  const dir = dirname(resolve(files.siteFile));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [`${files.siteFile}: directory ${dir} does not exist; create it first`];
  const out: string[] = [];
  for (const f of [files.siteFile, files.secretsFile]) {
    if (!existsSync(f)) continue;
    if (statSync(f).isDirectory()) out.push(`${f}: is a directory`);
    else if (!force) out.push(`${f}: already exists; vigil init never overwrites a file unless you pass --force`);
  }
  return out;
}

/** Writes both files (check writeProblems first). The secrets file is created afresh with mode 0600. */
export function writeInitFiles(files: InitFiles, force: boolean): void {
  // `mode` applies only to a new file: an old one (perhaps world-readable) is removed first.
  if (force) rmSync(files.secretsFile, { force: true });
  writeFileSync(files.secretsFile, files.secretsText, { mode: 0o600, flag: 'wx' });
  writeFileSync(files.siteFile, files.siteText, { flag: force ? 'w' : 'wx' });
}

/** The secrets file path beside the site file. */
export function secretsPathFor(siteFile: string): string {
  return join(dirname(siteFile), secretsNameFor(siteFile));
}
