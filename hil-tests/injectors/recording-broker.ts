/**
 * Broker down, broker flapping: the MQTT broker the gateway forwards to, as a process the
 * campaign stops and starts again on the same port (recording-broker-process.ts). Stopping it
 * closes every connection, as a cloud outage or a dead uplink does; starting it again is the
 * cloud coming back, with no session state (aedes in memory) — the gateway must resend
 * whatever was not acknowledged. Every seq the broker accepted is kept in `ledger` across
 * restarts.
 *
 * Bounded: start() waits at most 15 s for the process to listen; stop() asks with SIGTERM and
 * kills after 3 s. Every process goes through bench/support/proc.ts, whose exit hooks kill it
 * if the campaign dies.
 */
import { join } from 'node:path';
import { sleep, spawnTracked, stopChild, type Tracked } from '../../bench/support/proc.js';
import { packageRoot } from '../../gateway/paths.js';
import { SeqLedger } from './seq-ledger.js';

export interface RecordingBroker {
  readonly url: string;
  readonly port: number;
  readonly ledger: SeqLedger;
  readonly up: boolean;
  /** Times the broker was started (1 after startRecordingBroker). */
  readonly starts: number;
  /** Payloads the broker could not read as Vigil telemetry/events (must stay empty). */
  readonly badPayloads: readonly string[];
  /** Stops the broker process (idempotent). */
  stop(): Promise<void>;
  /** Starts it again on the same port (idempotent). */
  start(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

export interface FlapPlan {
  cycles: number;
  /** Each outage lasts a uniform draw in [min, max] ms. */
  downMs: readonly [number, number];
  upMs: readonly [number, number];
  random: () => number;
}

// From the package root, not from this file: the same path whether this runs from dist/ (the
// campaign) or from source (vitest). The broker process itself always runs from the build.
const SCRIPT = join(packageRoot(), 'dist', 'hil-tests', 'injectors', 'recording-broker-process.js');

export async function startRecordingBroker(port = 0): Promise<RecordingBroker> {
  const ledger = new SeqLedger();
  const badPayloads: string[] = [];
  let proc: Tracked | undefined;
  let boundPort = port;
  let starts = 0;

  const launch = async (): Promise<void> => {
    const p = spawnTracked([SCRIPT, String(boundPort)]);
    let buf = '';
    p.child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('SEQ ')) for (const s of line.slice(4).split(',')) ledger.record(Number(s));
        else if (line.startsWith('BAD_PAYLOAD ')) badPayloads.push(line.slice(12));
      }
    });
    const m = await p.waitForLine(/BROKER_PORT (\d+)/, 15_000).catch(async (e: unknown) => {
      await stopChild(p);
      throw e;
    });
    boundPort = Number(m[1]);
    proc = p;
    starts++;
  };

  await launch();
  const broker: RecordingBroker = {
    get url() {
      return `mqtt://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    ledger,
    get up() {
      return proc !== undefined;
    },
    get starts() {
      return starts;
    },
    badPayloads,
    async stop() {
      const p = proc;
      proc = undefined;
      if (p) await stopChild(p, 3_000);
    },
    async start() {
      if (!proc) await launch();
    },
    close: () => broker.stop(),
  };
  return broker;
}

/**
 * A flapping uplink: `cycles` times down for a while, then up for a while, with the lengths
 * drawn from the plan's (seeded) random source. Ends with the broker up.
 */
export async function flapBroker(broker: RecordingBroker, plan: FlapPlan): Promise<{ outages: number; downMs: number }> {
  const draw = ([min, max]: readonly [number, number]): number => min + plan.random() * (max - min);
  let downMs = 0;
  for (let i = 0; i < plan.cycles; i++) {
    const down = draw(plan.downMs);
    const t0 = performance.now();
    await broker.stop();
    await sleep(down);
    await broker.start();
    downMs += performance.now() - t0;
    await sleep(draw(plan.upMs));
  }
  return { outages: plan.cycles, downMs };
}
