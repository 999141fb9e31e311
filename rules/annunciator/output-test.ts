import type { OutputConfig } from '../../gateway/config/safety-schema.js';
import type { AnnunciatedAlarm } from './demand.js';

/**
 * The rules of a single-output test (the installer's walk-test, docs/alarms.md "Output test"):
 * which outputs may be tested, for how long, and when a test must be refused. Pure, so the
 * refusals are table-tested apart from the annunciator that applies them.
 */

/** A test longer than this is a mistake, not a test: a sounder held on hides a real alarm's pattern. */
export const MAX_OUTPUT_TEST_SECONDS = 30;

export interface OutputTestRequest {
  name: string;
  /** true: hold the output on (sound, flash, energise); false: hold it off. */
  on: boolean;
  seconds: number;
}

/**
 * Why this test may not start, or null. A test never masks an alarm (GB 16808: a real alarm
 * always wins): it is refused while any hazard or fault alarm (every class but `process`) calls
 * for attention — unacknowledged, acknowledged, returned-unacknowledged or latched.
 */
export function outputTestRefusal(req: OutputTestRequest, outputs: readonly OutputConfig[], annunciating: Iterable<AnnunciatedAlarm>): string | null {
  const o = outputs.find((x) => x.name === req.name);
  const testable = outputs.filter((x) => x.kind !== 'watchdog').map((x) => x.name);
  if (!o) return `no output named "${req.name}" (outputs: ${testable.join(', ') || 'none'})`;
  if (o.kind === 'watchdog') return `output "${req.name}" is the hardware watchdog line; it cannot be tested by hand (testing it would stop the pulse the watchdog relies on)`;
  if (!Number.isFinite(req.seconds) || req.seconds <= 0 || req.seconds > MAX_OUTPUT_TEST_SECONDS) {
    return `seconds must be more than 0 and at most ${MAX_OUTPUT_TEST_SECONDS}, not ${String(req.seconds)}`;
  }
  const blocking = [...annunciating].filter((a) => a.class !== 'process');
  if (blocking.length > 0) {
    return `alarms need attention first (${blocking.map((a) => `${a.id} ${a.state}`).join(', ')}): an output test never masks a real alarm`;
  }
  return null;
}
