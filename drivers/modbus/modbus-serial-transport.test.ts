import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import modbusSerial, { type IServiceVector } from 'modbus-serial';
import { ModbusSerialTransport, describeBus } from './modbus-serial-transport.js';
import { VigilError } from '../../gateway/errors.js';
import type { RtuBusConfig, TcpBusConfig } from '../../gateway/config/schema.js';

const ModbusRTU = modbusSerial.default;
const ServerTCP = modbusSerial.ServerTCP;

const BACKOFF = { afterFailures: 3, initialMs: 5_000, maxMs: 300_000 };

function tcpBus(port: number, over: Partial<TcpBusConfig> = {}): TcpBusConfig {
  return { name: 'tcp-1', type: 'tcp', host: '127.0.0.1', port, timeoutMs: 500, retries: 0, interRequestDelayMs: 0, backoff: BACKOFF, ...over };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A slave on unit 1: holding registers hold 100 + address, coils are on at odd addresses. */
class Slave {
  holding = new Map<number, number>();
  coils = new Map<number, boolean>();
  server!: InstanceType<typeof ServerTCP>;
  readonly vector: IServiceVector = {
    getHoldingRegister: (addr: number, unit: number) => {
      if (unit !== 1) throw { modbusErrorCode: 11 }; // gateway target did not respond
      if (addr >= 1000) throw { modbusErrorCode: 2 }; // illegal data address
      return this.holding.get(addr) ?? 100 + addr;
    },
    getInputRegister: (addr: number) => 200 + addr,
    getCoil: (addr: number) => this.coils.get(addr) ?? addr % 2 === 1,
    getDiscreteInput: () => true,
    setRegister: (addr: number, value: number) => {
      this.holding.set(addr, value);
    },
    setCoil: (addr: number, value: boolean) => {
      this.coils.set(addr, value);
    },
  };
  async start(port: number): Promise<void> {
    this.server = new ServerTCP(this.vector, { host: '127.0.0.1', port, unitID: 255 });
    await new Promise<void>((resolve, reject) => {
      this.server.on('initialized', () => resolve());
      this.server.on('serverError', reject);
    });
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('describeBus', () => {
  it('names RTU and TCP buses the way installers write them', () => {
    const rtu: RtuBusConfig = { name: 'rs485-1', type: 'rtu', port: '/dev/ttyUSB0', baudRate: 9600, dataBits: 8, parity: 'even', stopBits: 1, timeoutMs: 1000, retries: 1, interRequestDelayMs: 0, backoff: BACKOFF };
    expect(describeBus(rtu)).toBe('/dev/ttyUSB0 9600 8E1');
    expect(describeBus(tcpBus(502, { host: '192.168.1.10' }))).toBe('192.168.1.10:502');
  });
});

describe('ModbusSerialTransport over Modbus TCP (modbus-serial ServerTCP on 127.0.0.1)', () => {
  const slave = new Slave();
  let port: number;
  let t: ModbusSerialTransport;

  beforeAll(async () => {
    port = await freePort();
    await slave.start(port);
    t = new ModbusSerialTransport(tcpBus(port));
  });
  afterAll(async () => {
    await t.close();
    await slave.stop();
  });

  it('opens, reads registers and bits', async () => {
    expect(t.isOpen()).toBe(false);
    await t.open();
    expect(t.isOpen()).toBe(true);
    expect(t.kind).toBe('tcp');
    expect(await t.readRegisters(1, 'holding', 10, 3, 500)).toEqual([110, 111, 112]);
    expect(await t.readRegisters(1, 'input', 0, 2, 500)).toEqual([200, 201]);
    // 3 coils arrive as one byte: the 5 padding bits must not become points
    expect(await t.readBits(1, 'coil', 0, 3, 500)).toEqual([false, true, false]);
  });

  it('writes registers and coils', async () => {
    await t.open();
    await t.writeRegisters(1, 5, [0x1234, 0xabcd], 500);
    expect(await t.readRegisters(1, 'holding', 5, 2, 500)).toEqual([0x1234, 0xabcd]);
    await t.writeCoils(1, 0, [true], 500);
    expect(await t.readBits(1, 'coil', 0, 1, 500)).toEqual([true]);
  });

  it('maps exception responses to DEVICE_* codes, naming bus, unit and request', async () => {
    await t.open();
    const illegal = await t.readRegisters(1, 'holding', 1000, 1, 500).catch((e: unknown) => e);
    expect(illegal).toBeInstanceOf(VigilError);
    expect((illegal as VigilError).code).toBe('DEVICE_ILLEGAL_ADDRESS');
    expect((illegal as VigilError).message).toContain(`tcp-1 (127.0.0.1:${port}) unit 1 FC03 holding 1000+1: exception 2`);
    const gateway = await t.readRegisters(7, 'holding', 0, 1, 500).catch((e: unknown) => e);
    expect((gateway as VigilError).code).toBe('DEVICE_GATEWAY_PATH');
  });

  it('refuses a quantity beyond the protocol limit before sending', async () => {
    await t.open();
    const e = await t.readRegisters(1, 'holding', 0, 126, 500).catch((err: unknown) => err);
    expect((e as VigilError).code).toBe('CONFIG_INVALID');
    expect((e as VigilError).message).toMatch(/quantity 126 is outside 1..125/);
  });

  it('notices a lost connection and reopens on demand', async () => {
    await t.open();
    for (const sock of slave.server.socks.keys()) sock.destroy(); // the far end drops us
    await new Promise((r) => setImmediate(r));
    await expect.poll(() => t.isOpen(), { interval: 5, timeout: 1000 }).toBe(false);
    const closed = await t.readRegisters(1, 'holding', 0, 1, 500).catch((e: unknown) => e);
    expect((closed as VigilError).code).toBe('COMM_PORT_CLOSED');
    await t.open();
    expect(await t.readRegisters(1, 'holding', 0, 1, 500)).toEqual([100]);
  });
});

describe('ModbusSerialTransport failing to open', () => {
  it('reports COMM_PORT_CLOSED naming the endpoint when nothing listens', async () => {
    const port = await freePort();
    const t = new ModbusSerialTransport(tcpBus(port));
    const e = await t.open().catch((err: unknown) => err);
    expect((e as VigilError).code).toBe('COMM_PORT_CLOSED');
    expect((e as VigilError).message).toMatch(new RegExp(`127.0.0.1:${port}: cannot open`));
    expect(t.isOpen()).toBe(false);
    await t.close();
  });

  it('reports a missing serial port by path', async () => {
    const t = new ModbusSerialTransport({ name: 'rs485-1', type: 'rtu', port: '/dev/vigil-no-such-port', baudRate: 9600, dataBits: 8, parity: 'even', stopBits: 1, timeoutMs: 1000, retries: 1, interRequestDelayMs: 0, backoff: BACKOFF });
    expect(t.kind).toBe('rtu');
    const e = await t.open().catch((err: unknown) => err);
    expect((e as VigilError).code).toBe('COMM_PORT_CLOSED');
    expect((e as VigilError).message).toMatch(/\/dev\/vigil-no-such-port 9600 8E1: cannot open/);
  });

  it('a closed transport refuses transactions', async () => {
    const client = new ModbusRTU(); // proves the import workaround holds at runtime too
    expect(client.isOpen).toBe(false);
    const t = new ModbusSerialTransport(tcpBus(1));
    const e = await t.readBits(1, 'coil', 0, 1, 100).catch((err: unknown) => err);
    expect((e as VigilError).code).toBe('COMM_PORT_CLOSED');
  });
});

describe('ModbusSerialTransport close() during open()', () => {
  it('leaves no connection behind when close() is called while a TCP connect is still in flight', async () => {
    const open = new Set<net.Socket>();
    const server = net.createServer((s) => {
      open.add(s);
      s.on('close', () => open.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const t = new ModbusSerialTransport(tcpBus(port));
      const opening = t.open().catch(() => undefined); // not awaited: the gateway stops mid-connect
      await t.close();
      await opening;
      expect(t.isOpen()).toBe(false);
      // the server side sees the connection closed (before the fix it stayed open and kept the process alive)
      const deadline = Date.now() + 2_000;
      while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(open.size).toBe(0);
      // and it stays closed: a late open() from a transaction still unwinding is refused
      const late = await t.open().catch((e: unknown) => e);
      expect((late as VigilError).code).toBe('COMM_PORT_CLOSED');
      expect(open.size).toBe(0);
    } finally {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
