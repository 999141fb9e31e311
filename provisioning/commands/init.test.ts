import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { initCommand, type InitFlags } from './init.js';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-init-cmd-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function run(file: string, flags: InitFlags, opts: { interactive?: boolean; answers?: string[] } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const answers = [...(opts.answers ?? [])];
  const code = await initCommand(file, flags, {
    log: (l) => out.push(l),
    error: (l) => err.push(l),
    interactive: opts.interactive ?? false,
    ask: () => Promise.resolve(answers.shift() ?? ''),
  });
  return { code, out, err };
}

describe('vigil init', () => {
  it('without --template and without a terminal: fails naming the flags, writes nothing', async () => {
    const file = join(scratch(), 'site.yaml');
    const r = await run(file, {});
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/^vigil init: no --template, and no terminal to ask on\. Pass the answers as flags:\n {2}vigil init .*site\.yaml --template <small-gas\|major-hazard\|electrical-fire\|fire-panel-bridge> \[--site-id ID\]/);
    expect(existsSync(file)).toBe(false);
  });

  it('writes the site file and its 0600 secrets file, then prints the next steps', async () => {
    const dir = scratch();
    const file = join(dir, 'plant.yaml');
    const r = await run(file, { template: 'electrical-fire', siteId: 'mall-3' });
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(readFileSync(file, 'utf8')).toMatch(/^# Vigil site file: electrical-fire monitoring\./);
    expect(statSync(join(dir, 'plant.secrets.yaml')).mode & 0o777).toBe(0o600);
    expect(r.out[0]).toBe(`Wrote ${file} (template electrical-fire) and ${join(dir, 'plant.secrets.yaml')} (mode 0600: API tokens; keep it private).`);
    expect(r.out.slice(2)).toEqual([
      'Next:',
      `  1. Edit the devices in ${file}: names, unit ids and profiles as installed, and any set point that differs from the profile's`,
      '  2. vigil scan — find the devices on each RS-485 line and their unit ids',
      `  3. vigil validate ${file} — every problem with its line, and the bus budget of each line`,
      `  4. vigil run --config ${file} — start the gateway`,
    ]);
  });

  it('never overwrites without --force — not even the secrets file beside a new site file', async () => {
    const dir = scratch();
    const file = join(dir, 'site.yaml');
    writeFileSync(join(dir, 'site.secrets.yaml'), 'api_token_duty_room: "keep-me-keep-me-keep-me"\n');
    const r = await run(file, { template: 'small-gas' });
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`vigil init: ${join(dir, 'site.secrets.yaml')}: already exists; vigil init never overwrites a file unless you pass --force`, 'vigil init: nothing written']);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(join(dir, 'site.secrets.yaml'), 'utf8')).toContain('keep-me');
  });

  it('--force replaces both, and a secrets file that was world-readable comes back 0600', async () => {
    const dir = scratch();
    const file = join(dir, 'site.yaml');
    writeFileSync(file, 'old\n');
    writeFileSync(join(dir, 'site.secrets.yaml'), 'old\n');
    chmodSync(join(dir, 'site.secrets.yaml'), 0o644);
    const r = await run(file, { template: 'small-gas', force: true });
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# Vigil site file: small gas site\./);
    expect(statSync(join(dir, 'site.secrets.yaml')).mode & 0o777).toBe(0o600);
  });

  it('on a terminal without --template it asks, then writes what was answered', async () => {
    const file = join(scratch(), 'site.yaml');
    const r = await run(file, {}, { interactive: true, answers: ['fire-panel-bridge', 'tower-a', '', 'gw-2', '', '', '', '10.1.2.3:6000'] });
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('  id: tower-a\n');
    expect(text).toContain('centre: { host: 10.1.2.3, port: 6000 }');
  });

  it('answers that make the example devices not fit are written, and the problem is shown in validate\'s words', async () => {
    const file = join(scratch(), 'site.yaml');
    const r = await run(file, { template: 'small-gas', baud: '1200' });
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(r.err[0]).toBe(`vigil init: ${file} as written does not pass vigil validate yet; change this before you use it:`);
    expect(r.err[1]).toMatch(/^ {2}.*site\.yaml:\d+:\d+ buses\[0\]: bus "rs485-1" cannot keep up: needs [\d.]+ s of line time per second at 1200 baud .*raise baudRate to 2400/);
  });

  it('Ctrl+D at a question stops without writing anything', async () => {
    const file = join(scratch(), 'site.yaml');
    const err: string[] = [];
    const abort = () => Promise.reject(Object.assign(new Error('Aborted with Ctrl+D'), { name: 'AbortError' }));
    const code = await initCommand(file, {}, { log: () => undefined, error: (l) => err.push(l), interactive: true, ask: abort });
    expect(code).toBe(1);
    expect(err.at(-1)).toBe('vigil init: stopped before every question was answered; nothing written');
    expect(existsSync(file)).toBe(false);
  });

  it('a bad flag: every problem, nothing written', async () => {
    const file = join(scratch(), 'site.yaml');
    const r = await run(file, { template: 'small-gas', baud: '96000' });
    expect(r.code).toBe(1);
    expect(r.err).toEqual(['vigil init: --baud: "96000" is not a baud rate; one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200', 'vigil init: nothing written']);
    expect(existsSync(file)).toBe(false);
  });
});
