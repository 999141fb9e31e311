/**
 * `vigil walk-test`: step through every output and detector of a RUNNING gateway through its
 * local API and write the commissioning record (docs/walk-test.md).
 */
import { writeFileSync } from 'node:fs';
import { TerminalOperator, type Operator } from '../../hil-tests/harness/operator.js';
import { AnswersOperator, checkAnswers, loadAnswers } from '../walk-test/answers.js';
import { accessFromSite, parseApiUrl, readTokenFile } from '../walk-test/api-options.js';
import { GatewayClient } from '../walk-test/gateway-client.js';
import { formatSummary } from '../walk-test/record.js';
import { runWalkTest } from '../walk-test/walk-test.js';

export interface WalkTestFlags {
  /** Default: the site file's api address with --config, else http://127.0.0.1:8080. */
  api?: string;
  tokenFile?: string;
  config?: string;
  user?: string;
  installer: string;
  out: string;
  answers?: string;
  yes?: boolean;
  only?: string;
  outputSeconds: number;
  detectorTimeout: number;
}

/** Exit codes: 0 every step passed, 1 a step failed (the record says which), 2 the walk-test could not run. */
export async function walkTestCommand(flags: WalkTestFlags, io: { log(l: string): void; error(l: string): void; interactive: boolean }): Promise<number> {
  let operator: (Operator & { noteFor?(o: string): string | undefined }) | undefined;
  try {
    const client = clientFor(flags);
    if (flags.installer.trim() === '') throw new Error('--installer: the name of the person doing the walk-test goes into the record; it is empty');
    if (flags.answers !== undefined && flags.yes) throw new Error('--answers and --yes: give one of them, not both');
    if (flags.answers !== undefined) {
      const answers = loadAnswers(flags.answers);
      const outputs = (await client.outputs())?.outputs.filter((o) => o.kind !== 'watchdog').map((o) => o.name) ?? [];
      const wanted = flags.only ? outputs.filter((o) => only(flags).includes(o)) : outputs;
      const problems = checkAnswers(answers, wanted, flags.answers).filter((p) => !flags.only || !p.includes('no such output'));
      if (problems.length) throw new Error(problems.join('\n'));
      operator = new AnswersOperator(answers, io.log);
    } else if (flags.yes) {
      operator = new AnswersOperator('yes', io.log);
    } else if (io.interactive) {
      operator = new TerminalOperator();
    } else {
      throw new Error('not a terminal: give --answers FILE (or --yes) for the output confirmations');
    }
    const record = await runWalkTest({
      client,
      operator,
      installer: flags.installer.trim(),
      outputSeconds: flags.outputSeconds,
      answerTimeoutMs: 10 * 60_000,
      detectorTimeoutMs: flags.detectorTimeout * 1000,
      pollMs: 250,
      ...(flags.only ? { only: only(flags) } : {}),
    });
    writeFileSync(flags.out, `${JSON.stringify(record, null, 2)}\n`);
    io.log('');
    for (const l of formatSummary(record)) io.log(l);
    io.log(`commissioning record written to ${flags.out}`);
    return record.summary.passed ? 0 : 1;
  } catch (e) {
    io.error(`walk-test: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    operator?.close();
  }
}

function only(flags: WalkTestFlags): string[] {
  return (flags.only ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Who acts and where: `--token-file` or `--config` + `--user`, exactly one of the two. */
function clientFor(flags: WalkTestFlags): GatewayClient {
  const bySite = flags.config !== undefined || flags.user !== undefined;
  if (bySite && flags.tokenFile !== undefined) throw new Error('--token-file and --config/--user: give one of them, not both');
  if (!bySite) {
    if (flags.tokenFile === undefined) throw new Error('who is testing? give --config SITE --user NAME (your api.users entry) or --token-file FILE');
    return new GatewayClient(parseApiUrl(flags.api ?? DEFAULT_API), readTokenFile(flags.tokenFile));
  }
  if (flags.config === undefined || flags.user === undefined) throw new Error(`--config and --user go together: ${flags.config === undefined ? '--config SITE is missing' : '--user NAME is missing'}`);
  const access = accessFromSite(flags.config, flags.user);
  return new GatewayClient(parseApiUrl(flags.api ?? access.api), access.token);
}

const DEFAULT_API = 'http://127.0.0.1:8080';
