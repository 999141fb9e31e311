import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GpiodGpio } from '../../drivers/gpio/gpiod-gpio.js';

/**
 * Seeing what an output does, from outside the gateway process.
 *
 * Virtual rig: the gateway runs its real gpiod driver, with fake libgpiod tools first on its
 * PATH (same approach as drivers/gpio/gpiod-gpio.int.test.ts). The fake `gpioset` appends
 * "<line> <level>" to a log when the gateway drives a line and "<line> released" when its stdin
 * ends — which is what happens when the gateway dies (v1 --mode=wait, gpiod-cli.ts): a relay
 * drops out when the power goes. The log is the wire the harness reads back.
 *
 * Bench rig: the output's contact is wired back to an input the harness watches with gpiomon
 * (drivers/gpio/gpiod-gpio.ts), or a person looks (operator read-back, in the rig drivers).
 */
export interface LevelEvent {
  /** performance.now() when the harness saw it. */
  at: number;
  active: boolean;
}

export interface OutputProbe {
  /** Every change seen, oldest first (virtual: also every re-drive of a pattern). */
  events(): LevelEvent[];
  close(): Promise<void>;
}

/** v1 tools: `--mode=wait` holds the line until stdin ends, so a SIGKILLed gateway releases it. */
const FAKE_GPIOSET = `#!/bin/sh
if [ "$1" = "--version" ]; then echo "gpioset (libgpiod) v1.6.3"; exit 0; fi
for a; do last=$a; done
line=\${last%%=*}
level=\${last#*=}
echo "$line $level" >> "$VIGIL_HIL_GPIO_LOG"
read _
echo "$line released" >> "$VIGIL_HIL_GPIO_LOG"
`;

export interface FakeGpiod {
  /** The chip path for the site file's outputs.driver (a plain file: the driver checks it exists). */
  chip: string;
  /** Environment for the gateway process: the fake tools first on PATH, the log's path. */
  env: NodeJS.ProcessEnv;
  /** A probe for one line (activeLow as in the site file). */
  probe(line: number, activeLow: boolean): OutputProbe;
}

export function installFakeGpiod(dir: string): FakeGpiod {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = join(dir, 'gpio-lines.log');
  const chip = join(dir, 'gpiochip-virtual');
  writeFileSync(log, '');
  writeFileSync(chip, '');
  writeFileSync(join(bin, 'gpioset'), FAKE_GPIOSET);
  chmodSync(join(bin, 'gpioset'), 0o755);
  // Read the log once for all probes; each read appends only the new lines.
  const seen: { line: number; level: 0 | 1 | null; at: number }[] = [];
  let offset = 0;
  const refresh = (): void => {
    const text = readFileSync(log, 'utf8');
    const complete = text.slice(offset, text.lastIndexOf('\n') + 1);
    offset += complete.length; // the log is ASCII: characters are bytes
    const at = performance.now();
    for (const row of complete.split('\n')) {
      const m = /^(\d+) (0|1|released)$/.exec(row);
      if (m) seen.push({ line: Number(m[1]), level: m[2] === 'released' ? null : (Number(m[2]) as 0 | 1), at });
    }
  };
  return {
    chip,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, VIGIL_HIL_GPIO_LOG: log },
    probe: (line, activeLow) => ({
      events: () => {
        refresh();
        // A released line is not driven: the relay is de-energised whatever activeLow says.
        return seen.filter((s) => s.line === line).map((s) => ({ at: s.at, active: s.level !== null && (s.level === 1) !== activeLow }));
      },
      close: async () => undefined,
    }),
  };
}

/** A relay contact wired back to an input on the harness's GPIO chip, watched with gpiomon. */
export async function gpioInputProbe(chip: string, line: number, activeLow: boolean): Promise<OutputProbe> {
  const gpio = new GpiodGpio({ chip });
  await gpio.open();
  const events: LevelEvent[] = [];
  const input = gpio.input(line, { bias: activeLow ? 'pull-up' : 'pull-down', debounceMs: 20 }, (level) => events.push({ at: performance.now(), active: (level === 1) !== activeLow }));
  events.push({ at: performance.now(), active: (input.read() === 1) !== activeLow });
  return { events: () => [...events], close: () => gpio.close() };
}
