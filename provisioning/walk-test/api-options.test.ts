import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { initCommand } from '../commands/init.js';
import { walkTestCommand, type WalkTestFlags } from '../commands/walk-test.js';
import { accessFromSite, readTokenFile } from './api-options.js';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-api-options-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real site file and secrets file, as `vigil init` writes them for an installer. */
async function initSite(): Promise<{ file: string; secrets: string }> {
  const dir = scratch();
  const file = join(dir, 'site.yaml');
  const code = await initCommand(file, { template: 'small-gas', siteId: 'plant-7' }, { log: () => undefined, error: (l) => { throw new Error(l); }, interactive: false, ask: () => Promise.resolve('') });
  expect(code).toBe(0);
  return { file, secrets: readFileSync(join(dir, 'site.secrets.yaml'), 'utf8') };
}

const tokenOf = (secrets: string, key: string): string => new RegExp(`^${key}: "([^"]+)"$`, 'm').exec(secrets)![1]!;

describe('--config SITE --user NAME', () => {
  it('resolves the user\'s token through the secrets file and the API address from the site file', async () => {
    const { file, secrets } = await initSite();
    expect(accessFromSite(file, 'safety-officer')).toEqual({ api: 'http://127.0.0.1:8080', token: tokenOf(secrets, 'api_token_safety_officer') });
    expect(accessFromSite(file, 'duty-room').token).toBe(tokenOf(secrets, 'api_token_duty_room'));
  });

  it('a wildcard bind is reached on loopback', async () => {
    const { file } = await initSite();
    writeFileSync(file, readFileSync(file, 'utf8').replace('  bind: 127.0.0.1\n  port: 8080', '  bind: 0.0.0.0\n  port: 8181'));
    expect(accessFromSite(file, 'duty-room').api).toBe('http://127.0.0.1:8181');
  });

  it('an unknown user is named with the users the site has', async () => {
    const { file } = await initSite();
    expect(() => accessFromSite(file, 'wang.wei')).toThrow(`--user "wang.wei": no such user in ${file} (its users are duty-room, safety-officer)`);
  });

  it('a site file that does not load says where, and that the tokens cannot be read', async () => {
    const { file } = await initSite();
    writeFileSync(join(file, '..', 'site.secrets.yaml'), 'api_token_duty_room: "only-this-one-0123456"\n', { mode: 0o600 });
    expect(() => accessFromSite(file, 'duty-room')).toThrow(/^--config .*site\.yaml: the site file does not load, so its users' tokens cannot be read:\n {2}.*site\.yaml:\d+:\d+ api\.users\[1\]\.token\.secret: key "api_token_safety_officer" is not in the secrets file/);
  });
});

describe('--token-file FILE', () => {
  it('takes exactly one token, and says what is wrong otherwise', () => {
    const dir = scratch();
    const f = join(dir, 'token');
    writeFileSync(f, 'abc123def456ghi789\n');
    expect(readTokenFile(f)).toBe('abc123def456ghi789');
    writeFileSync(f, '\n');
    expect(() => readTokenFile(f)).toThrow(`--token-file ${f}: must hold exactly one token (one of api.users' tokens), it is empty`);
    writeFileSync(f, 'two words\n');
    expect(() => readTokenFile(f)).toThrow(/it holds several words$/);
    expect(() => readTokenFile(join(dir, 'nope'))).toThrow(/^--token-file .*nope: cannot read it \(ENOENT/);
  });
});

describe('vigil walk-test: who acts', () => {
  const base: WalkTestFlags = { installer: 'Wang Wei', out: 'unused.json', outputSeconds: 5, detectorTimeout: 120, yes: true };
  async function run(flags: Partial<WalkTestFlags>): Promise<{ code: number; err: string[] }> {
    const err: string[] = [];
    const code = await walkTestCommand({ ...base, ...flags }, { log: () => undefined, error: (l) => err.push(l), interactive: false });
    return { code, err };
  }

  it('refuses to start without someone to act as, and names both ways', async () => {
    const r = await run({});
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('who is testing? give --config SITE --user NAME (your api.users entry) or --token-file FILE');
  });

  it('refuses both ways at once, and half of --config/--user', async () => {
    expect((await run({ tokenFile: 't', config: 'site.yaml', user: 'x' })).err.join('\n')).toContain('--token-file and --config/--user: give one of them, not both');
    expect((await run({ config: 'site.yaml' })).err.join('\n')).toContain('--config and --user go together: --user NAME is missing');
    expect((await run({ user: 'li.na' })).err.join('\n')).toContain('--config and --user go together: --config SITE is missing');
  });
});
