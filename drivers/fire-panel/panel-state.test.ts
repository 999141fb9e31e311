import { describe, expect, it } from 'vitest';
import { bitsOf, COMPONENT_STATUS_BITS, SYSTEM_STATUS_BITS, UITD_STATUS_BITS, type ComponentStatus } from '../gb26875/index.js';
import type { Reading } from '../../gateway/readings.js';
import { PanelState } from './panel-state.js';

const T = { second: 58, minute: 29, hour: 14, day: 18, month: 5, year: 24 };
const stamp = { device: 'panel-1', ts: 1_000, clockTrusted: true };

function smoke(status: number, position = 12, description = '1号楼3层烟感'): ComponentStatus {
  return { systemType: 1, systemAddress: 1, componentType: 42, componentAddress: { zone: 3, position }, status, description, time: T };
}

function value(readings: Reading[], point: string): Reading['value'] | undefined {
  return readings.filter((r) => r.point === point).at(-1)?.value;
}

describe('PanelState: component status (type 2)', () => {
  it('a fire sent with bit 0 = 0 ("test") is a fire: its point, any_fire and fire_count', () => {
    const s = new PanelState('panel-1');
    const { readings, events } = s.apply({ type: 2, objects: [smoke(0x0002)] }, stamp);
    expect(value(readings, 'c_1_1_3_12_fire')).toBe(true);
    expect(value(readings, 'c_1_1_3_12_fault')).toBe(false);
    expect(value(readings, 'any_fire')).toBe(true);
    expect(value(readings, 'fire_count')).toBe(1);
    expect(readings.every((r) => r.device === 'panel-1' && r.quality === 'good' && r.ts === 1_000)).toBe(true);
    expect(events).toEqual([expect.objectContaining({ type: 'panel.component', severity: 'alarm', message: 'panel-1 c_1_1_3_12 1号楼3层烟感: fire' })]);
  });

  it('gives one point per status bit that matters', () => {
    const s = new PanelState('panel-1');
    const { readings } = s.apply({ type: 2, objects: [smoke(bitsOf(COMPONENT_STATUS_BITS, { normal: true, powerFault: true, delay: true }))] }, stamp);
    const own = readings.filter((r) => r.point.startsWith('c_1_1_3_12_')).map((r) => [r.point, r.value]);
    expect(Object.fromEntries(own)).toEqual({
      c_1_1_3_12_fire: false,
      c_1_1_3_12_fault: false,
      c_1_1_3_12_shield: false,
      c_1_1_3_12_supervisory: false,
      c_1_1_3_12_started: false,
      c_1_1_3_12_feedback: false,
      c_1_1_3_12_delay: true,
      c_1_1_3_12_power_fault: true,
    });
    expect(value(readings, 'any_fault')).toBe(true); // a power fault is a fault
  });

  it('a component not mentioned again keeps its last state; the components view has its description', () => {
    const s = new PanelState('panel-1');
    s.apply({ type: 2, objects: [smoke(0x0003)] }, stamp);
    const next = s.apply({ type: 2, objects: [smoke(0x0001, 13, '1号楼3层烟感2')] }, { ...stamp, ts: 2_000 });
    expect(value(next.readings, 'any_fire')).toBe(true);
    expect(value(next.readings, 'fire_count')).toBe(1);
    expect(s.componentList().map((c) => [c.key, c.description, c.fire])).toEqual([
      ['c_1_1_3_12', '1号楼3层烟感', true],
      ['c_1_1_3_13', '1号楼3层烟感2', false],
    ]);
    expect(s.componentList()[0]?.componentTypeName).toMatch(/smoke/);
  });

  it('the fire clears when the panel reports the component normal; no event when nothing changed', () => {
    const s = new PanelState('panel-1');
    s.apply({ type: 2, objects: [smoke(0x0002)] }, stamp);
    expect(s.apply({ type: 2, objects: [smoke(0x0002)] }, stamp).events).toEqual([]);
    const back = s.apply({ type: 2, objects: [smoke(0x0001)] }, stamp);
    expect(value(back.readings, 'any_fire')).toBe(false);
    expect(back.events[0]?.message).toBe('panel-1 c_1_1_3_12 1号楼3层烟感: normal');
  });
});

describe('PanelState: system status (type 1), analog (type 3), reset', () => {
  it('maps the system status bits to system_<type>_<addr>_* and counts them in the aggregates', () => {
    const s = new PanelState('panel-1');
    const status = bitsOf(SYSTEM_STATUS_BITS, { normal: true, mainPowerFault: true, manual: true, supervisory: true });
    const { readings } = s.apply({ type: 1, objects: [{ systemType: 1, systemAddress: 2, status, time: T }] }, stamp);
    expect(value(readings, 'system_1_2_main_power_fault')).toBe(true);
    expect(value(readings, 'system_1_2_manual_mode')).toBe(true);
    expect(value(readings, 'system_1_2_fire')).toBe(false);
    expect(readings.filter((r) => r.point.startsWith('system_1_2_'))).toHaveLength(11);
    expect(value(readings, 'any_fault')).toBe(true);
    expect(value(readings, 'any_supervisory')).toBe(true);
    expect(value(readings, 'any_fire')).toBe(false);
  });

  it('an analog value becomes a number in its unit; out of range is bad; a user-defined type stays raw', () => {
    const s = new PanelState('panel-1');
    const ref = { systemType: 1, systemAddress: 1, componentType: 11, componentAddress: { zone: 1, position: 4 }, time: T };
    const { readings } = s.apply(
      {
        type: 3,
        objects: [
          { ...ref, analogType: 6, raw: 253 },
          { ...ref, analogType: 3, raw: 32001 },
          { ...ref, analogType: 200, raw: 42 },
        ],
      },
      stamp,
    );
    expect(readings.find((r) => r.point === 'a_1_1_1_4_6')).toMatchObject({ value: 25.3, unit: '%LEL', quality: 'good' });
    expect(readings.find((r) => r.point === 'a_1_1_1_4_3')).toMatchObject({ quality: 'bad', unit: '℃' });
    expect(readings.find((r) => r.point === 'a_1_1_1_4_200')).toMatchObject({ value: 42, quality: 'good' });
    expect(readings.find((r) => r.point === 'a_1_1_1_4_200')?.unit).toBeUndefined();
  });

  it('a reset operation record returns that system’s components to normal, and only that system’s', () => {
    const s = new PanelState('panel-1');
    s.apply({ type: 2, objects: [smoke(0x0002), { ...smoke(0x0002, 1), systemAddress: 2 }] }, stamp);
    const { readings, events } = s.apply({ type: 4, objects: [{ systemType: 1, systemAddress: 1, operation: 0x01, operator: 1, time: T }] }, stamp);
    expect(value(readings, 'c_1_1_3_12_fire')).toBe(false);
    expect(value(readings, 'fire_count')).toBe(1); // c_1_2_3_1 is on another panel loop / system
    expect(events[0]).toMatchObject({ type: 'panel.reset', message: 'panel-1: panel reset (system_1_1); 1 component(s) back to normal' });
  });

  it('commFault turns every point it ever had to comm-fault with no value, and restate brings the last states back', () => {
    const s = new PanelState('panel-1');
    s.apply({ type: 2, objects: [smoke(0x0002)] }, stamp);
    s.apply({ type: 3, objects: [{ systemType: 1, systemAddress: 1, componentType: 11, componentAddress: { zone: 1, position: 4 }, analogType: 6, raw: 10, time: T }] }, stamp);
    const lost = s.commFault({ ...stamp, ts: 5_000 });
    expect(lost.every((r) => r.quality === 'comm-fault' && r.value === null && r.ts === 5_000)).toBe(true);
    expect(lost.map((r) => r.point)).toEqual(expect.arrayContaining(['any_fire', 'fire_count', 'c_1_1_3_12_fire', 'a_1_1_1_4_6']));
    expect(lost.find((r) => r.point === 'a_1_1_1_4_6')?.unit).toBe('%LEL');
    const back = s.restate({ ...stamp, ts: 6_000 });
    expect(value(back, 'c_1_1_3_12_fire')).toBe(true);
    expect(value(back, 'any_fire')).toBe(true);
    expect(back.some((r) => r.point.startsWith('a_'))).toBe(false); // an old measurement is not re-stated as fresh
  });
});

describe('PanelState: transmission card status (type 21)', () => {
  it('maps each flag to a uitd_ point; a line or power fault is a fault, with one event per change', () => {
    const s = new PanelState('panel-1');
    const status = bitsOf(UITD_STATUS_BITS, { normal: true, backupPowerFault: true, centreLinkFault: true });
    const { readings, events } = s.apply({ type: 21, objects: [{ status, time: T }] }, stamp);
    const own = readings.filter((r) => r.point.startsWith('uitd_')).map((r) => [r.point, r.value]);
    expect(Object.fromEntries(own)).toEqual({
      uitd_fire: false,
      uitd_fault: false,
      uitd_main_power_fault: false,
      uitd_backup_power_fault: true,
      uitd_centre_link_fault: true,
      uitd_monitored_line_fault: false,
    });
    expect(value(readings, 'any_fault')).toBe(true);
    expect(value(readings, 'fault_count')).toBe(1);
    expect(events).toEqual([expect.objectContaining({ type: 'panel.uitd', severity: 'fault', message: 'panel-1 transmission card: backupPowerFault, centreLinkFault' })]);
    // the same status again: points re-stated, no new event
    expect(s.apply({ type: 21, objects: [{ status, time: T }] }, stamp).events).toEqual([]);
  });

  it('a card reporting fire counts as a fire (the safe reading), and its points go comm-fault with the link', () => {
    const s = new PanelState('panel-1');
    const { readings } = s.apply({ type: 21, objects: [{ status: bitsOf(UITD_STATUS_BITS, { fire: true }), time: T }] }, stamp);
    expect(value(readings, 'any_fire')).toBe(true);
    const lost = s.commFault(stamp);
    expect(lost.filter((r) => r.point.startsWith('uitd_')).every((r) => r.quality === 'comm-fault' && r.value === null)).toBe(true);
    expect(value(s.restate(stamp), 'uitd_fire')).toBe(true);
  });
});
