/**
 * An interlock on the virtual rig: the real bus queue and Modbus TCP transport, a simulated
 * shut-off valve (generic/gas-valve-actuator) whose closed limit switch follows the close coil
 * after its travel time. Trip → the coil is written on the wire → the limit switch closes →
 * the interlock is confirmed; a valve that never closes makes the interlock fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusQueue } from '../../drivers/modbus/bus-queue.js';
import { resolvePoints } from '../../drivers/modbus/codecs.js';
import { ModbusSerialTransport } from '../../drivers/modbus/modbus-serial-transport.js';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { InterlockSchema, type InterlockConfig } from '../../gateway/config/safety-schema.js';
import { TcpBusSchema } from '../../gateway/config/schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import { startVirtualRig, type VirtualRig } from '../../hil-tests/virtual-rig/rig.js';
import type { AlarmSnapshot } from '../model.js';
import { InterlockController } from './interlock-controller.js';
import { ModbusPointIo } from './modbus-point-io.js';
import type { InterlockStatus } from './types.js';

const TRAVEL_MS = 400;
const TRIGGER = 'gas-1/gas_high_high';
const clock = { now: () => Date.now(), monotonic: () => performance.now(), isTrusted: () => true };
const valveProfile = loadProfileCatalog([builtinProfilesDir()]).catalog.get('generic/gas-valve-actuator')!;

let rig: VirtualRig;
let queue: BusQueue;
let transport: ModbusSerialTransport;

beforeAll(async () => {
  rig = await startVirtualRig({
    tickMs: 20,
    buses: [{ name: 'plant', type: 'tcp' }],
    devices: [
      { name: 'valve-ok', bus: 'plant', unitId: 1, profile: valveProfile, behaviours: { closed_feedback: { kind: 'follows', point: 'close_command', delayMs: TRAVEL_MS } } },
      // A jammed valve: its limit switch never moves.
      { name: 'valve-jammed', bus: 'plant', unitId: 2, profile: valveProfile },
    ],
  });
  const bus = rig.buses.plant!;
  if (bus.type !== 'tcp') throw new Error('expected a TCP bus');
  transport = new ModbusSerialTransport(TcpBusSchema.parse({ name: 'plant', type: 'tcp', host: bus.host, port: bus.port, timeoutMs: 500, retries: 0 }));
  queue = new BusQueue({ name: 'plant', transport, timeoutMs: 500, retries: 0, interRequestDelayMs: 0, backoff: { afterFailures: 3, initialMs: 5_000, maxMs: 20_000 }, clock });
});
afterAll(async () => {
  queue?.close();
  await transport?.close();
  await rig?.stop();
});

function interlockOn(device: string, unitId: number) {
  const cfg: InterlockConfig = InterlockSchema.parse({
    name: `close-${device}`,
    description: 'close the gas valve on a 2nd-level alarm',
    when: [TRIGGER],
    actions: [{ write: { device, point: 'close_command', value: true } }],
    confirm: { device, point: 'closed_feedback', value: true, withinMs: 1_000 },
    retries: 1,
  });
  let listener: (id: string, active: boolean) => void = () => undefined;
  const engine = {
    get: (id: string) => (id === TRIGGER ? ({ id, conditionActive: true } as AlarmSnapshot) : undefined),
    onCondition: (l: typeof listener) => void (listener = l),
  };
  const io = new ModbusPointIo(new Map([[device, { queue, unitId, points: resolvePoints(valveProfile) }]]), [cfg]);
  const journal: JournalEntry[] = [];
  const settled: InterlockStatus[] = [];
  const controller = new InterlockController([cfg], {
    engine,
    io,
    setRelay: () => true,
    clock,
    journal: (e) => journal.push(e),
    onStateChange: (s) => (s.state === 'tripped' || s.state === 'failed') && settled.push(s),
  });
  controller.start();
  const waitSettled = async (ms: number): Promise<InterlockStatus | undefined> => {
    for (const end = Date.now() + ms; Date.now() < end && settled.length === 0; ) await new Promise((r) => setTimeout(r, 20));
    return settled[0];
  };
  return { controller, journal, trip: () => listener(TRIGGER, true), waitSettled };
}

describe('interlock on the virtual rig', () => {
  it('writes the valve coil, waits for the limit switch, and is confirmed', async () => {
    const { controller, trip, waitSettled, journal } = interlockOn('valve-ok', 1);
    trip();
    const status = await waitSettled(5_000);
    expect(status).toMatchObject({ state: 'tripped', lastError: null });
    expect(rig.device('valve-ok').values()).toMatchObject({ close_command: true, closed_feedback: true });
    const t = status!.lastTiming!;
    expect(t.confirmedAt! - t.trippedAt).toBeGreaterThanOrEqual(TRAVEL_MS);
    expect(journal.map((e) => e.event.type)).toEqual(['interlock.tripped', 'interlock.confirmed']);
    controller.stop();
  });

  it('fails, with its own fault event, when the valve never reports closed', async () => {
    const { controller, trip, waitSettled, journal } = interlockOn('valve-jammed', 2);
    trip();
    const status = await waitSettled(5_000);
    expect(status).toMatchObject({ state: 'failed', lastError: 'feedback valve-jammed/closed_feedback did not show true within 1000 ms (last: false)' });
    expect(rig.device('valve-jammed').get('close_command')).toBe(true); // the command did reach it
    expect(journal.at(-1)!.event).toMatchObject({ type: 'interlock.failed', severity: 'fault' });
    controller.stop();
  });
});
