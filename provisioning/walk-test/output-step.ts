import { OperatorTimeout, type Operator } from '../../hil-tests/harness/operator.js';
import type { OutputsReport } from '../../gateway/api/types.js';
import type { GatewayClient } from './gateway-client.js';
import type { OutputResult } from './record.js';

/**
 * One output's walk-test: the gateway holds it on (POST /api/outputs/<name>/test — refused
 * while an alarm needs attention, ended at once by a real alarm), the installer says whether
 * they see or hear it, then the test is ended early so the next output can go.
 */
export type ListedOutput = OutputsReport['outputs'][number];

/** The question carries the output name first ("sounder-1: …"): answer files are keyed by it. */
export function outputQuestion(o: Pick<ListedOutput, 'name' | 'kind' | 'line'>): string {
  const what: Record<string, string> = {
    sounder: 'is the sounder sounding',
    strobe: 'is the strobe flashing',
    lamp: 'is the lamp lit',
    relay: 'is the relay energised (is what it switches running)',
  };
  return `${o.name}: ${what[o.kind] ?? `is the ${o.kind} on`} now (line ${o.line})?`;
}

export interface OutputStepOptions {
  seconds: number;
  answerTimeoutMs: number;
  /** A note the installer gave for this output (answers file), if any. */
  noteFor?: (output: string) => string | undefined;
}

export async function runOutputStep(client: GatewayClient, o: ListedOutput, operator: Operator, opts: OutputStepOptions): Promise<OutputResult> {
  const base = { name: o.name, kind: o.kind, line: o.line };
  const started = await client.testOutput(o.name, true, opts.seconds);
  if (!started.ok) {
    operator.note(`${o.name}: not tested — ${started.message}`);
    return { ...base, tested: false, confirmed: null, readBack: null, note: `HTTP ${started.status}: ${started.message}` };
  }
  const listed = (await client.outputs())?.outputs.find((x) => x.name === o.name);
  const readBack = listed ? { on: listed.on, level: listed.level, fault: listed.fault } : null;
  let confirmed = false;
  let note = opts.noteFor?.(o.name) ?? null;
  try {
    confirmed = await operator.confirm(outputQuestion(o), opts.answerTimeoutMs);
  } catch (e) {
    if (!(e instanceof OperatorTimeout)) throw e;
    note = e.message;
  } finally {
    // Already over if it ran its seconds out or an alarm ended it: that refusal is fine.
    await client.endOutputTest(o.name);
  }
  if (readBack?.fault) note = `${note ? `${note}; ` : ''}line fault: ${readBack.fault}`;
  return { ...base, tested: true, confirmed, readBack, note };
}
