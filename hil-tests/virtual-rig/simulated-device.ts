/**
 * One simulated field device: a Modbus slave built from a device profile. The register bank
 * is the single source of truth — engineering values are encoded into it with the same codecs
 * the gateway decodes with (drivers/modbus/codecs.ts), so a value set here reads back through
 * the gateway exactly as a real device's would, byte order and scaling included. Writes from
 * the gateway (FC 5/6/15/16) land in the same bank, so get() sees them.
 *
 * The device is transport-free: answer(pdu) says what to send back (or that nothing goes
 * back); the RTU slave and the TCP server turn that into bytes on their wire.
 */
import { decodeRegisters, encodeRegisters, resolvePoints, type ResolvedPoint } from '../../drivers/modbus/codecs.js';
import type { Profile } from '../../drivers/profiles/schema.js';
import type { PointValue } from '../../gateway/readings.js';
import { behaviourExtremes, behaviourProblem, initialValue, startBehaviour, type Behaviour, type SimValue, type Stepper } from './behaviours.js';
import { faultException, parseFault, type Fault, type FaultInput } from './faults.js';
import { exceptionPdu, handlePdu } from './pdu.js';
import { RegisterBank, type UnmappedAddresses } from './register-bank.js';

export interface SimulatedDeviceOptions {
  name: string;
  /** 1–247 on RTU (Modbus over Serial Line V1.02 §2.2); up to 255 on TCP. */
  unitId: number;
  profile: Profile;
  /** Per point: a behaviour, or a bare value meaning `{ kind: 'constant', value }`. */
  behaviours?: Record<string, Behaviour | SimValue>;
  /**
   * What a read of an unused address gets. Default: 'zero' when the profile allows the
   * planner to read across gaps (modbus.maxGap > 0 says the device tolerates it), else
   * 'exception' (exception 2).
   */
  unmapped?: UnmappedAddresses;
  /** Uniform [0, 1) source for drift and garbage; inject a seeded one for repeatable tests. */
  random?: () => number;
}

export type DeviceAnswer =
  | { kind: 'silent' }
  /**
   * A response PDU to frame for `unitId`, sent after `delayMs`; `corruptCrc` spoils its check;
   * `noise`, when present, goes on a serial line just before the frame (TCP has no line: ignored).
   */
  | { kind: 'reply'; unitId: number; pdu: Buffer; delayMs: number; corruptCrc: boolean; noise?: Buffer }
  /** Raw bytes to put on the wire instead of a frame. */
  | { kind: 'garbage'; bytes: Buffer; delayMs: number };

const WRITE_FUNCTIONS = new Set([0x05, 0x06, 0x0f, 0x10]);

export class SimulatedDevice {
  readonly name: string;
  readonly unitId: number;
  readonly profile: Profile;
  readonly bank: RegisterBank;
  /** Requests addressed to this device (broadcasts included), answered or not. */
  requests = 0;
  private readonly points = new Map<string, ResolvedPoint>();
  private readonly behaviours = new Map<string, { behaviour: Behaviour; step: Stepper }>();
  private readonly random: () => number;
  private activeFault: Fault | null = null;

  constructor(options: SimulatedDeviceOptions) {
    const { name, unitId, profile } = options;
    if (!Number.isInteger(unitId) || unitId < 1 || unitId > 255) {
      throw new Error(`device ${name}: unit id must be an integer 1..255, got ${JSON.stringify(unitId)}`);
    }
    this.name = name;
    this.unitId = unitId;
    this.profile = profile;
    this.random = options.random ?? Math.random;
    this.bank = new RegisterBank({ unmapped: options.unmapped ?? (profile.modbus.maxGap > 0 ? 'zero' : 'exception') });
    for (const p of resolvePoints(profile)) {
      this.points.set(p.name, p);
      this.bank.map(p.table, p.address, p.width);
    }
    const problems: string[] = [];
    for (const [point, b] of Object.entries(options.behaviours ?? {})) {
      try {
        this.setBehaviour(point, b);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    if (problems.length) throw new Error(problems.join('\n'));
  }

  /** The point names of the profile, in profile order. */
  pointNames(): string[] {
    return [...this.points.keys()];
  }

  /** The decoded engineering value of a point, as the gateway would read it now. */
  get(point: string): PointValue {
    const p = this.point(point);
    return decodeRegisters(p, this.bank.read(p.table, p.address, p.width) ?? []).value;
  }

  /** Every point's value. */
  values(): Record<string, PointValue> {
    return Object.fromEntries(this.pointNames().map((n) => [n, this.get(n)]));
  }

  /** Holds a point at `value` from now on (replacing any drift or ramp on it). */
  set(point: string, value: SimValue): void {
    this.setBehaviour(point, { kind: 'constant', value });
  }

  behaviour(point: string): Behaviour | undefined {
    this.point(point);
    return this.behaviours.get(point)?.behaviour;
  }

  /**
   * Installs a behaviour on a point after checking that every value it can produce encodes
   * for that point (type, scale, range of the raw type) — a bad behaviour fails here, with
   * the device and point named, not on some later tick.
   */
  setBehaviour(point: string, input: Behaviour | SimValue): void {
    const p = this.point(point);
    const b: Behaviour = typeof input === 'object' && input !== null ? input : { kind: 'constant', value: input };
    const where = `device ${this.name} point ${point}`;
    const problem = behaviourProblem(b);
    if (problem) throw new Error(`${where}: ${problem}`);
    if (b.kind === 'follows') this.checkFollows(where, p, b.point);
    else if (b.kind !== 'constant' && !isNumeric(p)) throw new Error(`${where}: ${b.kind} needs a numeric point, and ${point} is ${p.enum ? 'an enumeration' : 'a bool'}`);
    for (const v of behaviourExtremes(b)) {
      try {
        this.encode(p, v);
      } catch (e) {
        throw new Error(`device ${this.name}: ${(e as Error).message}`); // the codec's message names the point
      }
    }
    const read = (name: string): SimValue => this.get(name) ?? 0;
    this.behaviours.set(point, { behaviour: b, step: startBehaviour(b, this.random, read) });
    // The value until the first tick: the constant, drift's center, a ramp's start, the followed point's value.
    this.write(p, initialValue(b, read));
  }

  /** A follower is a bool point (a limit switch) following another bool point of this device (a command coil). */
  private checkFollows(where: string, p: ResolvedPoint, source: string): void {
    if (source === p.name) throw new Error(`${where}: a point cannot follow itself`);
    const s = this.points.get(source);
    if (!s) throw new Error(`${where}: follows "${source}", which profile ${this.profile.id} does not have (points: ${this.pointNames().join(', ')})`);
    if (p.type !== 'bool' || s.type !== 'bool') throw new Error(`${where}: follows needs two bool points (a limit switch following a command), and ${p.type !== 'bool' ? p.name : source} is ${p.type}`);
  }

  /**
   * Advances every moving behaviour to `nowMs` (the rig calls this on an interval; tests call
   * it directly). Constants were written once, when set, and are not rewritten here, so a
   * value the gateway writes to such a point (a set point, an output) stays until changed.
   */
  tick(nowMs: number): void {
    for (const [name, { behaviour, step }] of this.behaviours) {
      if (behaviour.kind !== 'constant') this.write(this.point(name), step(nowMs));
    }
  }

  get fault(): Fault | null {
    return this.activeFault;
  }

  /** Starts a fault (see faults.ts); 'clear' ends it. */
  inject(fault: FaultInput): void {
    this.activeFault = parseFault(fault);
  }

  clear(): void {
    this.activeFault = null;
  }

  /** What the device does with a request PDU addressed to it. */
  answer(pdu: Uint8Array): DeviceAnswer {
    this.requests++;
    const f = this.activeFault;
    if (f?.fault === 'dead') return { kind: 'silent' };
    if (f?.fault === 'intermittent' && this.random() < f.dropRatio) return { kind: 'silent' };
    const reply = (response: Buffer, extra: Partial<{ unitId: number; delayMs: number; corruptCrc: boolean }> = {}): DeviceAnswer => ({
      kind: 'reply',
      unitId: extra.unitId ?? this.unitId,
      pdu: response,
      delayMs: extra.delayMs ?? 0,
      corruptCrc: extra.corruptCrc ?? false,
    });
    const code = faultException(f);
    if (code !== undefined) return reply(exceptionPdu(pdu[0] ?? 0, code));
    const response = handlePdu(this.bank, pdu);
    switch (f?.fault) {
      case 'slow':
        return reply(response, { delayMs: f.delayMs });
      case 'crc-error':
        return reply(response, { corruptCrc: true });
      case 'wrong-unit':
        return reply(response, { unitId: f.unitId ?? (this.unitId % 247) + 1 });
      case 'garbage':
        return { kind: 'garbage', bytes: this.randomBytes(f.length ?? 8), delayMs: 0 };
      case 'noise':
        return { kind: 'reply', unitId: this.unitId, pdu: response, delayMs: 0, corruptCrc: false, noise: this.randomBytes(f.length ?? 4) };
      default:
        return reply(response);
    }
  }

  /**
   * A broadcast (unit 0, Modbus over Serial Line V1.02 §2.1): every live device executes a
   * write and nobody answers; reads are not valid broadcasts and are ignored.
   */
  broadcast(pdu: Uint8Array): void {
    this.requests++;
    const f = this.activeFault;
    if (f?.fault === 'dead' || faultException(f) !== undefined) return;
    if (f?.fault === 'intermittent' && this.random() < f.dropRatio) return; // not heard
    if (WRITE_FUNCTIONS.has(pdu[0] ?? 0)) handlePdu(this.bank, pdu);
  }

  private randomBytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => Math.floor(this.random() * 256)));
  }

  private point(name: string): ResolvedPoint {
    const p = this.points.get(name);
    if (!p) throw new Error(`device ${this.name}: profile ${this.profile.id} has no point "${name}" (points: ${this.pointNames().join(', ')})`);
    return p;
  }

  private write(p: ResolvedPoint, value: SimValue): void {
    this.bank.write(p.table, p.address, this.encode(p, value));
  }

  /**
   * Behaviours produce continuous values; an integer register carries whole steps of
   * `scale`, so a simulated value is snapped to the nearest step the device could report
   * (codecs refuse to round silently, rightly, for real writes).
   */
  private encode(p: ResolvedPoint, value: SimValue): number[] {
    const v = typeof value === 'number' && isNumeric(p) && p.type !== 'f32' ? snap(p, value) : value;
    return encodeRegisters(p, v, this.bank.read(p.table, p.address, p.width) ?? undefined);
  }
}

function isNumeric(p: ResolvedPoint): boolean {
  return p.type !== 'bool' && p.enum === undefined;
}

function snap(p: ResolvedPoint, v: number): number {
  return Number((p.offset + Math.round((v - p.offset) / p.scale) * p.scale).toPrecision(12));
}
