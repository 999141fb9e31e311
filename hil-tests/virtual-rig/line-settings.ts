/**
 * Line-settings emulation for an RTU bus of the virtual rig: the simulated devices answer only
 * when the master's port is set to THEIR baud rate and parity, as real devices do (at a wrong
 * setting a real slave sees garbage and stays silent). `vigil scan` is tested with it: it must
 * find devices at an unusual setting by sweeping, not by being told.
 *
 * A pty carries no line, so the rig looks at the master's end itself: on each request addressed
 * to one of its devices it reads the termios of the gateway end of the pty pair (`stty -F`), which
 * the master's serialport set when it opened the port. What Linux keeps of it: the speed and the
 * PARODD and CSTOPB flags. PARENB is always cleared on a pty (drivers/tty/pty.c,
 * pty_set_termios), so even and none cannot be told apart by the parity flag; the rig uses the
 * Modbus framing rule instead — a character is 11 bits, so no parity means 2 stop bits (Modbus
 * over Serial Line V1.02 §2.5.1): PARODD set → odd; else CSTOPB set → none; else even. A master
 * that opens 8N1 (non-compliant) therefore looks like 8E1 to the rig; the scanner and the gateway
 * follow the rule, so they are judged correctly. Stop bits are not compared otherwise: a UART
 * receiver checks only the first stop bit.
 *
 * The check costs one `stty` process (~3 ms) per request to a present device; requests to absent
 * unit ids are not checked (nobody would answer them anyway).
 */
import { execFileSync } from 'node:child_process';
import type { RtuFrame } from './rtu-framing.js';
import { WIRE_BAUD_RATES, type Parity } from './wire-time.js';

export interface LineSettings {
  baudRate: number;
  parity: Parity;
}

/** The settings a master has put on its end of the pty, or undefined if they cannot be read (unplugged). */
export function readMasterSettings(gatewayPath: string): LineSettings | undefined {
  let text: string;
  try {
    text = execFileSync('stty', ['-F', gatewayPath, '-a'], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  return parseStty(text);
}

/** Parses `stty -a` output (GNU coreutils): "speed 19200 baud; …" and the flag words. */
export function parseStty(text: string): LineSettings | undefined {
  const speed = /speed (\d+) baud/.exec(text);
  if (!speed) return undefined;
  const flags = new Set(text.split(/\s+/));
  const parity: Parity = flags.has('parenb') ? (flags.has('parodd') ? 'odd' : 'even') : flags.has('parodd') ? 'odd' : flags.has('cstopb') ? 'none' : 'even';
  return { baudRate: Number(speed[1]), parity };
}

/**
 * A filter for the RTU slave: true when the line's devices hear this frame, i.e. the master's
 * port is at the devices' settings. Counts what it ignored, for tests.
 */
export function lineSettingsGate(
  gatewayPath: string,
  settings: LineSettings,
  devices: { has(unitId: number): boolean },
  read: (path: string) => LineSettings | undefined = readMasterSettings,
): { hears(frame: RtuFrame): boolean; readonly ignored: number } {
  let ignored = 0;
  return {
    hears(frame) {
      if (frame.unitId !== 0 && !devices.has(frame.unitId)) return true;
      const m = read(gatewayPath);
      const ok = m !== undefined && m.baudRate === settings.baudRate && m.parity === settings.parity;
      if (!ok) ignored++;
      return ok;
    },
    get ignored() {
      return ignored;
    },
  };
}

/** Problems with a bus spec's `lineSettings`, each naming where and what. */
export function checkLineSettings(at: string, value: unknown, busBaudRate: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}.lineSettings: ${JSON.stringify(value)} is not an object like { baudRate: 19200, parity: 'none' }`];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(v)) if (k !== 'baudRate' && k !== 'parity') problems.push(`${at}.lineSettings.${k}: unknown field (known: baudRate, parity)`);
  if (!(WIRE_BAUD_RATES as readonly unknown[]).includes(v.baudRate)) problems.push(`${at}.lineSettings.baudRate: ${JSON.stringify(v.baudRate)} is not one of ${WIRE_BAUD_RATES.join(', ')}`);
  else if (busBaudRate !== undefined && busBaudRate !== v.baudRate) problems.push(`${at}.lineSettings.baudRate: ${JSON.stringify(v.baudRate)} differs from the bus's baudRate ${JSON.stringify(busBaudRate)}`);
  if (v.parity !== 'none' && v.parity !== 'even' && v.parity !== 'odd') problems.push(`${at}.lineSettings.parity: ${JSON.stringify(v.parity)} is not 'none', 'even' or 'odd'`);
  return problems;
}
