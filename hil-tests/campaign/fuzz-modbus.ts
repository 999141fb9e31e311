/**
 * Case d, part 2 — Modbus RTU answers fuzzed on the line to the gateway's real bus path (its
 * BusQueue with the RTU settings `vigil run` gives it — t3.5 frame silence, the late-answer
 * guard — over ModbusSerialTransport: modbus-serial's buffered RTU port on a socat pty). Backoff
 * is off so that every transaction reaches the line. Before every transaction the simulated detector gets a fresh random value and a
 * random fault from the rig's injectors, with random parameters: none, crc-error, garbage,
 * noise, wrong-unit, an exception with a random code, busy, a lost request, or an answer that
 * comes after the timeout (so a stale answer lands in the next transaction). What must hold:
 * - no crash: nothing but a VigilError comes out of the transport, and no uncaught exception
 *   or unhandled rejection in the process;
 * - no wrong value accepted: every answer the transport accepts carries the registers the
 *   device held for that request — a misaddressed or corrupted answer taken as good would put
 *   a false gas reading on the alarm path.
 * Counted apart as a soft figure: an answer the device really sent, but for an EARLIER request.
 * A slave that answers after the master's timeout puts a CRC-valid frame on the line while the
 * next request to the same unit and function is pending; RTU frames carry no transaction id
 * (Modbus over Serial Line V1.02 §2.5.1), so the master takes it as that request's answer — a
 * reading one poll stale, accepted as good. (Clearing modbus-serial's receive buffer before each
 * request does not help — tried: the same count — because the late frame arrives after the new
 * request went out.) The bus queue's late-answer guard is the remedy: after a read times out,
 * the next read from that unit waits one more response timeout, so an answer up to twice the
 * timeout late arrives while nothing is pending and is discarded. Later than that is still
 * possible on a real line; the response timeout must cover the slowest slave.
 */
import type { RtuBusConfig } from '../../gateway/config/schema.js';
import { isVigilError } from '../../gateway/errors.js';
import { busQueueForBus } from '../../drivers/modbus/bus-queue-for-bus.js';
import { ModbusSerialTransport } from '../../drivers/modbus/modbus-serial-transport.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { randomInt } from '../../drivers/serial/specs/gb26875-synthetic.js';
import type { FaultInput } from '../virtual-rig/faults.js';
import { startVirtualRig } from '../virtual-rig/rig.js';

export const TIMEOUT_MS = 100;
const UNIT = 1;
const WORDS = 4;

export interface ModbusFuzzResult {
  transactions: number;
  accepted: number;
  wrongValueAccepted: number;
  /** Accepted answers that the device sent for an earlier request (see above). */
  staleAccepted: number;
  firstStale?: string;
  errors: Record<string, number>;
  crashes: number;
  firstCrash?: string;
  firstWrong?: string;
  byFault: Record<string, number>;
  seconds: number;
}

function randomFault(random: () => number): FaultInput {
  switch (randomInt(random, 10)) {
    case 0:
    case 1:
      return 'clear';
    case 2:
      return 'crc-error';
    case 3:
      return { fault: 'garbage', length: 1 + randomInt(random, 64) };
    case 4:
      return { fault: 'noise', length: 1 + randomInt(random, 32) };
    case 5:
      return { fault: 'wrong-unit', unitId: 2 + randomInt(random, 246) };
    case 6:
      return { fault: 'exception', code: 1 + randomInt(random, 255) };
    case 7:
      return 'busy';
    case 8:
      return { fault: 'intermittent', dropRatio: 1 };
    default:
      return { fault: 'slow', delayMs: TIMEOUT_MS + randomInt(random, TIMEOUT_MS) };
  }
}

export async function fuzzModbusRtu(transactions: number, random: () => number): Promise<ModbusFuzzResult> {
  const rig = await startVirtualRig({
    buses: [{ name: 'fuzz', type: 'rtu' }],
    devices: [{ name: 'gas', bus: 'fuzz', unitId: UNIT, profile: 'generic/combustible-gas' }],
    tickMs: 0,
    random,
  });
  const r: ModbusFuzzResult = { transactions: 0, accepted: 0, wrongValueAccepted: 0, staleAccepted: 0, errors: {}, crashes: 0, byFault: {}, seconds: 0 };
  const crash = (e: unknown): void => {
    r.crashes++;
    r.firstCrash ??= e instanceof Error ? (e.stack ?? e.message) : String(e);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const bus = rig.buses.fuzz;
  if (bus?.type !== 'rtu') throw new Error('virtual rig: no rtu bus');
  const config: RtuBusConfig = {
    name: 'fuzz',
    type: 'rtu',
    port: bus.gatewayPort,
    baudRate: 9600,
    dataBits: 8,
    parity: 'even',
    stopBits: 1,
    timeoutMs: TIMEOUT_MS,
    retries: 0,
    interRequestDelayMs: 0,
    backoff: { afterFailures: 3, initialMs: 5_000, maxMs: 300_000 },
  } as RtuBusConfig;
  const transport = new ModbusSerialTransport(config);
  // The gateway's queue for this bus, except that it never backs off: every fuzzed request must go out.
  const queue = busQueueForBus(config, transport, new SystemClock({ trust: 'always' }), {
    backoff: { afterFailures: Number.MAX_SAFE_INTEGER, initialMs: 5_000, maxMs: 300_000 },
  });
  const device = rig.device('gas');
  const t0 = performance.now();
  /** Every earlier request's registers: an answer matching one of them is stale, not corrupt. */
  const earlier = new Map<string, number>();
  try {
    for (let i = 0; i < transactions; i++) {
      device.set('gas_lel', randomInt(random, 1_000) / 10);
      const expected = device.bank.read('holding', 0, WORDS);
      const fault = randomFault(random);
      const name = typeof fault === 'string' ? fault : fault.fault;
      r.byFault[name] = (r.byFault[name] ?? 0) + 1;
      device.inject(fault);
      r.transactions++;
      try {
        const words = await queue.read(UNIT, 'holding', 0, WORDS);
        r.accepted++;
        if (JSON.stringify(words) === JSON.stringify(expected)) {
          // the right answer
        } else if (earlier.has(JSON.stringify(words))) {
          r.staleAccepted++;
          r.firstStale ??= `transaction ${i} (${name}) took the answer to transaction ${earlier.get(JSON.stringify(words))}`;
        } else {
          r.wrongValueAccepted++;
          r.firstWrong ??= `transaction ${i} (${name}): got ${JSON.stringify(words)}, the device held ${JSON.stringify(expected)}`;
        }
      } catch (e) {
        if (isVigilError(e)) r.errors[e.code] = (r.errors[e.code] ?? 0) + 1;
        else crash(e);
      }
      earlier.set(JSON.stringify(expected), i);
    }
  } finally {
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    queue.close();
    await transport.close().catch(() => undefined);
    await rig.stop();
  }
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}
