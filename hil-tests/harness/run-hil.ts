/**
 * `npm run hil -- --rig FILE [--only NAME[,NAME]] [--report DIR]` (docs/hil.md §5): runs the HIL
 * scenarios on the rig the file describes, prints a line per scenario, writes DIR/junit.xml and
 * DIR/report.md (default hil-report/). Exit 0 when every scenario passed or was skipped, 1 when
 * one failed, 2 for a bad command line or rig file.
 */
import { Command, InvalidArgumentError } from 'commander';
import { installCleanupHooks, isMain } from '../../bench/support/proc.js';
import { requireRigFile } from '../rig-file/load.js';
import { TerminalOperator } from './operator.js';
import { runSuite } from './suite.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('hil')
    .description('Run the Vigil hardware-in-the-loop scenarios on a rig')
    .requiredOption('--rig <file>', 'rig file (hil-tests/rigs/virtual.yaml, or your bench rig)')
    .option('--only <names>', 'comma-separated scenario names', (v: string) => {
      const names = v.split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length === 0) throw new InvalidArgumentError('give at least one scenario name');
      return names;
    })
    .option('--report <dir>', 'where junit.xml and report.md go', 'hil-report')
    .exitOverride();
  let opts: { rig: string; only?: string[]; report: string };
  try {
    opts = program.parse(argv, { from: 'user' }).opts();
  } catch (e) {
    return (e as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  let rig;
  try {
    rig = requireRigFile(opts.rig);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 2;
  }
  installCleanupHooks();
  const operator = new TerminalOperator();
  console.log(`Vigil HIL suite on rig ${rig.name} (${rig.kind})`);
  try {
    const out = await runSuite({
      rig,
      rigFile: opts.rig,
      operator,
      reportDir: opts.report,
      ...(opts.only ? { only: opts.only } : {}),
      onResult: (r) => console.log(`${r.status === 'passed' ? 'PASS' : r.status === 'failed' ? 'FAIL' : 'SKIP'}  ${r.name}  ${(r.ms / 1000).toFixed(1)} s${r.message ? `  — ${r.message}` : ''}`),
    });
    const failed = out.results.filter((r) => r.status === 'failed').length;
    console.log(`\n${out.results.length - failed} of ${out.results.length} scenarios passed or skipped; report: ${out.reportFile}, JUnit: ${out.junitFile}`);
    return failed === 0 ? 0 : 1;
  } catch (e) {
    console.error(`hil: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    operator.close();
  }
}

if (isMain(import.meta.url)) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
