import type { BusConfig } from '../../gateway/config/schema.js';
import type { Clock } from '../../gateway/clock/clock.js';
import type { ModbusTransport } from '../transport/modbus-transport.js';
import { BusQueue, type BusQueueOptions } from './bus-queue.js';
import { t35Ms } from './rtu-line-timing.js';

/**
 * The bus queue for one configured bus, as the gateway runs it. One place, so that the benches
 * and the fault campaign measure the same queue the gateway polls with: on an RTU line the t3.5
 * frame silence (Modbus over Serial Line V1.02 §2.5.1.1) and the late-answer guard of one
 * response timeout (bus-queue.ts); on TCP neither (MBAP frames are delimited and carry a
 * transaction id). `overrides` is for harnesses that must change a policy (e.g. never back off).
 */
export function busQueueForBus(bus: BusConfig, transport: ModbusTransport, clock: Clock, overrides: Partial<Pick<BusQueueOptions, 'backoff'>> = {}): BusQueue {
  return new BusQueue({
    name: bus.name,
    transport,
    timeoutMs: bus.timeoutMs,
    retries: bus.retries,
    interRequestDelayMs: bus.interRequestDelayMs,
    ...(bus.type === 'rtu' ? { frameSilenceMs: t35Ms(bus), lateAnswerGuardMs: bus.timeoutMs } : {}),
    backoff: bus.backoff,
    clock,
    ...overrides,
  });
}
