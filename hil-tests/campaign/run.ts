/**
 * The fault campaign (`npm run campaign`; CI: `npm run campaign -- --short`): the gateway's
 * guarantees under the faults of hil-tests/injectors, at scale, each as a figure with the test
 * that produced it. Prints one table — figure | measured | target | verdict | test — and exits
 * 1 if a must-hold figure failed (committed readings lost, delivered < 100 %, a crash, the
 * alarm path dead on a full disk) or a case could not complete; a soft target missed prints
 * MISSED and exits 0. Name cases to run only those: `npm run campaign -- --short fuzz soak`.
 * `--seed N` replays a run's random draws (default 1).
 */
import { installCleanupHooks, killAll, removeTempDirs } from '../../bench/support/proc.js';
import { printTable } from '../../bench/table.js';
import { crashedCase, exitCodeFor, toRows, type CampaignCase, type CampaignContext, type Figure } from './figures.js';

const CASES: CampaignCase[] = [
  { name: 'kill-loop', title: 'a. SIGKILL in a loop during ingest', run: async (ctx) => (await import('./kill-loop.js')).run(ctx) },
  { name: 'broker-outage', title: 'b. broker outage and flapping', run: async (ctx) => (await import('./broker-outage.js')).run(ctx) },
  { name: 'dead-slave', title: 'c. one dead slave among 10 on an RTU bus', run: async (ctx) => (await import('./dead-slave.js')).run(ctx) },
  { name: 'fuzz', title: 'd. fuzzed frames', run: async (ctx) => (await import('./fuzz.js')).run(ctx) },
  { name: 'disk-full', title: 'e. disk full', run: async (ctx) => (await import('./disk-full.js')).run(ctx) },
  { name: 'soak', title: 'f. soak, RSS growth', run: async (ctx) => (await import('./soak.js')).run(ctx) },
];

function parseArgs(argv: readonly string[]): { short: boolean; seed: number; only: string[] } {
  const only: string[] = [];
  let short = false;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--short') short = true;
    else if (a === '--seed') {
      const v = argv[++i];
      seed = Number(v);
      if (!Number.isInteger(seed)) throw new Error(`campaign: --seed needs an integer, got ${JSON.stringify(v)}`);
    } else if (a.startsWith('--')) throw new Error(`campaign: unknown option ${a} (options: --short, --seed N; cases: ${CASES.map((c) => c.name).join(', ')})`);
    else if (!CASES.some((c) => c.name === a)) throw new Error(`campaign: no case "${a}" (cases: ${CASES.map((c) => c.name).join(', ')})`);
    else only.push(a);
  }
  return { short, seed, only };
}

installCleanupHooks();
const args = parseArgs(process.argv.slice(2));
const t0 = performance.now();
const ctx: CampaignContext = {
  short: args.short,
  seed: args.seed,
  log: (m) => process.stderr.write(`[campaign ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${m}\n`),
};
console.log(`vigil fault campaign (${ctx.short ? 'short mode: CI scale' : 'full scale'}, seed ${ctx.seed}) — ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}`);
const figures: Figure[] = [];
for (const c of CASES) {
  if (args.only.length && !args.only.includes(c.name)) continue;
  const started = performance.now();
  ctx.log(`${c.title}: start`);
  try {
    const got = await c.run(ctx);
    figures.push(...got);
    // Also on stderr as each case ends, so a long run that dies later keeps what it measured.
    for (const f of got) ctx.log(`  ${f.figure}: ${f.measured} (target ${f.target})`);
  } catch (e) {
    ctx.log(`${c.title}: FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    figures.push(crashedCase(c, e, ctx.short ? 'short' : 'full'));
    killAll();
    removeTempDirs();
  }
  ctx.log(`${c.title}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
printTable(`fault campaign${ctx.short ? ' — short' : ''} (${((performance.now() - t0) / 1000).toFixed(1)} s)`, toRows(figures), { metric: 'figure', value: 'measured', notes: 'test' });
const code = exitCodeFor(figures);
console.log(`\ncampaign: ${figures.filter((f) => f.kind === 'must' && !f.pass).length} must-hold figure(s) failed, ${figures.filter((f) => f.kind === 'soft' && !f.pass).length} soft target(s) missed`);
process.exitCode = code;
