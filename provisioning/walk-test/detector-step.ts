import { setTimeout as sleep } from 'node:timers/promises';
import type { AlarmSnapshot } from '../../rules/model.js';
import type { Operator } from '../../hil-tests/harness/operator.js';
import { applyPrompt, removePrompt, type DetectorStep } from './detector-plan.js';
import type { GatewayClient } from './gateway-client.js';
import type { DetectorResult, ReadingSample } from './record.js';

/**
 * One detector's bump test through the gateway's API: prompt for test gas, poll the value and
 * the alarm every pollMs until the first-level alarm appears (or timeoutMs passes), prompt to
 * remove the gas, wait for the condition to clear, then acknowledge and reset every alarm the
 * test raised on that device — the first-level gas alarms latch (GB/T 50493 §5.3.3), so the
 * walk-test must reset them, and does so as the installer (journaled with the note).
 */
export interface DetectorStepOptions {
  timeoutMs: number;
  pollMs: number;
  installer: string;
}

const ANNUNCIATING = new Set(['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched']);

export async function runDetectorStep(client: GatewayClient, step: DetectorStep, operator: Operator, opts: DetectorStepOptions): Promise<DetectorResult> {
  const readings: ReadingSample[] = [];
  const result: DetectorResult = {
    device: step.device,
    point: step.point,
    alarmId: step.alarmId,
    setpoint: step.setpoint,
    unit: step.unit,
    baseline: null,
    timeToAlarmMs: null,
    peak: null,
    occurrenceId: null,
    passed: false,
    reason: null,
    handled: [],
    readings,
  };
  const before = await client.alarm(step.alarmId);
  if (before === undefined) return { ...result, reason: `the gateway has no alarm ${step.alarmId}` };
  if (before.state !== 'normal') return { ...result, reason: `${step.alarmId} was already ${before.state} before the test; clear it first` };
  result.baseline = await readValue(client, step);

  const t0 = Date.now();
  const sample = async (): Promise<number | null> => {
    const v = await readValue(client, step);
    readings.push({ tMs: Date.now() - t0, value: v });
    if (v !== null && (result.peak === null || (step.kind === 'high' ? v > result.peak : v < result.peak))) result.peak = v;
    return v;
  };

  operator.note(`${applyPrompt(step)} (waiting up to ${Math.round(opts.timeoutMs / 1000)} s for ${step.alarmId}, set point ${step.setpoint}${step.unit ? ` ${step.unit}` : ''})`);
  const alarm = await pollUntil(opts, t0, sample, async () => {
    const a = await client.alarm(step.alarmId);
    return a !== undefined && a.state !== 'normal' && a.occurrence !== null ? a : undefined;
  });
  if (alarm === undefined) {
    result.reason = `no ${step.alarmId} within ${Math.round(opts.timeoutMs / 1000)} s (peak ${result.peak ?? 'no reading'}${step.unit ? ` ${step.unit}` : ''}, set point ${step.setpoint})`;
    operator.note(`${step.device}: FAILED — ${result.reason}; ${removePrompt(step)}`);
  } else {
    result.occurrenceId = alarm.occurrence!.id;
    result.timeToAlarmMs = Math.max(0, alarm.occurrence!.detectedTs - t0);
    await handle(client, step.alarmId, 'acknowledge', opts.installer); // quiet the sounder while the gas is removed
    operator.note(`${step.alarmId} after ${(result.timeToAlarmMs / 1000).toFixed(1)} s — ${removePrompt(step)}`);
  }

  // Wait for the value to fall back (the condition to clear) so the latched alarms can be reset.
  const cleared = await pollUntil(opts, Date.now(), sample, async () => {
    const a = await client.alarm(step.alarmId);
    return a !== undefined && !a.conditionActive ? a : undefined;
  });
  if (cleared === undefined && result.reason === null) {
    result.reason = `${step.device} ${step.point} did not fall back below the set point within ${Math.round(opts.timeoutMs / 1000)} s of the prompt to remove the gas`;
  }
  result.handled = await resetRaised(client, step.device, opts.installer);
  if (result.handled.length > 0) operator.note(`acknowledged and reset as ${opts.installer} (in the alarm journal): ${result.handled.map((h) => `${h.alarmId} ${h.reset ? 'reset' : `NOT reset (${h.message})`}`).join(', ')}`);
  if (result.reason === null && result.handled.some((h) => !h.reset)) result.reason = `could not reset ${result.handled.filter((h) => !h.reset).map((h) => h.alarmId).join(', ')}`;
  result.passed = result.reason === null;
  return result;
}

/** Samples every pollMs until `found` answers, or timeoutMs after `since`. */
async function pollUntil(opts: DetectorStepOptions, since: number, sample: () => Promise<unknown>, found: () => Promise<AlarmSnapshot | undefined>): Promise<AlarmSnapshot | undefined> {
  const deadline = since + opts.timeoutMs;
  for (;;) {
    await sample();
    const a = await found();
    if (a !== undefined) return a;
    if (Date.now() >= deadline) return undefined;
    await sleep(opts.pollMs);
  }
}

async function readValue(client: GatewayClient, step: DetectorStep): Promise<number | null> {
  const p = (await client.points(step.device)).find((x) => x.point === step.point);
  return p !== undefined && p.quality === 'good' && typeof p.value === 'number' ? p.value : null;
}

async function handle(client: GatewayClient, alarmId: string, action: 'acknowledge' | 'reset', installer: string) {
  const note = `walk-test by ${installer}: detector bump test`;
  return action === 'acknowledge' ? client.acknowledge(alarmId, note) : client.reset(alarmId, note);
}

/** Every alarm of the device still calling for attention: acknowledge if it waits for that, reset if latched. */
async function resetRaised(client: GatewayClient, device: string, installer: string): Promise<DetectorResult['handled']> {
  const out: DetectorResult['handled'] = [];
  const raised = (await client.alarms()).alarms.filter((a) => a.device === device && ANNUNCIATING.has(a.state));
  for (const a of raised) {
    let acknowledged = a.state === 'acknowledged' || a.state === 'latched';
    let message = '';
    if (a.state === 'unacknowledged' || a.state === 'rtn-unacknowledged') {
      const r = await handle(client, a.id, 'acknowledge', installer);
      acknowledged = r.ok;
      message = r.message;
    }
    const now = await client.alarm(a.id);
    let reset = now?.state === 'normal';
    if (now?.state === 'latched') {
      const r = await handle(client, a.id, 'reset', installer);
      reset = r.ok;
      message = r.message;
    }
    out.push({ alarmId: a.id, acknowledged, reset, message });
  }
  return out;
}
