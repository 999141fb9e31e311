import type { GpioInputOptions, Level } from './gpio.js';

/**
 * The command lines of libgpiod's tools (Debian/Raspberry Pi OS package `gpiod`), for the two
 * CLI generations in the field. Pure functions, table-tested; gpiod-gpio.ts spawns them.
 *
 * v1 (libgpiod 1.5/1.6 — Debian 12 bookworm ships 1.6.3, Raspberry Pi OS bookworm too):
 *   gpioset --mode=wait <chip> <line>=<v>       holds the line until a newline or EOF on stdin
 *                                                (its source: getchar()), or a signal. Our stdin
 *                                                pipe closes when the gateway dies, however it
 *                                                dies, so no orphan keeps the line busy (EBUSY) for
 *                                                the restarted gateway. (--mode=signal would.)
 *   gpiomon --bias=<b> --line-buffered --format='%o %e' <chip> <line>
 *                                                streams edges; %e is 1 rising, 0 falling. Without
 *                                                --line-buffered its stdout into a pipe is block
 *                                                buffered and presses arrive late or never.
 *   gpioget --bias=<b> <chip> <line>            prints 0 or 1
 *   Bias values: as-is | disable | pull-down | pull-up (1.5+; 1.4 has no --bias at all).
 *   Careful: in v1 `-b` is --line-buffered (gpiomon) or --background (gpioset).
 *
 * v2 (libgpiod 2.x — Debian 13 trixie ships 2.2.1, Raspberry Pi OS trixie too):
 *   gpioset --chip <chip> <line>=<v>             holds the line until killed (no --mode any more,
 *                                                and it does not read stdin: after a SIGKILL of
 *                                                the gateway only systemd's cgroup clean-up —
 *                                                KillMode=control-group, the default — ends it)
 *   gpiomon --chip <chip> --bias <b> --edges both --format '%o %e' <line>
 *                                                flushes stdout after every batch of events; %e is
 *                                                1 for rising, and 0 or 2 for falling depending on
 *                                                the 2.x release (later ones print the enum value)
 *   gpioget --chip <chip> --bias <b> <line>      prints `"17"=active` / `"17"=inactive`
 *   Bias values: pull-up | pull-down | disabled. In v2 `-b` is --bias.
 * Long options only, so the one-letter clashes between the generations cannot bite.
 */
export type GpiodCliGeneration = 'v1' | 'v2';

export interface GpiodVersion {
  generation: GpiodCliGeneration;
  /** e.g. "1.6.3" */
  version: string;
}

/**
 * Reads `gpioset --version` output ("gpioset (libgpiod) v1.6.3" / "gpioset (libgpiod) v2.2.1").
 * Refuses anything we have not written the command lines for, saying what was found.
 */
export function parseGpiodVersion(output: string): GpiodVersion {
  const m = /libgpiod\)?\s+v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(output) ?? /\bv(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!m) {
    throw new Error(`cannot read the libgpiod version from "gpioset --version" (it printed ${JSON.stringify(output.trim().slice(0, 200))})`);
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const version = `${m[1]}.${m[2]}${m[3] !== undefined ? `.${m[3]}` : ''}`;
  if (major === 1 && minor >= 5) return { generation: 'v1', version };
  if (major === 2) return { generation: 'v2', version };
  if (major === 1) {
    throw new Error(
      `libgpiod ${version} is too old: its tools have no --bias option (needed for button inputs). ` +
        'Vigil supports libgpiod 1.5–1.6 (Debian 12 bookworm) and 2.x (Debian 13 trixie)',
    );
  }
  throw new Error(`libgpiod ${version} is not supported: Vigil knows the command lines of libgpiod 1.5–1.6 and 2.x`);
}

export function gpiosetArgs(gen: GpiodCliGeneration, chip: string, line: number, level: Level): string[] {
  return gen === 'v1' ? ['--mode=wait', chip, `${line}=${level}`] : ['--chip', chip, `${line}=${level}`];
}

export function gpiomonArgs(gen: GpiodCliGeneration, chip: string, line: number, bias: GpioInputOptions['bias']): string[] {
  return gen === 'v1'
    ? [`--bias=${v1Bias(bias)}`, '--line-buffered', '--format=%o %e', chip, String(line)]
    : ['--chip', chip, '--bias', bias, '--edges', 'both', '--format', '%o %e', String(line)];
}

export function gpiogetArgs(gen: GpiodCliGeneration, chip: string, line: number, bias: GpioInputOptions['bias']): string[] {
  return gen === 'v1' ? [`--bias=${v1Bias(bias)}`, chip, String(line)] : ['--chip', chip, '--bias', bias, String(line)];
}

function v1Bias(bias: GpioInputOptions['bias']): string {
  return bias === 'disabled' ? 'disable' : bias;
}

/** One gpiomon output line "17 1" → the line and its new level; null for anything else. */
export function parseGpiomonEvent(text: string): { line: number; level: Level } | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return null;
  // 1 is a rising edge in every version; falling is 0 (v1, early v2) or 2 (later v2's enum value).
  return { line: Number(m[1]), level: m[2] === '1' ? 1 : 0 };
}

/** gpioget's answer: "1" (v1) or `"17"=active` (v2) → the level; null if unreadable. */
export function parseGpiogetLevel(text: string): Level | null {
  const t = text.trim();
  if (/=\s*inactive\b/.test(t)) return 0;
  if (/=\s*active\b/.test(t)) return 1;
  if (/^[01]$/.test(t)) return t === '1' ? 1 : 0;
  return null;
}

/**
 * Where a chip's character device lives. libgpiod accepts a number ("0"), a name ("gpiochip0")
 * or a path ("/dev/gpiochip0"). On a Raspberry Pi 5 with kernel ≥ 6.6 the 40-pin header is
 * gpiochip0 (it was gpiochip4 on earlier Pi 5 kernels); `gpioinfo` lists what a board has.
 */
export function chipDevicePath(chip: string, devDir = '/dev'): string {
  if (chip.startsWith('/')) return chip;
  if (/^\d+$/.test(chip)) return `${devDir}/gpiochip${chip}`;
  return `${devDir}/${chip}`;
}
