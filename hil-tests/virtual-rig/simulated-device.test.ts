import { beforeAll, describe, expect, it } from 'vitest';
import { loadProfileCatalog, type ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { Profile } from '../../drivers/profiles/schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { SimulatedDevice, type DeviceAnswer } from './simulated-device.js';
import { seededRandom } from './test-clients.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
let catalog: ProfileCatalog;
let gasProfile: Profile;

beforeAll(() => {
  catalog = loadProfileCatalog([builtinProfilesDir()]).catalog;
  gasProfile = catalog.get('generic/combustible-gas')!;
  expect(gasProfile).toBeDefined();
});

const gas = (behaviours: ConstructorParameters<typeof SimulatedDevice>[0]['behaviours'] = {}): SimulatedDevice =>
  new SimulatedDevice({ name: 'gas1', unitId: 3, profile: gasProfile, behaviours, random: seededRandom(1) });

const replyHex = (a: DeviceAnswer): string => (a.kind === 'reply' ? a.pdu.toString('hex') : a.kind);

describe('SimulatedDevice values', () => {
  it('encodes engineering values into the registers the profile names', () => {
    const d = gas({ gas_lel: 25.3, status: 'alarm_level_1', alarm_1_setpoint: 25 });
    // FC03 start 0 quantity 4 → 253 (25.3 ×10), status code 1, flags 0, 250
    expect(replyHex(d.answer(hex('03 0000 0004')))).toBe('0308' + '00fd' + '0001' + '0000' + '00fa');
    expect(d.get('gas_lel')).toBe(25.3);
    expect(d.get('status')).toBe('alarm_level_1');
  });

  it('merges bit points that share a register', () => {
    const d = gas({ sensor_fault: true, supply_fault: true });
    expect(d.bank.read('holding', 2, 1)).toEqual([0b101]);
    d.set('sensor_fault', false);
    expect(d.bank.read('holding', 2, 1)).toEqual([0b100]);
    expect(d.values()).toMatchObject({ sensor_fault: false, over_range: false, supply_fault: true });
  });

  it('sees what a client wrote, and keeps it across ticks', () => {
    const d = gas({ alarm_2_setpoint: 45 });
    expect(replyHex(d.answer(hex('06 0004 01F4')))).toBe('060004' + '01f4');
    d.tick(1000);
    expect(d.get('alarm_2_setpoint')).toBe(50);
  });

  it('names the device, point and reason when a value does not fit', () => {
    expect(() => gas({ gas_lel: 7000 })).toThrow(/device gas1: point gas_lel: cannot write 7000: raw value 70000 is outside u16/);
    expect(() => gas({ status: 'exploded' })).toThrow(/device gas1: point status: cannot write "exploded": not one of its labels/);
    expect(() => gas({ nope: 1 })).toThrow(/no point "nope" \(points: gas_lel, status/);
    expect(() => gas({ status: { kind: 'drift', center: 1, min: 0, max: 2 } })).toThrow(/drift needs a numeric point, and status is an enumeration/);
    expect(() => gas({ gas_lel: { kind: 'ramp', from: 0, to: 7000, rampMs: 1000 } })).toThrow(/gas_lel.*7000/);
  });

  it('refuses unit ids outside 1..255', () => {
    expect(() => new SimulatedDevice({ name: 'x', unitId: 0, profile: gasProfile })).toThrow(/unit id must be an integer 1..255, got 0/);
  });

  it("answers unmapped registers with exception 2, or zeros when the profile's maxGap says the device tolerates it", () => {
    expect(replyHex(gas().answer(hex('03 0000 0008')))).toBe('8302');
    const tolerant = new SimulatedDevice({ name: 'g', unitId: 1, profile: { ...gasProfile, modbus: { ...gasProfile.modbus, maxGap: 4 } } });
    expect(replyHex(tolerant.answer(hex('03 0005 0002')))).toBe('0304' + '00000000');
  });
});

describe('SimulatedDevice behaviours', () => {
  it('ramps a gas leak: rest, rise, hold, fall, and again', () => {
    const d = gas({ gas_lel: { kind: 'ramp', from: 0, to: 60, restMs: 10_000, rampMs: 60_000, holdMs: 30_000, returnMs: 20_000 } });
    const at = (ms: number): unknown => (d.tick(5_000_000 + ms), d.get('gas_lel'));
    expect(at(0)).toBe(0);
    expect(at(9_000)).toBe(0); // resting
    expect(at(40_000)).toBe(30); // half way up
    expect(at(70_000)).toBe(60); // top
    expect(at(99_000)).toBe(60); // holding
    expect(at(110_000)).toBe(30); // half way down
    expect(at(120_000)).toBe(0); // next cycle: resting again
    expect(at(120_000 + 40_000)).toBe(30);
  });

  it('holds at the top of a ramp with no holdMs (a one-shot leak)', () => {
    const d = gas({ gas_lel: { kind: 'ramp', from: 2, to: 40, rampMs: 1000 } });
    d.tick(0);
    d.tick(500);
    expect(d.get('gas_lel')).toBe(21);
    d.tick(10_000_000);
    expect(d.get('gas_lel')).toBe(40);
  });

  it('drifts like sensor noise: moves, stays within bounds, reports whole 0.1 %LEL steps', () => {
    const d = gas({ gas_lel: { kind: 'drift', center: 3, min: 0, max: 6, noise: 1 } });
    const values: number[] = [];
    for (let t = 0; t <= 3_600_000; t += 1000) {
      d.tick(t);
      values.push(d.get('gas_lel') as number);
    }
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(6);
    expect(values.filter((v) => Math.abs(v * 10 - Math.round(v * 10)) > 1e-9)).toEqual([]);
    const seen = new Set(values);
    expect(seen.size).toBeGreaterThan(20);
  });

  it('set() replaces a moving behaviour with a held value', () => {
    const d = gas({ gas_lel: { kind: 'ramp', from: 0, to: 60, rampMs: 1000 } });
    d.set('gas_lel', 7.5);
    d.tick(0);
    d.tick(900);
    expect(d.get('gas_lel')).toBe(7.5);
    expect(d.behaviour('gas_lel')).toEqual({ kind: 'constant', value: 7.5 });
  });
});

describe('SimulatedDevice follows: an actuator whose limit switches follow the command', () => {
  const valve = (): SimulatedDevice =>
    new SimulatedDevice({
      name: 'valve1',
      unitId: 9,
      profile: catalog.get('generic/gas-valve-actuator')!,
      behaviours: {
        closed_feedback: { kind: 'follows', point: 'close_command', delayMs: 3_000 },
        open_feedback: { kind: 'follows', point: 'close_command', delayMs: 3_000, invert: true },
      },
    });

  it('reports closed travelMs after the gateway writes the close coil, and open again after it is released', () => {
    const d = valve();
    d.tick(0);
    expect(d.values()).toMatchObject({ close_command: false, closed_feedback: false, open_feedback: true });
    // FC05 write single coil 0 := ON, as the gateway's interlock would.
    expect(replyHex(d.answer(hex('05 0000 FF00')))).toBe('050000ff00');
    d.tick(1_000);
    d.tick(3_900);
    expect(d.values()).toMatchObject({ close_command: true, closed_feedback: false, open_feedback: true }); // travelling
    d.tick(4_000);
    expect(d.values()).toMatchObject({ closed_feedback: true, open_feedback: false });
    // FC02 read discrete inputs 0..2: closed=1, open=0, fault=0 → 0b001
    expect(replyHex(d.answer(hex('02 0000 0003')))).toBe('020101');
    d.answer(hex('05 0000 0000'));
    d.tick(5_000);
    expect(d.get('closed_feedback')).toBe(true);
    d.tick(8_000);
    expect(d.values()).toMatchObject({ closed_feedback: false, open_feedback: true });
  });

  it('replays a pulse shorter than the travel time, in order', () => {
    const d = valve();
    d.tick(0);
    d.set('close_command', true);
    d.tick(100);
    d.set('close_command', false);
    d.tick(600);
    expect(d.get('closed_feedback')).toBe(false);
    d.tick(3_100);
    expect(d.get('closed_feedback')).toBe(true);
    d.tick(3_600);
    expect(d.get('closed_feedback')).toBe(false);
  });

  it('names what is wrong with a follower', () => {
    const profile = catalog.get('generic/gas-valve-actuator')!;
    const make = (b: Record<string, unknown>) => () => new SimulatedDevice({ name: 'v', unitId: 1, profile, behaviours: { closed_feedback: b as never } });
    expect(make({ kind: 'follows', point: 'close_cmd', delayMs: 10 })).toThrow(/device v point closed_feedback: follows "close_cmd", which profile generic\/gas-valve-actuator does not have/);
    expect(make({ kind: 'follows', point: 'closed_feedback', delayMs: 10 })).toThrow(/a point cannot follow itself/);
    expect(make({ kind: 'follows', point: 'close_command', delayMs: -1 })).toThrow(/follows needs delayMs ≥ 0/);
    expect(() => gas({ gas_lel: { kind: 'follows', point: 'sensor_fault', delayMs: 0 } })).toThrow(/follows needs two bool points .*gas_lel is u16/);
  });
});

describe('SimulatedDevice faults', () => {
  const READ = hex('03 0000 0001');
  const WRITE = hex('06 0003 0064'); // alarm_1_setpoint := 10.0

  it('dead: silent, and a write is not executed', () => {
    const d = gas();
    d.inject('dead');
    expect(d.answer(READ)).toEqual({ kind: 'silent' });
    d.answer(WRITE);
    expect(d.get('alarm_1_setpoint')).toBe(0);
  });

  it('busy and exception: the exception for the request function code, nothing executed', () => {
    const d = gas();
    d.inject('busy');
    expect(replyHex(d.answer(WRITE))).toBe('8606');
    expect(d.get('alarm_1_setpoint')).toBe(0);
    d.inject({ fault: 'exception', code: 4 });
    expect(replyHex(d.answer(READ))).toBe('8304');
  });

  it('slow, crc-error, wrong-unit: the normal answer, late / spoiled / misaddressed', () => {
    const d = gas({ gas_lel: 1.5 });
    d.inject({ fault: 'slow', delayMs: 1500 });
    expect(d.answer(READ)).toMatchObject({ kind: 'reply', delayMs: 1500, corruptCrc: false, unitId: 3 });
    d.inject('crc-error');
    expect(d.answer(READ)).toMatchObject({ kind: 'reply', delayMs: 0, corruptCrc: true });
    d.inject('wrong-unit');
    expect(d.answer(READ)).toMatchObject({ kind: 'reply', unitId: 4 });
    expect(replyHex(d.answer(READ))).toBe('0302000f');
  });

  it('garbage: random bytes of the asked length, but the request still executes', () => {
    const d = gas();
    d.inject({ fault: 'garbage', length: 20 });
    const a = d.answer(WRITE);
    expect(a.kind === 'garbage' && a.bytes.length).toBe(20);
    expect(d.get('alarm_1_setpoint')).toBe(10);
  });

  it('intermittent: about dropRatio of the requests go unanswered (and unexecuted), the same ones for the same seed', () => {
    const run = (): string[] => {
      const d = gas({ gas_lel: 1.5 });
      d.inject({ fault: 'intermittent', dropRatio: 0.25 });
      return Array.from({ length: 400 }, () => d.answer(READ).kind);
    };
    const kinds = run();
    const dropped = kinds.filter((k) => k === 'silent').length;
    expect(dropped).toBeGreaterThan(60); // 100 expected; a seeded draw, far from both ends
    expect(dropped).toBeLessThan(140);
    expect(kinds.filter((k) => k === 'reply').length).toBe(400 - dropped);
    expect(run()).toEqual(kinds);
    // dropRatio 1: every request lost, so a write never lands
    const d = gas();
    d.inject({ fault: 'intermittent', dropRatio: 1 });
    expect(d.answer(WRITE)).toEqual({ kind: 'silent' });
    expect(d.get('alarm_1_setpoint')).toBe(0);
  });

  it('noise: random bytes before the intact answer, and the request executes', () => {
    const d = gas({ gas_lel: 1.5 });
    d.inject({ fault: 'noise', length: 6 });
    const a = d.answer(READ);
    expect(a).toMatchObject({ kind: 'reply', unitId: 3, corruptCrc: false, delayMs: 0 });
    expect(a.kind === 'reply' && a.noise?.length).toBe(6);
    expect(replyHex(a)).toBe('0302000f');
    d.inject('noise');
    const b = d.answer(WRITE);
    expect(b.kind === 'reply' && b.noise?.length).toBe(4);
    expect(d.get('alarm_1_setpoint')).toBe(10);
  });

  it('clear: back to normal', () => {
    const d = gas();
    d.inject('dead');
    d.inject('clear');
    expect(d.fault).toBeNull();
    expect(replyHex(d.answer(READ))).toBe('03020000');
  });

  it('refuses a fault it cannot carry out, naming what is wrong', () => {
    const d = gas();
    expect(() => d.inject({ fault: 'slow' } as never)).toThrow(/slow: delayMs must be an integer 0..600000, got undefined/);
    expect(() => d.inject('melt' as never)).toThrow(/unknown fault "melt"; one of dead, slow, busy, exception, crc-error, garbage, wrong-unit, intermittent, noise, clear/);
    expect(() => d.inject({ fault: 'dead', delayMs: 3 } as never)).toThrow(/dead: unexpected field\(s\) delayMs/);
    expect(() => d.inject({ fault: 'exception', code: 0 })).toThrow(/code must be an integer 1..255, got 0/);
    expect(() => d.inject({ fault: 'intermittent', dropRatio: 0 })).toThrow(/intermittent: dropRatio must be a number in \(0, 1\] .*got 0/);
    expect(() => d.inject({ fault: 'intermittent', dropRatio: 1.5 })).toThrow(/got 1.5/);
    expect(() => d.inject({ fault: 'intermittent' } as never)).toThrow(/dropRatio .*got undefined/);
    expect(() => d.inject({ fault: 'intermittent', dropRatio: 0.2, length: 3 } as never)).toThrow(/intermittent: unexpected field\(s\) length \(allowed: dropRatio\)/);
    expect(() => d.inject({ fault: 'noise', length: 0 })).toThrow(/noise: length must be an integer 1..256, got 0/);
  });

  it('executes a broadcast write unless dead, and never answers it', () => {
    const d = gas();
    d.broadcast(WRITE);
    expect(d.get('alarm_1_setpoint')).toBe(10);
    d.inject('dead');
    d.broadcast(hex('06 0003 00C8'));
    expect(d.get('alarm_1_setpoint')).toBe(10);
  });
});
