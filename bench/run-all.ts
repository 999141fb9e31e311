/**
 * Runs every bench and prints a table per bench. `--short` is CI's mode (whole run < 60 s):
 * smaller sizes, same code paths. A missed target prints MISSED and still exits 0; a crash
 * or an exception exits non-zero.
 */
import { installCleanupHooks, killAll, removeTempDirs } from './support/proc.js';
import { printTable, type BenchContext, type BenchRow } from './table.js';

interface Bench {
  name: string;
  title: string;
  load: () => Promise<{ run(ctx: BenchContext): Promise<BenchRow[]> }>;
}

const BENCHES: Bench[] = [
  { name: 'ingest', title: 'ingest: decode → store, readings/s (durability full)', load: () => import('./ingest.js') },
  { name: 'drain', title: 'drain: store → MqttForwarder → broker, readings/s', load: () => import('./drain.js') },
  { name: 'rss', title: 'rss: gateway process memory under load', load: () => import('./rss.js') },
  { name: 'first-poll', title: 'first-poll: vigil run start-up latency', load: () => import('./first-poll.js') },
  { name: 'alarm-latency', title: 'alarm-latency: register change → sounder and interlock; engine cost per reading', load: () => import('./alarm-latency.js') },
  { name: 'frames-decoded', title: 'frames-decoded: GB/T 26875.3 framing, frames/s and MB/s', load: () => import('./frames-decoded.js') },
  { name: 'fire-relay', title: 'fire-relay: panel fire alarm → fire monitoring centre, idle and under load', load: () => import('./fire-relay.js') },
  { name: 'bus-efficiency', title: 'bus-efficiency: emulated RS-485 line, cycle time and transactions vs the plan\'s least', load: () => import('./bus-efficiency.js') },
  { name: 'peer', title: 'peer: Vigil vs Node-RED + node-red-contrib-modbus, same site, one after the other', load: () => import('./peer.js') },
];

installCleanupHooks();
const ctx: BenchContext = { short: process.argv.includes('--short') };
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const t0 = performance.now();
console.log(`vigil benches (${ctx.short ? 'short mode: indicative figures only' : 'full mode'}) — ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}`);
let failed = false;
for (const b of BENCHES) {
  if (only.length && !only.includes(b.name)) continue;
  const started = performance.now();
  try {
    const rows = await (await b.load()).run(ctx);
    printTable(`${b.title}${ctx.short ? ' — short' : ''} (${((performance.now() - started) / 1000).toFixed(1)} s)`, rows);
  } catch (e) {
    failed = true;
    console.error(`\n### ${b.name}: FAILED\n\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    killAll();
    removeTempDirs();
  }
}
console.log(`\nall benches: ${((performance.now() - t0) / 1000).toFixed(1)} s${failed ? ' — some FAILED' : ''}`);
process.exitCode = failed ? 1 : 0;
