/**
 * What the gateway knows of one panel: every system and component it has reported, their last
 * status, and the aggregates the alarms watch. Panels report *changes* (GB/T 26875.3 command 2
 * is sent unasked when something happens), so a component that is not mentioned again keeps its
 * last state; only a panel reset (system status bit 13, or an operation record with the reset
 * flag) returns the components of that system to normal, as the panel's own display does.
 *
 * Synchronous and I/O-free: the link calls apply() in the turn the frame arrived and hands the
 * readings straight to the alarm path.
 */
import {
  COMPONENT_TYPES,
  DataType,
  FACILITY_OPERATION_BITS,
  flagsOf,
  SYSTEM_STATUS_BITS,
  timeLabelToDate,
  UITD_STATUS_BITS,
  type ApplicationData,
  type ComponentStatus,
  type SystemRef,
  type SystemStatus,
  type TimeLabel,
} from '../gb26875/index.js';
import type { Reading } from '../../gateway/readings.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import { AGGREGATE_POINTS, componentKey, systemKey } from './point-names.js';
import { analogReading, componentAlarmFlags, componentReadings, systemAlarmFlags, systemReadings, uitdAlarmFlags, uitdReadings, type ReadingStamp } from './points.js';

/** One component as last reported: what the API and docs show next to its points. */
export interface ComponentInfo {
  /** Point-name prefix, e.g. "c_1_1_3_12". */
  readonly key: string;
  readonly systemType: number;
  readonly systemAddress: number;
  readonly componentType: number;
  /** From the codec's 表5, e.g. "点型光电感烟火灾探测器 …"; undefined for a type it does not name. */
  readonly componentTypeName: string | undefined;
  readonly zone: number;
  readonly position: number;
  /** The panel's GB 18030 description, decoded ("1号楼3层烟感"). */
  readonly description: string;
  /** The raw status word (COMPONENT_STATUS_BITS). */
  readonly status: number;
  readonly fire: boolean;
  readonly fault: boolean;
  readonly supervisory: boolean;
  readonly shield: boolean;
  /** Gateway time of the last report. */
  readonly lastReportTs: number;
  /** The panel's own time label of the last report, when it is a valid date. */
  readonly panelTime: string | undefined;
}

export interface SystemInfo {
  readonly key: string;
  readonly systemType: number;
  readonly systemAddress: number;
  readonly status: number;
  readonly lastReportTs: number;
}

export interface PanelUpdate {
  readings: Reading[];
  events: GatewayEvent[];
}

export class PanelState {
  private readonly systems = new Map<string, SystemInfo>();
  private readonly components = new Map<string, ComponentInfo>();
  /** Analog points seen, with their unit, so a comm fault can name them. */
  private readonly analogs = new Map<string, string | undefined>();
  /** The transmission card's last running status (type 21), when the panel is behind one. */
  private uitd: { status: number; lastReportTs: number } | null = null;

  constructor(readonly device: string) {}

  /** Data of one confirmed command-2 frame → the readings (changed objects + all aggregates) and events. */
  apply(data: ApplicationData, stamp: ReadingStamp): PanelUpdate {
    const out: PanelUpdate = { readings: [], events: [] };
    switch (data.type) {
      case DataType.SystemStatus:
        for (const s of data.objects) this.applySystem(s, stamp, out);
        break;
      case DataType.ComponentStatus:
        for (const c of data.objects) this.applyComponent(c, stamp, out);
        break;
      case DataType.AnalogValue:
        for (const a of data.objects) {
          const r = analogReading(stamp, a);
          this.analogs.set(r.point, r.unit);
          out.readings.push(r);
        }
        break;
      case DataType.UitdStatus:
        for (const u of data.objects) this.applyUitd(u.status, u.time, stamp, out);
        break;
      case DataType.FacilityOperation:
        for (const op of data.objects) {
          if (flagsOf(FACILITY_OPERATION_BITS, op.operation).reset) this.reset(op, stamp, out, true);
        }
        break;
      default:
        // Versions, configurations, clocks, UITD operation records: confirmed, not mapped to points.
        break;
    }
    out.readings.push(...this.aggregates(stamp));
    return out;
  }

  /** A heartbeat (command 2, empty ADU): nothing changed; the aggregates are re-stated as good. */
  heartbeat(stamp: ReadingStamp): Reading[] {
    return this.aggregates(stamp);
  }

  /**
   * The link is lost or silent: every point this panel has ever had gets quality comm-fault and
   * no value. The engine holds fire alarms as they were ("no value, no judgement") and raises
   * the panel's communication alarm. The last known states are kept for when it comes back.
   */
  commFault(stamp: ReadingStamp): Reading[] {
    const fault = (point: string, unit?: string): Reading => ({
      device: this.device,
      point,
      value: null,
      ...(unit !== undefined ? { unit } : {}),
      quality: 'comm-fault',
      ts: stamp.ts,
      clockTrusted: stamp.clockTrusted,
    });
    const out: Reading[] = [];
    for (const s of this.systems.values()) for (const r of systemReadings(stamp, s)) out.push(fault(r.point));
    for (const c of this.components.values()) for (const r of componentReadings(stamp, { ...c, componentAddress: { zone: c.zone, position: c.position } })) out.push(fault(r.point));
    for (const [point, unit] of this.analogs) out.push(fault(point, unit));
    if (this.uitd) for (const r of uitdReadings(stamp, this.uitd.status)) out.push(fault(r.point));
    for (const point of Object.values(AGGREGATE_POINTS)) out.push(fault(point));
    return out;
  }

  /**
   * The link is back: every system and component re-stated with its last known state (panels
   * report changes, so that state stands until the panel says otherwise), and the aggregates.
   * Analog values are not re-stated: an old measurement is not a fresh one; they stay in
   * comm-fault until the panel sends them again.
   */
  restate(stamp: ReadingStamp): Reading[] {
    const out: Reading[] = [];
    for (const s of this.systems.values()) out.push(...systemReadings(stamp, s));
    for (const c of this.components.values()) out.push(...componentReadings(stamp, { ...c, componentAddress: { zone: c.zone, position: c.position } }));
    if (this.uitd) out.push(...uitdReadings(stamp, this.uitd.status));
    out.push(...this.aggregates(stamp));
    return out;
  }

  /** Every component reported so far, by key. */
  componentList(): ComponentInfo[] {
    return [...this.components.values()];
  }

  systemList(): SystemInfo[] {
    return [...this.systems.values()];
  }

  private applySystem(s: SystemStatus, stamp: ReadingStamp, out: PanelUpdate): void {
    const key = systemKey(s);
    const before = this.systems.get(key);
    this.systems.set(key, { key, systemType: s.systemType, systemAddress: s.systemAddress, status: s.status, lastReportTs: stamp.ts });
    out.readings.push(...systemReadings(stamp, s));
    const flags = flagsOf(SYSTEM_STATUS_BITS, s.status);
    if (flags.reset) this.reset(s, stamp, out, false);
    if (before?.status !== s.status) {
      const a = systemAlarmFlags(s.status);
      out.events.push({
        type: 'panel.system',
        severity: a.fire ? 'alarm' : a.fault ? 'fault' : 'info',
        ts: stamp.ts,
        clockTrusted: stamp.clockTrusted,
        device: this.device,
        message: `${this.device} ${key}: ${describeFlags(flags) || 'normal'}`,
        data: { system: key, status: s.status, panelTime: panelTime(s.time) },
      });
    }
  }

  /** A transmission card's status (type 21): its points, an event when it changes, and the aggregates. */
  private applyUitd(status: number, time: TimeLabel, stamp: ReadingStamp, out: PanelUpdate): void {
    const before = this.uitd;
    this.uitd = { status, lastReportTs: stamp.ts };
    out.readings.push(...uitdReadings(stamp, status));
    if (before?.status === status) return;
    const a = uitdAlarmFlags(status);
    out.events.push({
      type: 'panel.uitd',
      severity: a.fire ? 'alarm' : a.fault ? 'fault' : 'info',
      ts: stamp.ts,
      clockTrusted: stamp.clockTrusted,
      device: this.device,
      message: `${this.device} transmission card: ${describeFlags(flagsOf(UITD_STATUS_BITS, status)) || 'normal'}`,
      data: { status, panelTime: panelTime(time) },
    });
  }

  private applyComponent(c: ComponentStatus, stamp: ReadingStamp, out: PanelUpdate): void {
    const key = componentKey(c);
    const before = this.components.get(key);
    const a = componentAlarmFlags(c.status);
    const info: ComponentInfo = {
      key,
      systemType: c.systemType,
      systemAddress: c.systemAddress,
      componentType: c.componentType,
      componentTypeName: COMPONENT_TYPES.get(c.componentType),
      zone: c.componentAddress.zone,
      position: c.componentAddress.position,
      description: c.description,
      status: c.status,
      ...a,
      lastReportTs: stamp.ts,
      panelTime: panelTime(c.time),
    };
    this.components.set(key, info);
    out.readings.push(...componentReadings(stamp, c));
    if (before?.status !== c.status || before.description !== c.description) out.events.push(this.componentEvent(info, stamp));
  }

  /**
   * A panel reset: the panel has cleared its alarms, so the components it reported for that
   * system return to normal here too. System type 0 (通用 general) resets every system. The
   * gateway's own latched fire alarm still waits for a person's reset (docs/alarms.md §3).
   */
  private reset(sys: SystemRef & { time: TimeLabel }, stamp: ReadingStamp, out: PanelUpdate, clearSystem: boolean): void {
    const all = sys.systemType === 0;
    const matches = (x: SystemRef): boolean => all || (x.systemType === sys.systemType && x.systemAddress === sys.systemAddress);
    let cleared = 0;
    for (const c of this.components.values()) {
      if (!matches(c) || c.status === 0) continue;
      const info: ComponentInfo = { ...c, status: 0, fire: false, fault: false, supervisory: false, shield: false, lastReportTs: stamp.ts };
      this.components.set(c.key, info);
      out.readings.push(...componentReadings(stamp, { ...c, status: 0, componentAddress: { zone: c.zone, position: c.position } }));
      cleared += 1;
    }
    if (clearSystem) {
      for (const s of this.systems.values()) {
        if (!matches(s) || s.status === 0) continue;
        this.systems.set(s.key, { ...s, status: 0, lastReportTs: stamp.ts });
        out.readings.push(...systemReadings(stamp, { ...s, status: 0 }));
      }
    }
    out.events.push({
      type: 'panel.reset',
      severity: 'info',
      ts: stamp.ts,
      clockTrusted: stamp.clockTrusted,
      device: this.device,
      message: `${this.device}: panel reset (${all ? 'all systems' : systemKey(sys)}); ${cleared} component(s) back to normal`,
      data: { system: all ? 'all' : systemKey(sys), cleared, panelTime: panelTime(sys.time) },
    });
  }

  private componentEvent(c: ComponentInfo, stamp: ReadingStamp): GatewayEvent {
    const what = describeFlags(flagsOf(COMPONENT_STATUS_BIT_NAMES, c.status)) || 'normal';
    return {
      type: 'panel.component',
      severity: c.fire ? 'alarm' : c.fault ? 'fault' : 'info',
      ts: stamp.ts,
      clockTrusted: stamp.clockTrusted,
      device: this.device,
      message: `${this.device} ${c.key} ${c.description || '(no description)'}: ${what}`,
      data: { ...c },
    };
  }

  private aggregates(stamp: ReadingStamp): Reading[] {
    let fires = 0;
    let faults = 0;
    let supervisory = false;
    let shield = false;
    const count = (f: { fire: boolean; fault: boolean; supervisory: boolean; shield: boolean }): void => {
      if (f.fire) fires += 1;
      if (f.fault) faults += 1;
      supervisory ||= f.supervisory;
      shield ||= f.shield;
    };
    for (const s of this.systems.values()) count(systemAlarmFlags(s.status));
    for (const c of this.components.values()) count(c);
    if (this.uitd) count(uitdAlarmFlags(this.uitd.status));
    const r = (point: string, value: boolean | number): Reading => ({ device: this.device, point, value, quality: 'good', ts: stamp.ts, clockTrusted: stamp.clockTrusted });
    return [
      r(AGGREGATE_POINTS.anyFire, fires > 0),
      r(AGGREGATE_POINTS.anyFault, faults > 0),
      r(AGGREGATE_POINTS.anySupervisory, supervisory),
      r(AGGREGATE_POINTS.anyShield, shield),
      r(AGGREGATE_POINTS.fireCount, fires),
      r(AGGREGATE_POINTS.faultCount, faults),
    ];
  }
}

/** Component flags worth naming in a message (bit 0 "normal" is left out: see points.ts). */
const COMPONENT_STATUS_BIT_NAMES = { fire: 1, fault: 2, shield: 3, supervisory: 4, started: 5, feedback: 6, delay: 7, powerFault: 8 } as const;

function describeFlags(flags: Record<string, boolean>): string {
  return Object.entries(flags)
    .filter(([name, on]) => on && name !== 'normal')
    .map(([name]) => name)
    .join(', ');
}

function panelTime(t: TimeLabel): string | undefined {
  return timeLabelToDate(t)?.toISOString();
}
