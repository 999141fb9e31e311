import type { Operator } from '../../hil-tests/harness/operator.js';
import { planDetectorSteps } from './detector-plan.js';
import { runDetectorStep } from './detector-step.js';
import type { GatewayClient } from './gateway-client.js';
import { runOutputStep } from './output-step.js';
import { summarise, WALK_TEST_SCHEMA, type DetectorResult, type OutputResult, type WalkTestRecord } from './record.js';

/**
 * The installer's walk-test (issue 6): every sounder, strobe, lamp and relay switched and
 * confirmed by a person, then every gas / electrical-fire detector bump-tested through the
 * gateway's own alarm path — the commissioning record says what was proved and what was not.
 */
export interface WalkTestOptions {
  client: GatewayClient;
  operator: Operator & { noteFor?(output: string): string | undefined };
  installer: string;
  /** How long each output is held on at most (the installer's answer ends it sooner). */
  outputSeconds: number;
  answerTimeoutMs: number;
  detectorTimeoutMs: number;
  pollMs: number;
  /** Only these outputs and detectors (device names); all when absent. */
  only?: readonly string[];
}

export async function runWalkTest(opts: WalkTestOptions): Promise<WalkTestRecord> {
  const { client, operator } = opts;
  const startedAt = new Date().toISOString();
  const health = await client.health();
  const picked = (name: string): boolean => opts.only === undefined || opts.only.includes(name);

  const standing = (await client.alarms()).alarms.filter((a) => a.annunciating && a.class !== 'process');
  if (standing.length > 0) operator.note(`alarms need attention (${standing.map((a) => `${a.id} ${a.state}`).join(', ')}): the gateway will refuse output tests until they are handled`);

  const outputs: OutputResult[] = [];
  const listed = (await client.outputs())?.outputs.filter((o) => o.kind !== 'watchdog' && picked(o.name)) ?? [];
  if (listed.length > 0) operator.note(`— outputs: ${listed.length} to test, each held on for up to ${opts.outputSeconds} s`);
  for (const o of listed) {
    outputs.push(await runOutputStep(client, o, operator, { seconds: opts.outputSeconds, answerTimeoutMs: opts.answerTimeoutMs, ...(operator.noteFor ? { noteFor: (n) => operator.noteFor!(n) } : {}) }));
  }

  const detectors: DetectorResult[] = [];
  const steps = planDetectorSteps((await client.alarms()).alarms, await client.points()).filter((s) => picked(s.device));
  if (steps.length > 0) operator.note(`— detectors: ${steps.length} to bump-test (${steps.map((s) => s.device).join(', ')})`);
  for (const step of steps) {
    detectors.push(await runDetectorStep(client, step, operator, { timeoutMs: opts.detectorTimeoutMs, pollMs: opts.pollMs, installer: opts.installer }));
  }

  return {
    schema: WALK_TEST_SCHEMA,
    site: health.site,
    gateway: health.gateway,
    gatewayVersion: health.version,
    api: client.baseUrl,
    installer: opts.installer,
    startedAt,
    endedAt: new Date().toISOString(),
    outputs,
    detectors,
    summary: summarise(outputs, detectors),
  };
}
