import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusQueue } from '../../drivers/modbus/bus-queue.js';
import { resolvePoints } from '../../drivers/modbus/codecs.js';
import { FakeTransport, fakeTimersClock } from '../../drivers/modbus/fake-transport.js';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { ProfileSchema } from '../../drivers/profiles/schema.js';
import { InterlockSchema } from '../../gateway/config/safety-schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import type { AlarmSnapshot } from '../model.js';
import { InterlockController } from './interlock-controller.js';
import { ModbusPointIo, type ModbusDevices } from './modbus-point-io.js';

const LATENCY = 10;
const VALVE_UNIT = 7;
const AUX_UNIT = 8;

const valveProfile = loadProfileCatalog([builtinProfilesDir()]).catalog.get('generic/gas-valve-actuator')!;

/** A module with a scaled set point, a bit inside a control word, and a read-only value. */
const auxProfile = ProfileSchema.parse({
  id: 'acme/aux',
  vendor: 'acme',
  model: 'aux',
  category: 'other',
  description: 'test fixture',
  source: { generic: true, notes: 'test fixture' },
  points: [
    { name: 'fan_speed', table: 'holding', address: 0, type: 'u16', scale: 0.5, unit: '%', access: 'readwrite', range: { min: 0, max: 100 } },
    { name: 'fan_run', table: 'holding', address: 1, type: 'bool', bit: 3, access: 'readwrite' },
    { name: 'temperature', table: 'input', address: 0, type: 'i16', scale: 0.1 },
    { name: 'mode', table: 'holding', address: 2, type: 'u16', enum: { '0': 'auto', '1': 'manual' }, access: 'readwrite' },
  ],
});

function setup() {
  const transport = new FakeTransport(() => undefined, LATENCY);
  const queue = new BusQueue({
    name: 'rs485-1',
    transport,
    timeoutMs: 1_000,
    retries: 0,
    interRequestDelayMs: 0,
    backoff: { afterFailures: 3, initialMs: 5_000, maxMs: 20_000 },
    clock: fakeTimersClock(),
  });
  const devices: ModbusDevices = new Map([
    ['valve', { queue, unitId: VALVE_UNIT, points: resolvePoints(valveProfile) }],
    ['aux', { queue, unitId: AUX_UNIT, points: resolvePoints(auxProfile) }],
  ]);
  return { transport, queue, devices, io: new ModbusPointIo(devices) };
}

const interlock = (actions: unknown[], confirm?: unknown) =>
  InterlockSchema.parse({ name: 'x', description: 'x', when: ['a/b'], actions, ...(confirm ? { confirm } : {}) });

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ModbusPointIo', () => {
  it('writes the close coil ahead of the polls already queued, in the caller’s turn', async () => {
    const { transport, queue, io } = setup();
    for (let i = 0; i < 3; i++) void queue.read(AUX_UNIT, 'holding', 0, 3);
    const written = io.writePoint('valve', 'close_command', true);
    await vi.advanceTimersByTimeAsync(4 * LATENCY);
    await written;
    // The first poll was already on the wire; the write went next, before the other two.
    expect(transport.calls.map((c) => `${c.unitId} ${c.op} ${c.table}`)).toEqual(['8 read holding', '7 write coil', '8 read holding', '8 read holding']);
    expect(transport.getBit(VALVE_UNIT, 0)).toBe(true);
  });

  it('encodes and decodes with the profile: scale, enumeration labels, discrete inputs', async () => {
    const { transport, io } = setup();
    void io.writePoint('aux', 'fan_speed', 42.5);
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(transport.getRegister(AUX_UNIT, 0)).toBe(85);
    const speed = io.readPoint('aux', 'fan_speed');
    await vi.advanceTimersByTimeAsync(LATENCY);
    await expect(speed).resolves.toBe(42.5);

    transport.setRegisters(AUX_UNIT, 'holding', 2, [1]);
    transport.setBits(VALVE_UNIT, 'discrete', 0, [true]);
    const mode = io.readPoint('aux', 'mode');
    const closed = io.readPoint('valve', 'closed_feedback');
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    await expect(mode).resolves.toBe('manual');
    await expect(closed).resolves.toBe(true);
  });

  it('rejects a read whose value is not valid (out of range), saying so', async () => {
    const { transport, io } = setup();
    transport.setRegisters(AUX_UNIT, 'holding', 0, [900]); // 450 % — outside 0..100
    const speed = io.readPoint('aux', 'fan_speed');
    const expectation = expect(speed).rejects.toThrow('device aux point fan_speed: the value read is not valid (bad quality, raw [900])');
    await vi.advanceTimersByTimeAsync(LATENCY);
    await expectation;
  });

  it('rejects, without touching the bus, a write to a point that cannot take it', async () => {
    const { transport, io } = setup();
    await expect(io.writePoint('valve', 'closed_feedback', true)).rejects.toThrow('point closed_feedback of device valve is read-only');
    await expect(io.writePoint('aux', 'fan_speed', 42.3)).rejects.toThrow('point fan_speed: cannot write 42.3: not a whole multiple of scale 0.5');
    expect(transport.calls).toHaveLength(0);
  });

  it('refuses at construction every bad interlock target, with its path', () => {
    const { devices } = setup();
    const bad = [
      interlock([{ write: { device: 'valve', point: 'close_command', value: true } }], { device: 'valve', point: 'closed_feedback', value: true, withinMs: 3000 }),
      interlock(
        [
          { write: { device: 'aux', point: 'fan_run', value: true } },
          { write: { device: 'aux', point: 'temperature', value: 1 } },
          { write: { device: 'valve2', point: 'close_command', value: true } },
          { write: { device: 'valve', point: 'close', value: true } },
          { write: { device: 'aux', point: 'mode', value: 7 } },
          { output: { name: 'fan', value: 'on' } },
        ],
        { device: 'valve', point: 'closed', value: true, withinMs: 3000 },
      ),
    ];
    expect(() => new ModbusPointIo(devices, bad)).toThrow(
      [
        'interlocks[1].actions[0].write: point fan_run of device aux is bit 3 of holding register 1; writing one bit would need a read-modify-write of the whole register, which interlocks do not do (map the command as a coil or a whole register)',
        'interlocks[1].actions[1].write: point temperature of device aux is read-only (its profile does not mark it access: readwrite)',
        'interlocks[1].actions[2].write: no Modbus device "valve2" (devices: valve, aux)',
        'interlocks[1].actions[3].write: device valve has no point "close" (or it is disabled in the site file)',
        'interlocks[1].actions[4].write: point mode: cannot write 7: not one of its enumeration values (0=auto, 1=manual)',
        'interlocks[1].confirm: device valve has no point "closed" (or it is disabled in the site file)',
      ].join('\n'),
    );
    expect(() => new ModbusPointIo(devices, [bad[0]!])).not.toThrow();
  });
});

describe('an interlock over a bus queue', () => {
  it('trip → the coil write leaves ahead of the queued polls → read back → tripped', async () => {
    const { transport, queue, devices } = setup();
    let listener: (id: string, active: boolean) => void = () => undefined;
    let active = false;
    const engine = {
      get: (id: string) => (id === 'gas-1/gas_high_high' ? ({ id, conditionActive: active } as AlarmSnapshot) : undefined),
      onCondition: (l: typeof listener) => void (listener = l),
    };
    const cfg = interlock([{ write: { device: 'valve', point: 'close_command', value: true } }]);
    const cfgs = [{ ...cfg, when: ['gas-1/gas_high_high'] }];
    const controller = new InterlockController(cfgs, { engine, io: new ModbusPointIo(devices, cfgs), setRelay: () => true, clock: fakeTimersClock(), journal: () => undefined });
    controller.start();
    for (let i = 0; i < 5; i++) void queue.read(AUX_UNIT, 'holding', 0, 3);
    active = true;
    listener('gas-1/gas_high_high', true);
    await vi.advanceTimersByTimeAsync(4 * LATENCY);
    // The write jumps the queue at once; the read-back is enqueued when the write's answer has
    // been handled, by when the bus has started the next poll — it jumps the remaining ones.
    expect(transport.calls.slice(0, 5).map((c) => `${c.unitId} ${c.op} ${c.table}`)).toEqual(['8 read holding', '7 write coil', '8 read holding', '7 read coil', '8 read holding']);
    expect(controller.get('x')).toMatchObject({ state: 'tripped', lastTiming: { trippedAt: 0, issuedAt: 0, confirmedAt: 4 * LATENCY, attempts: 1 } });
  });
});
