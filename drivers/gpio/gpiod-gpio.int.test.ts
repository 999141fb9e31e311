import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GpiodGpio, type GpiodGpioOptions } from './gpiod-gpio.js';
import { isGpioFault } from './gpio-fault.js';
import type { Level } from './gpio.js';

/**
 * GpiodGpio against fake gpioset/gpiomon/gpioget scripts first on PATH (no GPIO on the CI
 * machine). Each fake logs its argv; gpioset holds "its line" until SIGTERM — and in v1's
 * --mode=wait until its stdin ends, as the real one — or fails like a busy line when a marker
 * file says so; gpiomon
 * streams the lines a test appends to an events file, as the real one prints edges.
 */
const GPIOSET = `#!/bin/sh
echo "gpioset $$ $*" >> "$FAKE_GPIOD_DIR/log"
if [ "$1" = "--version" ]; then echo "gpioset (libgpiod) v$FAKE_GPIOD_VERSION"; exit 0; fi
for a; do last=$a; done
line=\${last%%=*}
if [ -e "$FAKE_GPIOD_DIR/busy-$line" ]; then echo "gpioset: error setting the GPIO line values: Device or resource busy" >&2; exit 1; fi
echo $$ > "$FAKE_GPIOD_DIR/pid-$line"
case "$1" in
  --mode=wait) read _ ; exit 0 ;;  # v1 --mode=wait: getchar() returns on newline or EOF
  *) exec sleep 1000 ;;            # v2: holds until killed
esac
`;
const GPIOMON = `#!/bin/sh
echo "gpiomon $$ $*" >> "$FAKE_GPIOD_DIR/log"
for a; do last=$a; done
touch "$FAKE_GPIOD_DIR/events-$last"
exec tail -n +1 -f "$FAKE_GPIOD_DIR/events-$last"
`;
const GPIOGET = `#!/bin/sh
echo "gpioget $$ $*" >> "$FAKE_GPIOD_DIR/log"
for a; do last=$a; done
case "$FAKE_GPIOD_VERSION" in 2*) echo "\\"$last\\"=active";; *) echo 1;; esac
`;

let dir: string;
let gpio: GpiodGpio | undefined;

function setup(version = '1.6.3', over: Partial<GpiodGpioOptions> = {}, tools = { gpioset: GPIOSET, gpiomon: GPIOMON, gpioget: GPIOGET }) {
  const bin = join(dir, 'bin');
  const dev = join(dir, 'dev');
  mkdirSync(bin, { recursive: true });
  mkdirSync(dev, { recursive: true });
  writeFileSync(join(dir, 'log'), '');
  writeFileSync(join(dev, 'gpiochip0'), '');
  for (const [name, text] of Object.entries(tools)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_GPIOD_DIR: dir, FAKE_GPIOD_VERSION: version };
  gpio = new GpiodGpio({ chip: 'gpiochip0', env, devDir: dev, retryMs: 100, settleMs: 50, ...over });
  return gpio;
}

/** argv lines the fakes logged, without their pids. */
function log(tool?: string): string[] {
  return readFileSync(join(dir, 'log'), 'utf8')
    .split('\n')
    .filter((l) => l && (!tool || l.startsWith(`${tool} `)))
    .map((l) => l.replace(/^(\S+) \d+ /, '$1 '));
}

function pidOf(line: number): number {
  return Number(readFileSync(join(dir, `pid-${line}`), 'utf8').trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, what: string, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-gpiod-'));
});

afterEach(async () => {
  await gpio?.close();
  gpio = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('GpiodGpio (libgpiod tools, faked on PATH)', () => {
  it('v1: holds an output with gpioset --mode=wait and replaces the child on a level change', async () => {
    const g = setup('1.6.3');
    await g.open();
    expect(g.description).toBe('gpiod gpiochip0 (libgpiod 1.6.3)');
    const out = g.output(17, 0);
    await waitFor(() => existsSync(join(dir, 'pid-17')), 'the first gpioset');
    const first = pidOf(17);
    out.write(1); // returns at once: the alarm path never waits on the child
    expect(out.read()).toBe(1);
    await waitFor(() => pidOf(17) !== first, 'the second gpioset');
    expect(log('gpioset')).toEqual(['gpioset --version', 'gpioset --mode=wait gpiochip0 17=0', 'gpioset --mode=wait gpiochip0 17=1']);
    expect(alive(first)).toBe(false); // the old child released the line before the new one requested it
    expect(alive(pidOf(17))).toBe(true);
    expect(out.fault?.()).toBeNull();
  });

  it('v2: uses the --chip syntax', async () => {
    const g = setup('2.2.1');
    await g.open();
    g.output(17, 1);
    await waitFor(() => log('gpioset').length === 2, 'gpioset');
    expect(log('gpioset')[1]).toBe('gpioset --chip gpiochip0 17=1');
  });

  it('coalesces writes made while a child is being replaced: the last level wins', async () => {
    const g = setup();
    await g.open();
    const out = g.output(17, 0);
    await waitFor(() => existsSync(join(dir, 'pid-17')), 'gpioset');
    out.write(1);
    out.write(0);
    out.write(1);
    await waitFor(() => log('gpioset').at(-1) === 'gpioset --mode=wait gpiochip0 17=1', 'the final level');
    await new Promise((r) => setTimeout(r, 100));
    expect(log('gpioset')).toEqual(['gpioset --version', 'gpioset --mode=wait gpiochip0 17=0', 'gpioset --mode=wait gpiochip0 17=1']);
  });

  it('a gpioset that dies is a fault naming the line, and is restarted', async () => {
    const g = setup();
    await g.open();
    const faults: Error[] = [];
    g.onFault((e) => faults.push(e));
    const out = g.output(17, 1);
    await waitFor(() => existsSync(join(dir, 'pid-17')), 'gpioset');
    const first = pidOf(17);
    process.kill(first, 'SIGKILL');
    await waitFor(() => faults.length === 1, 'the fault');
    expect(isGpioFault(faults[0]) && faults[0].line).toBe(17);
    expect(faults[0]!.message).toBe('output line 17 on gpiochip0: gpioset was killed by SIGKILL');
    expect(out.fault?.()?.message).toMatch(/killed by SIGKILL/);
    await waitFor(() => pidOf(17) !== first, 'the restart'); // after retryMs
    await waitFor(() => out.fault?.() === null, 'the fault to clear'); // after settleMs
    expect(log('gpioset').at(-1)).toBe('gpioset --mode=wait gpiochip0 17=1');
  });

  it('a line another process holds is a fault quoting gpioset, reported once while it persists', async () => {
    const g = setup();
    await g.open();
    writeFileSync(join(dir, 'busy-18'), '');
    const faults: Error[] = [];
    g.onFault((e) => faults.push(e));
    const out = g.output(18, 0);
    await waitFor(() => faults.length === 1, 'the fault');
    expect(faults[0]!.message).toBe('output line 18 on gpiochip0: gpioset exited with code 1: "gpioset: error setting the GPIO line values: Device or resource busy"');
    await waitFor(() => log('gpioset').length >= 4, 'two retries');
    expect(faults).toHaveLength(1);
    rmSync(join(dir, 'busy-18'));
    await waitFor(() => out.fault?.() === null, 'recovery');
  });

  it('streams input edges from gpiomon (after reading the start level with gpioget) and debounces them', async () => {
    const g = setup();
    await g.open();
    const seen: Level[] = [];
    const input = g.input(5, { bias: 'pull-up', debounceMs: 20 }, (l) => seen.push(l));
    await waitFor(() => log('gpiomon').length === 1, 'gpiomon');
    expect(log('gpioget')).toEqual(['gpioget --bias=pull-up gpiochip0 5']);
    expect(log('gpiomon')).toEqual(['gpiomon --bias=pull-up --line-buffered --format=%o %e gpiochip0 5']);
    expect(input.read()).toBe(1);
    appendFileSync(join(dir, 'events-5'), '5 0\n5 1\n5 0\n'); // a press with contact bounce
    await waitFor(() => seen.length === 1, 'the press');
    appendFileSync(join(dir, 'events-5'), '5 1\n');
    await waitFor(() => seen.length === 2, 'the release');
    expect(seen).toEqual([0, 1]);
  });

  it('refuses to open without the chip, without the tools, or with an unknown version', async () => {
    await expect(setup('1.6.3', { chip: 'gpiochip9' }).open()).rejects.toThrow(
      /outputs.driver.chip "gpiochip9": .*\/dev\/gpiochip9 does not exist \(chips here: gpiochip0\)/,
    );
    await expect(setup('1.4.1').open()).rejects.toThrow(/libgpiod 1.4.1 is too old/);
    const none = setup('1.6.3', { env: { PATH: join(dir, 'nothing-here') } });
    await expect(none.open()).rejects.toThrow(/gpioset is not installed \(not found on PATH\): install the libgpiod tools, e.g. `apt-get install gpiod`/);
  });

  it('close() ends every child', async () => {
    const g = setup();
    await g.open();
    g.output(17, 1);
    g.input(5, { bias: 'pull-up', debounceMs: 0 }, () => undefined);
    await waitFor(() => existsSync(join(dir, 'pid-17')) && log('gpiomon').length === 1, 'the children');
    const pid = pidOf(17);
    await g.close();
    expect(alive(pid)).toBe(false);
    expect(() => g.output(18, 0)).toThrow(/open\(\) before requesting line 18/);
  });
});
