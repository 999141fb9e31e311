import { readFileSync } from 'node:fs';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';

/**
 * The options every installer command that talks to a running gateway shares: `--api URL` (its
 * local HTTP API) and who acts — `--token-file FILE` (a file holding one of api.users' tokens)
 * or `--config SITE --user NAME` (that user's token, read from the site's secrets file). Never
 * the token on the command line, where `ps` would show it.
 */
export function parseApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--api: "${value}" is not a URL; use e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--api: "${value}" must be http:// or https://`);
  return url.origin;
}

export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`--token-file ${file}: cannot read it (${e instanceof Error ? e.message : String(e)})`);
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token)) throw new Error(`--token-file ${file}: must hold exactly one token (one of api.users' tokens), ${token === '' ? 'it is empty' : 'it holds several words'}`);
  return token;
}

export interface SiteApiAccess {
  /** The gateway's API as the site file configures it (a wildcard bind is reached on loopback). */
  api: string;
  token: string;
}

/**
 * `--config SITE --user NAME`: the token of api.users NAME, resolved through the site file's
 * secrets reference exactly as the gateway resolves it, and the API address the site file sets.
 */
export function accessFromSite(file: string, user: string): SiteApiAccess {
  const r = loadSiteConfig(file);
  if (!r.ok) {
    const shown = r.problems.slice(0, 5).map((p) => `  ${formatProblem(p)}`);
    const more = r.problems.length > shown.length ? [`  … and ${r.problems.length - shown.length} more (vigil validate ${file})`] : [];
    throw new Error([`--config ${file}: the site file does not load, so its users' tokens cannot be read:`, ...shown, ...more].join('\n'));
  }
  const users = r.secrets.apiUsers ?? [];
  const found = users.find((u) => u.name === user);
  if (!found) {
    const known = users.length ? `its users are ${users.map((u) => u.name).join(', ')}` : 'it names no api.users';
    throw new Error(`--user ${JSON.stringify(user)}: no such user in ${file} (${known})`);
  }
  const { bind, port } = r.config.api;
  const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
  return { api: `http://${host}:${port}`, token: found.token };
}
