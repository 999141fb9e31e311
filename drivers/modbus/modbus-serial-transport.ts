/**
 * ModbusTransport over modbus-serial 8.0.25: RTU on a serial port (connectRTUBuffered) or
 * Modbus TCP (connectTCP). One transaction at a time is the bus queue's job; this class only
 * sets the unit id and timeout per call and maps every failure to a VigilError.
 *
 * A fresh modbus-serial client is made on every open(): after a TCP socket closes, its
 * TcpPort has removed all its listeners and cannot be reused, and a serial port that vanished
 * (USB adapter unplugged) must be re-opened by path anyway.
 */
import modbusSerial from 'modbus-serial';
import type { RtuBusConfig, TcpBusConfig } from '../../gateway/config/schema.js';
import { VigilError } from '../../gateway/errors.js';
import { MAX_READ_BITS, MAX_READ_REGISTERS, MAX_WRITE_COILS, MAX_WRITE_REGISTERS, type ModbusTransport } from '../transport/modbus-transport.js';
import { toVigilError } from './exceptions.js';

// The .d.ts says `export default` but the runtime is CommonJS, which sets module.exports.default
// = module.exports (toolchain.md §1, TypeScript pitfalls).
const ModbusRTU = modbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;

/** Longest a close() may take before the client is destroyed instead (a half-dead socket never calls back). */
const CLOSE_GRACE_MS = 1_000;

const PARITY_LETTER = { none: 'N', even: 'E', odd: 'O' } as const;

export function describeBus(bus: RtuBusConfig | TcpBusConfig): string {
  return bus.type === 'rtu'
    ? `${bus.port} ${bus.baudRate} ${bus.dataBits}${PARITY_LETTER[bus.parity]}${bus.stopBits}`
    : `${bus.host}:${bus.port}`;
}

export class ModbusSerialTransport implements ModbusTransport {
  readonly kind: 'rtu' | 'tcp';
  readonly description: string;
  private client: Client | undefined;
  /** Set by the client's 'close'/'error' events: the link is gone, the next open() makes a new one. */
  private lost = true;
  private opening: Promise<void> | undefined;
  /** close() is final: the gateway is stopping, and a late reopen would leak a port or socket. */
  private closed = false;

  constructor(private readonly bus: RtuBusConfig | TcpBusConfig) {
    this.kind = bus.type;
    this.description = describeBus(bus);
  }

  isOpen(): boolean {
    return !this.lost && this.client?.isOpen === true;
  }

  open(): Promise<void> {
    if (this.closed) return Promise.reject(new VigilError('COMM_PORT_CLOSED', `${this.description}: transport closed`, { bus: this.bus.name }));
    if (this.isOpen()) return Promise.resolve();
    // Concurrent open() calls share one attempt rather than racing two clients onto one port.
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async connect(): Promise<void> {
    this.discard();
    const client = new ModbusRTU();
    // An 'error' event without a listener would throw and kill the gateway; a lost port is a
    // comm fault the queue handles by reopening, never a crash.
    client.on('error', () => this.markLost(client));
    client.on('close', () => this.markLost(client));
    this.client = client;
    try {
      if (this.bus.type === 'rtu') {
        await client.connectRTUBuffered(this.bus.port, {
          baudRate: this.bus.baudRate,
          parity: this.bus.parity,
          dataBits: this.bus.dataBits,
          stopBits: this.bus.stopBits,
        });
      } else {
        // connectTCP hands the client timeout to the socket: it bounds the TCP connect, which
        // would otherwise wait minutes for SYN retries to an unplugged device.
        client.setTimeout(this.bus.timeoutMs);
        await client.connectTCP(this.bus.host, { port: this.bus.port });
      }
    } catch (e) {
      this.discard();
      const why = e instanceof Error ? e.message : String(e);
      throw new VigilError('COMM_PORT_CLOSED', `${this.description}: cannot open (${why})`, { bus: this.bus.name }, { cause: e });
    }
    if (this.closed) {
      // close() ran while we were connecting: do not keep what we just opened
      this.discard();
      throw new VigilError('COMM_PORT_CLOSED', `${this.description}: transport closed`, { bus: this.bus.name });
    }
    if (this.client === client) this.lost = false;
  }

  private markLost(client: Client): void {
    if (this.client === client) this.lost = true;
  }

  /** Drops the current client without waiting for it. */
  private discard(): void {
    const c = this.client;
    this.client = undefined;
    this.lost = true;
    if (c) {
      try {
        c.destroy(() => undefined);
      } catch {
        // already torn down; nothing left to release
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // A connect still in flight would otherwise finish after we let go of its client and leave
    // a socket open behind our back (found as `vigil run` not exiting after SIGTERM under load).
    if (this.opening) await this.opening.catch(() => undefined);
    const c = this.client;
    if (!c) return;
    if (!this.isOpen()) {
      this.discard();
      return;
    }
    this.client = undefined;
    this.lost = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        c.destroy(() => undefined);
        resolve();
      }, CLOSE_GRACE_MS);
      c.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The client to use for one transaction, with unit id and timeout set for it. */
  private prepare(unitId: number, timeoutMs: number, where: string): Client {
    const c = this.client;
    if (!c || !this.isOpen()) throw new VigilError('COMM_PORT_CLOSED', `${where}: port not open`, { bus: this.bus.name });
    c.setID(unitId);
    c.setTimeout(timeoutMs);
    return c;
  }

  private where(unitId: number, fc: string, what: string): string {
    return `${this.bus.name} (${this.description}) unit ${unitId} ${fc} ${what}`;
  }

  private checkCount(where: string, count: number, max: number): void {
    if (!Number.isInteger(count) || count < 1 || count > max) {
      throw new VigilError('CONFIG_INVALID', `${where}: quantity ${count} is outside 1..${max} (Modbus Application Protocol V1.1b3 §6)`, { count });
    }
  }

  async readRegisters(unitId: number, table: 'holding' | 'input', address: number, count: number, timeoutMs: number): Promise<number[]> {
    const where = this.where(unitId, table === 'holding' ? 'FC03' : 'FC04', `${table} ${address}+${count}`);
    this.checkCount(where, count, MAX_READ_REGISTERS);
    try {
      const c = this.prepare(unitId, timeoutMs, where);
      const res = table === 'holding' ? await c.readHoldingRegisters(address, count) : await c.readInputRegisters(address, count);
      if (res.data.length !== count) throw new Error(`expected ${count} registers, got ${res.data.length}`);
      return res.data;
    } catch (e) {
      throw toVigilError(e, where);
    }
  }

  async readBits(unitId: number, table: 'coil' | 'discrete', address: number, count: number, timeoutMs: number): Promise<boolean[]> {
    const where = this.where(unitId, table === 'coil' ? 'FC01' : 'FC02', `${table} ${address}+${count}`);
    this.checkCount(where, count, MAX_READ_BITS);
    try {
      const c = this.prepare(unitId, timeoutMs, where);
      const res = table === 'coil' ? await c.readCoils(address, count) : await c.readDiscreteInputs(address, count);
      // Bits arrive packed in whole bytes (§6.1): the last byte's padding bits are not data.
      if (res.data.length < count) throw new Error(`expected ${count} bits, got ${res.data.length}`);
      return res.data.slice(0, count);
    } catch (e) {
      throw toVigilError(e, where);
    }
  }

  /**
   * FC43/14 Read Device Identification, basic objects (0 vendor name, 1 product code, 2 revision;
   * Modbus Application Protocol V1.1b3 §6.21). Read-only; only `vigil scan --device-id` sends it.
   */
  async readDeviceIdentification(unitId: number, timeoutMs: number): Promise<Record<number, string>> {
    const where = this.where(unitId, 'FC43/14', 'basic device identification');
    try {
      const res = await this.prepare(unitId, timeoutMs, where).readDeviceIdentification(1, 0);
      return { ...res.data };
    } catch (e) {
      throw toVigilError(e, where);
    }
  }

  async writeRegisters(unitId: number, address: number, values: number[], timeoutMs: number): Promise<void> {
    const where = this.where(unitId, 'FC16', `holding ${address}+${values.length}`);
    this.checkCount(where, values.length, MAX_WRITE_REGISTERS);
    try {
      await this.prepare(unitId, timeoutMs, where).writeRegisters(address, values);
    } catch (e) {
      throw toVigilError(e, where);
    }
  }

  async writeCoils(unitId: number, address: number, values: boolean[], timeoutMs: number): Promise<void> {
    const where = this.where(unitId, 'FC15', `coil ${address}+${values.length}`);
    this.checkCount(where, values.length, MAX_WRITE_COILS);
    try {
      await this.prepare(unitId, timeoutMs, where).writeCoils(address, values);
    } catch (e) {
      throw toVigilError(e, where);
    }
  }
}
