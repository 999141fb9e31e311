import type { Clock } from '../../gateway/clock/clock.js';
import type { InterlockAction, InterlockConfig } from '../../gateway/config/safety-schema.js';
import type { PointValue } from '../../gateway/readings.js';
import type { InterlockPolicy, PointIo } from './types.js';

/**
 * One attempt at an interlock's actions: issue every action at once, then confirm each.
 *
 * Issuing is synchronous — every write is enqueued on its bus (interlock priority) and every
 * relay switched before this function returns — so the command leaves in the same turn of the
 * event loop as the alarm that caused it (GB 50166 linkage: the start command within 3 s;
 * Vigil aims at well under 100 ms). Only the confirmation waits.
 *
 * Confirmation (issue 3: "read-back confirmation and retry"):
 * - a write is read back from the device and compared, unless the interlock names a `confirm`
 *   feedback point (a valve's limit switch), which is then polled until it shows the expected
 *   value or `withinMs` (the actuator's travel time) has passed;
 * - a relay is confirmed by the output driver accepting the change (setRelay returns true).
 * The promise rejects with one message naming every action that failed and why.
 */
export interface AttemptContext {
  cfg: InterlockConfig;
  io: PointIo;
  setRelay(name: string, on: boolean): boolean;
  clock: Clock;
  policy: Pick<InterlockPolicy, 'feedbackPollMs'>;
}

export function issueActions(ctx: AttemptContext): Promise<void> {
  const issuedAt = ctx.clock.monotonic();
  // Every action is issued before any is awaited: one slow device must not delay another action.
  const pending = ctx.cfg.actions.map((a) => issueOne(ctx, a));
  return (async () => {
    const results = await Promise.allSettled(pending);
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [messageOf(r.reason)] : []));
    if (errors.length > 0) throw new Error(errors.join('; '));
    if (ctx.cfg.confirm) await awaitFeedback(ctx, issuedAt);
  })();
}

function issueOne(ctx: AttemptContext, action: InterlockAction): Promise<void> {
  if ('output' in action) {
    const { name, value } = action.output;
    let ok: boolean;
    try {
      ok = ctx.setRelay(name, value === 'on');
    } catch (e) {
      return Promise.reject(new Error(`output ${name} could not be switched ${value}: ${messageOf(e)}`));
    }
    return ok ? Promise.resolve() : Promise.reject(new Error(`output ${name} could not be switched ${value} (the output driver refused)`));
  }
  const { device, point, value } = action.write;
  const what = `${device}/${point} := ${JSON.stringify(value)}`;
  let written: Promise<void>;
  try {
    written = ctx.io.writePoint(device, point, value);
  } catch (e) {
    // A writePoint that throws instead of rejecting is still only this action's failure.
    return Promise.reject(new Error(`write ${what} failed: ${messageOf(e)}`));
  }
  return written.then(
    async () => {
      if (ctx.cfg.confirm) return; // confirmed by the feedback point instead
      let got: PointValue;
      try {
        got = await ctx.io.readPoint(device, point);
      } catch (e) {
        throw new Error(`read-back of ${device}/${point} failed: ${messageOf(e)}`);
      }
      if (!sameValue(value, got)) throw new Error(`read-back of ${device}/${point} gave ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
    },
    (e: unknown) => {
      throw new Error(`write ${what} failed: ${messageOf(e)}`);
    },
  );
}

/**
 * What a person's reset switches back: only the actions configured to be released — a relay
 * with `releaseOnReset` (an exhaust fan stops), a write with a `releaseValue`. Everything else
 * stays as the trip left it (a closed gas valve is reopened by hand on site, GB/T 50493 manual
 * reset). Issued at once like a trip; `done` settles when every release write has been answered.
 */
export function releaseActions(ctx: Pick<AttemptContext, 'cfg' | 'io' | 'setRelay'>): { released: string[]; done: Promise<void> } {
  const released: string[] = [];
  const pending: Promise<void>[] = [];
  for (const action of ctx.cfg.actions) {
    if ('output' in action) {
      if (!action.output.releaseOnReset) continue;
      const back = action.output.value === 'on' ? 'off' : 'on';
      released.push(`output ${action.output.name} ${back}`);
      let ok = false;
      try {
        ok = ctx.setRelay(action.output.name, back === 'on');
      } catch (e) {
        pending.push(Promise.reject(new Error(`output ${action.output.name} could not be switched ${back}: ${messageOf(e)}`)));
        continue;
      }
      if (!ok) pending.push(Promise.reject(new Error(`output ${action.output.name} could not be switched ${back} (the output driver refused)`)));
      continue;
    }
    const { device, point, releaseValue } = action.write;
    if (releaseValue === undefined) continue;
    const what = `${device}/${point} := ${JSON.stringify(releaseValue)}`;
    released.push(what);
    try {
      pending.push(ctx.io.writePoint(device, point, releaseValue).catch((e: unknown) => Promise.reject(new Error(`write ${what} failed: ${messageOf(e)}`))));
    } catch (e) {
      pending.push(Promise.reject(new Error(`write ${what} failed: ${messageOf(e)}`)));
    }
  }
  const done = Promise.allSettled(pending).then((results) => {
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [messageOf(r.reason)] : []));
    if (errors.length > 0) throw new Error(errors.join('; '));
  });
  return { released, done };
}

/** Polls the feedback point until it shows the expected value, within `withinMs` of the command. */
async function awaitFeedback(ctx: AttemptContext, issuedAt: number): Promise<void> {
  const { device, point, value, withinMs } = ctx.cfg.confirm!;
  const deadline = issuedAt + withinMs;
  let last = 'no answer';
  for (;;) {
    try {
      const got = await ctx.io.readPoint(device, point);
      if (sameValue(value, got)) return;
      last = JSON.stringify(got);
    } catch (e) {
      last = `read failed: ${messageOf(e)}`;
    }
    const left = deadline - ctx.clock.monotonic();
    if (left <= 0) throw new Error(`feedback ${device}/${point} did not show ${JSON.stringify(value)} within ${withinMs} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, Math.min(ctx.policy.feedbackPollMs, left)));
  }
}

/**
 * Whether a value read back is the value written. A bool point may be written as 0/1; a
 * number is compared within 1 ppm (an f32 register holds ~7 significant digits, so 12.3 reads
 * back as 12.300000190734863 — the same command); an enumeration compares by label.
 */
export function sameValue(expected: number | boolean | string, actual: PointValue): boolean {
  if (actual === null) return false;
  const asBool = (v: number | boolean | string): boolean | undefined => (typeof v === 'boolean' ? v : v === 0 ? false : v === 1 ? true : undefined);
  if (typeof expected === 'boolean' || typeof actual === 'boolean') {
    const e = asBool(expected);
    return e !== undefined && e === asBool(actual);
  }
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
  return expected === actual;
}

export function describeActions(actions: readonly InterlockAction[]): string {
  return actions.map((a) => ('output' in a ? `output ${a.output.name} ${a.output.value}` : `write ${a.write.device}/${a.write.point} := ${JSON.stringify(a.write.value)}`)).join(', ');
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
