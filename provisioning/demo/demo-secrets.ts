import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO } from './demo-site.js';

export interface DemoSecrets {
  /** The secrets file the demo site file names (mode 0600). */
  secretsFile: string;
  /**
   * The demo user's `Authorization: Bearer …` header in a mode-0600 file, for `curl -H @file`:
   * the token does not appear on a command line, where `ps` would show it (docs/api.md).
   */
  authHeaderFile: string;
}

/**
 * Writes the demo's secrets next to its site file: a fresh random API token for the demo user on
 * every run (nothing to guess, nothing reused from a checked-in example), readable by the owner only.
 */
export function writeDemoSecrets(dir: string): DemoSecrets {
  // 18 random bytes = 24 base64url characters, above MIN_TOKEN_LENGTH (gateway/config/secrets.ts).
  const token = randomBytes(18).toString('base64url');
  const secretsFile = join(dir, DEMO.secretsFile);
  const authHeaderFile = join(dir, 'api-auth.header');
  writePrivate(
    secretsFile,
    `# Written by \`vigil demo\` on every run: the demo user's API token (site.yaml api.users).\n${DEMO.tokenKey}: "${token}"\n`,
  );
  writePrivate(authHeaderFile, `Authorization: Bearer ${token}\n`);
  return { secretsFile, authHeaderFile };
}

/**
 * Created afresh with mode 0600 (`mode` applies only to a new file): a file left by an earlier
 * run, perhaps with a wider mode, is removed first, so the token is never in a readable file.
 */
function writePrivate(file: string, text: string): void {
  rmSync(file, { force: true });
  writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
}
