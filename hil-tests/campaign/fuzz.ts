/**
 * Case d — fuzzed frames: a million (short: 100,000) GB/T 26875.3 frames through the framer and
 * codec (fuzz-gb26875.ts), and Modbus RTU answers fuzzed with the rig's fault injectors on the
 * line to the gateway's real transport (fuzz-modbus.ts). Crashes must be 0; a Modbus answer
 * accepted with a wrong value must be 0.
 */
import { fmtInt } from '../../bench/table.js';
import { seededRandom } from '../../drivers/serial/specs/gb26875-synthetic.js';
import type { CampaignContext, Figure } from './figures.js';
import { fuzzGb26875 } from './fuzz-gb26875.js';
import { fuzzModbusRtu, TIMEOUT_MS } from './fuzz-modbus.js';

export async function run(ctx: CampaignContext): Promise<Figure[]> {
  const frames = ctx.short ? 100_000 : 1_000_000;
  const transactions = ctx.short ? 200 : 5_000;
  const gb = fuzzGb26875(frames, seededRandom(ctx.seed));
  ctx.log(`fuzz: GB/T 26875 ${fmtInt(gb.framesIn)} frames in ${gb.seconds.toFixed(1)} s; Modbus RTU ${fmtInt(transactions)} transactions`);
  const mb = await fuzzModbusRtu(transactions, seededRandom(ctx.seed + 2));
  const gbScale = `d: ${fmtInt(gb.framesIn)} GB/T 26875.3 frames (${(gb.bytesIn / 1e6).toFixed(0)} MB), 50 % typed commands, 20 % damaged, 10 % with noise before${ctx.short ? ' (short; full: 1,000,000)' : ''}`;
  const mbScale = `d: ${fmtInt(mb.transactions)} Modbus RTU reads on a pty, a random fault each, timeout ${TIMEOUT_MS} ms${ctx.short ? ' (short; full: 5,000)' : ''}`;
  const errors = Object.entries(mb.errors).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ');
  return [
    {
      figure: 'crashes, GB/T 26875.3 framer + codec',
      measured: fmtInt(gb.crashes),
      target: '0',
      kind: 'must',
      pass: gb.crashes === 0,
      test: `${gbScale}; ${gb.firstCrash ? `first: ${gb.firstCrash.split('\n')[0]}` : `${fmtInt(gb.delivered)} frames delivered, ${fmtInt(gb.decoded)} decoded, ${fmtInt(gb.rejectedByCodec)} rejected by the codec, ${fmtInt(gb.framingFaults)} framing faults, ${fmtInt(gb.skippedBytes)} bytes skipped to resynchronise; ${gb.seconds.toFixed(1)} s`}`,
    },
    {
      figure: 'crashes, Modbus RTU transport',
      measured: fmtInt(mb.crashes),
      target: '0',
      kind: 'must',
      pass: mb.crashes === 0,
      test: `${mbScale}; ${mb.firstCrash ? `first: ${mb.firstCrash.split('\n')[0]}` : `${fmtInt(mb.accepted)} accepted; errors: ${errors}; ${mb.seconds.toFixed(1)} s`}`,
    },
    {
      figure: 'Modbus answers accepted with a wrong value',
      measured: fmtInt(mb.wrongValueAccepted),
      target: '0',
      kind: 'must',
      pass: mb.wrongValueAccepted === 0,
      test: `${mbScale}; ${mb.firstWrong ?? `faults drawn: ${Object.entries(mb.byFault).map(([k, v]) => `${k} ${v}`).join(', ')}`}`,
    },
    {
      figure: 'Modbus answers accepted stale (sent for an earlier request)',
      measured: `${fmtInt(mb.staleAccepted)} of ${fmtInt(mb.accepted)} accepted`,
      target: '0',
      kind: 'soft',
      pass: mb.staleAccepted === 0,
      test: `${mbScale}; ${mb.firstStale ? `e.g. ${mb.firstStale}; ` : ''}RTU has no transaction id: an answer later than the timeout is taken for the next request to the same unit and function (see docs/reliability.md)`,
    },
  ];
}
