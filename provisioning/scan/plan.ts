/**
 * The sweep plan of `vigil scan`: which line settings to try, in which order, which unit ids,
 * and how long to wait for each answer. Pure functions, table-tested (plan.test.ts).
 */
import { frameMs, type Parity } from '../../drivers/modbus/rtu-line-timing.js';

export const SCAN_BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export type ScanBaudRate = (typeof SCAN_BAUD_RATES)[number];
export const SCAN_PARITIES = ['even', 'none', 'odd'] as const;

export interface LineSetting {
  baudRate: ScanBaudRate;
  parity: Parity;
  /**
   * Modbus over Serial Line V1.02 §2.5.1: 11 bits a character, so no parity means 2 stop bits.
   * A device set to 8N1 still hears 8N2 requests and is heard: a UART receiver checks only the
   * first stop bit, so the scan need not sweep stop bits.
   */
  stopBits: 1 | 2;
}

/**
 * The order settings are tried in: the Modbus default first (9600 8E1, §2.5.1 "even parity is
 * required" as the default), then the rates field devices ship with most often (9600 and 19200,
 * then 38400, 4800, 115200, 57600, 2400, 1200), each with even, none, then odd parity.
 */
const BAUD_ORDER: readonly ScanBaudRate[] = [9600, 19200, 38400, 4800, 115200, 57600, 2400, 1200];
const PARITY_ORDER: readonly Parity[] = ['even', 'none', 'odd'];

export function settingOf(baudRate: ScanBaudRate, parity: Parity): LineSetting {
  return { baudRate, parity, stopBits: parity === 'none' ? 2 : 1 };
}

/** The settings to sweep, most likely first, whatever order the installer listed them in. */
export function sweepSettings(bauds: readonly ScanBaudRate[], parities: readonly Parity[]): LineSetting[] {
  const out: LineSetting[] = [];
  for (const b of BAUD_ORDER) {
    if (!bauds.includes(b)) continue;
    for (const p of PARITY_ORDER) if (parities.includes(p)) out.push(settingOf(b, p));
  }
  return out;
}

const LETTER: Record<Parity, string> = { even: 'E', none: 'N', odd: 'O' };

/** "19200 8N2" */
export function describeSetting(s: LineSetting): string {
  return `${s.baudRate} 8${LETTER[s.parity]}${s.stopBits}`;
}

/** The probe: FC03, 1 register — 8 bytes out; the shortest answer (an exception) is 5, data 7. */
const PROBE_REQUEST_BYTES = 8;
const PROBE_ANSWER_BYTES = 7;
export const TIMEOUT_REFERENCE_BAUD = 9600;

/**
 * How long to wait for one unit's answer at this setting. The installer's timeout is given for
 * 9600 baud: there a 1-register read takes 8 + 7 characters × 1.15 ms ≈ 17 ms on the wire plus
 * t3.5 (4 ms) and the device's turnaround (typically under 10 ms), so the answer is in within
 * 30 ms; the default 80 ms leaves room for slow devices and a USB adapter's latency timer (16 ms
 * on FTDI chips). A slower rate adds exactly its extra wire time (1200 baud: +120 ms); a faster
 * one keeps the full timeout, because turnaround and adapter latency do not shrink with the rate.
 */
export function probeTimeoutMs(timeoutAt9600: number, s: LineSetting): number {
  const wire = (baud: number) => frameMs({ baudRate: baud, parity: s.parity, stopBits: s.stopBits }, PROBE_REQUEST_BYTES + PROBE_ANSWER_BYTES);
  const extra = Math.max(0, wire(s.baudRate) - wire(TIMEOUT_REFERENCE_BAUD));
  return Math.ceil(timeoutAt9600 + extra);
}

/** Worst-case duration of a sweep when nothing answers, ms (every probe waits out its timeout). */
export function worstCaseMs(settings: readonly LineSetting[], units: number, timeoutAt9600: number): number {
  return settings.reduce((sum, s) => sum + units * probeTimeoutMs(timeoutAt9600, s), 0);
}
