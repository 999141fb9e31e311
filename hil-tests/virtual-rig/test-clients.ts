/**
 * Helpers for the rig's own integration tests and for scenario tests: a modbus-serial client
 * on a rig bus (the same library the gateway's transport uses), and a raw serial/TCP tap that
 * shows the exact bytes a device put on the wire.
 */
import { connect } from 'node:net';
import modbusSerial from 'modbus-serial';
import { SerialPort } from 'serialport';
import type { RigBus } from './rig.js';

// The .d.ts says `export default`, the runtime is CommonJS (toolchain.md §3).
const ModbusRTU = modbusSerial.default;
export type ModbusClient = InstanceType<typeof ModbusRTU>;

/** Runs `fn` with a fresh client connected to `bus` and closes it afterwards. */
export async function withClient<T>(bus: RigBus, fn: (client: ModbusClient) => Promise<T>, timeoutMs = 500): Promise<T> {
  const client = new ModbusRTU();
  if (bus.type === 'rtu') await client.connectRTUBuffered(bus.gatewayPort, { baudRate: 9600 });
  else await client.connectTCP(bus.host, { port: bus.port });
  client.setTimeout(timeoutMs);
  try {
    return await fn(client);
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

/** Writes `request` to the bus and returns every byte that comes back within `listenMs`. */
export async function rawExchange(bus: RigBus, request: Uint8Array, listenMs = 200): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (bus.type === 'rtu') {
    const port = new SerialPort({ path: bus.gatewayPort, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('data', (c: Buffer) => chunks.push(c));
    port.write(Buffer.from(request));
    await sleep(listenMs);
    await new Promise<void>((resolve) => port.close(() => resolve()));
  } else {
    const socket = connect(bus.port, bus.host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('data', (c) => chunks.push(c));
    socket.write(Buffer.from(request));
    await sleep(listenMs);
    socket.destroy();
  }
  return Buffer.concat(chunks);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A small seeded PRNG (mulberry32) so drift and garbage are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
