/**
 * A scripted in-memory ModbusTransport for unit tests (and anyone who needs a bus without
 * hardware). Each unit has register tables; a per-call script can make a call fail with any
 * error code. Every reply takes `latencyMs` of (fake-able) setTimeout time, a timeout takes the
 * call's full timeoutMs — so tests with vi.useFakeTimers() see the same timing as a real bus.
 */
import { VigilError, type VigilErrorCode } from '../../gateway/errors.js';
import type { ModbusTransport, RegisterTable } from '../transport/modbus-transport.js';

export interface FakeCall {
  unitId: number;
  op: 'read' | 'write';
  table: RegisterTable;
  address: number;
  count: number;
  /** Date.now() when the call started / settled (fake time under vi.useFakeTimers). */
  startedAt: number;
  endedAt?: number;
}

/** What one call does: answer (default), or fail with an error code. */
export type FakeOutcome = { error?: VigilErrorCode; latencyMs?: number } | undefined;

export class FakeTransport implements ModbusTransport {
  readonly kind = 'tcp' as const;
  readonly description = 'fake';
  readonly calls: FakeCall[] = [];
  /** Highest number of calls in flight at once: the bus queue must keep this at 1. */
  maxInFlight = 0;
  opens = 0;
  /** Make the next open() calls fail with COMM_PORT_CLOSED. */
  openFails = false;
  private inFlight = 0;
  private open_ = false;
  private readonly registers = new Map<string, number>();
  private readonly bits = new Map<string, boolean>();

  constructor(
    /** Decides each call's outcome; return undefined to answer normally. */
    public script: (call: FakeCall) => FakeOutcome = () => undefined,
    public latencyMs = 10,
  ) {}

  setRegisters(unitId: number, table: 'holding' | 'input', address: number, words: number[]): void {
    words.forEach((w, i) => this.registers.set(`${unitId}/${table}/${address + i}`, w));
  }

  setBits(unitId: number, table: 'coil' | 'discrete', address: number, values: boolean[]): void {
    values.forEach((b, i) => this.bits.set(`${unitId}/${table}/${address + i}`, b));
  }

  getRegister(unitId: number, address: number): number {
    return this.registers.get(`${unitId}/holding/${address}`) ?? 0;
  }

  getBit(unitId: number, address: number): boolean {
    return this.bits.get(`${unitId}/coil/${address}`) ?? false;
  }

  /** Simulates the port or socket going away (unplugged adapter, dropped connection). */
  drop(): void {
    this.open_ = false;
  }

  isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    this.opens++;
    if (this.openFails) throw new VigilError('COMM_PORT_CLOSED', 'fake: cannot open');
    this.open_ = true;
  }

  async close(): Promise<void> {
    this.open_ = false;
  }

  private async transact<T>(call: Omit<FakeCall, 'startedAt'>, timeoutMs: number, answer: () => T): Promise<T> {
    const rec: FakeCall = { ...call, startedAt: Date.now() };
    this.calls.push(rec);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (!this.open_) throw new VigilError('COMM_PORT_CLOSED', `fake unit ${call.unitId}: port not open`);
      const outcome = this.script(rec);
      const code = outcome?.error;
      const delay = code === 'COMM_TIMEOUT' ? timeoutMs : (outcome?.latencyMs ?? this.latencyMs);
      await new Promise((r) => setTimeout(r, delay));
      if (code) throw new VigilError(code, `fake unit ${call.unitId} ${call.table} ${call.address}+${call.count}: ${code}`);
      return answer();
    } finally {
      this.inFlight--;
      rec.endedAt = Date.now();
    }
  }

  readRegisters(unitId: number, table: 'holding' | 'input', address: number, count: number, timeoutMs: number): Promise<number[]> {
    return this.transact({ unitId, op: 'read', table, address, count }, timeoutMs, () =>
      Array.from({ length: count }, (_, i) => this.registers.get(`${unitId}/${table}/${address + i}`) ?? 0),
    );
  }

  readBits(unitId: number, table: 'coil' | 'discrete', address: number, count: number, timeoutMs: number): Promise<boolean[]> {
    return this.transact({ unitId, op: 'read', table, address, count }, timeoutMs, () =>
      Array.from({ length: count }, (_, i) => this.bits.get(`${unitId}/${table}/${address + i}`) ?? false),
    );
  }

  writeRegisters(unitId: number, address: number, values: number[], timeoutMs: number): Promise<void> {
    return this.transact({ unitId, op: 'write', table: 'holding', address, count: values.length }, timeoutMs, () =>
      this.setRegisters(unitId, 'holding', address, values),
    );
  }

  writeCoils(unitId: number, address: number, values: boolean[], timeoutMs: number): Promise<void> {
    return this.transact({ unitId, op: 'write', table: 'coil', address, count: values.length }, timeoutMs, () =>
      this.setBits(unitId, 'coil', address, values),
    );
  }
}

/** A Clock over Date.now(), which vi.useFakeTimers() controls. */
export function fakeTimersClock(trusted = true): { now(): number; monotonic(): number; isTrusted(): boolean } {
  return { now: () => Date.now(), monotonic: () => Date.now(), isTrusted: () => trusted };
}
