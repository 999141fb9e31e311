/**
 * The site file's `fireCentre:` section: the northbound GB/T 26875.3 link (Vigil as a UITD,
 * 用户信息传输装置), independent of `cloud.mqtt`. `uitdConfigProblems` runs in the semantic pass.
 *
 *   fireCentre:
 *     centre: { host: 10.0.0.7, port: 5000 }
 *     address: { uitd: 1001, centre: 2001 }
 *     timeouts: { fireMs: 2000, statusMs: 10000, otherMs: 10000 }
 *     retries: 3
 *     heartbeat: { kind: empty, intervalMs: 30000 }
 */
import { z } from 'zod';

const MAX_ADDRESS = 2 ** 48 - 1;
/** GB/T 26875.3 §6.4: the resend timeout "should not exceed 10 s". */
const MAX_TIMEOUT_MS = 10_000;
/** GB 26875.1 (standards.md §3.1): a fire alarm reaches the centre within 10 s. */
export const FIRE_ALARM_BUDGET_MS = 10_000;

const address = z.number().int().min(0).max(MAX_ADDRESS);
const timeout = z.number().int().min(100).max(MAX_TIMEOUT_MS);

export const UitdConfigSchema = z.strictObject({
  centre: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  }),
  /** The 6-byte source/destination addresses of the control unit, as little-endian numbers (GB/T 26875.3 §6). */
  address: z.strictObject({ uitd: address, centre: address }),
  /** Byte 6 of the control unit (user version); byte 5 is fixed at 1 by the standard. */
  userVersion: z.number().int().min(0).max(255).default(1),
  /** Confirm timeout per priority (ms). Fire is short so that 1 + retries attempts fit the 10 s budget. */
  timeouts: z
    .strictObject({ fireMs: timeout.default(2_000), statusMs: timeout.default(10_000), otherMs: timeout.default(10_000) })
    .default({ fireMs: 2_000, statusMs: 10_000, otherMs: 10_000 }),
  /** Resends after the first attempt (GB/T 26875.3 §6.4: 3). */
  retries: z.number().int().min(0).max(10).default(3),
  heartbeat: z
    .strictObject({
      /**
       * `empty`: command 2 with an empty ADU (the vendor convention the transcription describes);
       * `uitd-status`: command 2 carrying type 21, the UITD's running status (for centres that want it).
       */
      kind: z.enum(['empty', 'uitd-status']).default('empty'),
      /** Sent when nothing else went upstream for this long (20–30 s is the usual convention). */
      intervalMs: z.number().int().min(1_000).max(600_000).default(30_000),
      /** Nothing heard from the centre for this long → the connection is dropped and made again. */
      silenceTimeoutMs: z.number().int().min(2_000).max(3_600_000).default(90_000),
    })
    .default({ kind: 'empty', intervalMs: 30_000, silenceTimeoutMs: 90_000 }),
  reconnect: z
    .strictObject({
      initialMs: z.number().int().min(100).max(600_000).default(1_000),
      maxMs: z.number().int().min(100).max(3_600_000).default(30_000),
    })
    .default({ initialMs: 1_000, maxMs: 30_000 }),
  dutyCheck: z
    .strictObject({
      /** How long the local prompt waits for a person when the centre gives no window (GB 26875.1: 10 min). */
      windowMs: z.number().int().min(10_000).max(3_600_000).default(600_000),
      /** Use the minutes some centres put in the type-91 byte. */
      useCentreWindow: z.boolean().default(true),
    })
    .default({ windowMs: 600_000, useCentreWindow: true }),
  /** Time labels are Beijing time (+480) unless the centre says otherwise. */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
});

export type UitdConfig = z.infer<typeof UitdConfigSchema>;

export interface UitdConfigProblem {
  path: string;
  message: string;
}

/** The checks one field cannot make alone; every problem, each naming its path and values. */
export function uitdConfigProblems(c: UitdConfig, at = 'fireCentre'): UitdConfigProblem[] {
  const problems: UitdConfigProblem[] = [];
  const fireWorst = c.timeouts.fireMs * (1 + c.retries);
  if (fireWorst > FIRE_ALARM_BUDGET_MS) {
    problems.push({
      path: `${at}.timeouts.fireMs`,
      message: `${c.timeouts.fireMs} ms × (1 + ${c.retries} retries) = ${fireWorst} ms: a failed fire-alarm transmission would be known only after the ${FIRE_ALARM_BUDGET_MS} ms a fire alarm has to reach the centre (GB 26875.1); use at most ${Math.floor(FIRE_ALARM_BUDGET_MS / (1 + c.retries))} ms`,
    });
  }
  if (c.heartbeat.silenceTimeoutMs <= c.heartbeat.intervalMs) {
    problems.push({
      path: `${at}.heartbeat.silenceTimeoutMs`,
      message: `${c.heartbeat.silenceTimeoutMs} ms is not longer than the heartbeat interval ${c.heartbeat.intervalMs} ms: a healthy centre would be dropped between two heartbeats`,
    });
  }
  if (c.reconnect.maxMs < c.reconnect.initialMs) {
    problems.push({ path: `${at}.reconnect.maxMs`, message: `${c.reconnect.maxMs} ms is below reconnect.initialMs ${c.reconnect.initialMs} ms` });
  }
  if (c.address.uitd === c.address.centre) {
    problems.push({ path: `${at}.address.centre`, message: `${c.address.centre} is also the UITD's own address` });
  }
  return problems;
}
