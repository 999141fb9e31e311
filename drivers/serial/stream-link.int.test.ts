/**
 * StreamLink over the real transports: a TCP socket on 127.0.0.1 and a serial port on a pty
 * pair (socat, as the virtual rig uses for RTU). Frames go both ways in reads the OS chooses.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { isVigilError } from '../../gateway/errors.js';
import { openPtyPair, type PtyPair } from '../../hil-tests/virtual-rig/pty-pair.js';
import { connectTcpTransport, openSerialTransport } from './open-transport.js';
import { gb26875FrameSpec } from './specs/gb26875.js';
import { randomGb26875Frame, seededRandom } from './specs/gb26875-synthetic.js';
import { StreamLink, type StreamLinkEvents } from './stream-link.js';

const random = seededRandom(11);
const FRAMES = Array.from({ length: 50 }, (_, i) => randomGb26875Frame(random, (i * 37) % 1025));
const STREAM = Buffer.concat(FRAMES.flatMap((f, i) => (i % 5 === 0 ? [Buffer.from('line noise'), f] : [f])));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function linkCollecting(): { link: StreamLink; frames: Buffer[]; closed: Array<StreamLinkEvents['closed']>; until: (n: number) => Promise<void> } {
  const link = new StreamLink({ spec: gb26875FrameSpec, clock: { monotonic: () => performance.now() } });
  const frames: Buffer[] = [];
  const closed: Array<StreamLinkEvents['closed']> = [];
  link.on('frame', (f) => frames.push(f));
  link.on('closed', (c) => closed.push(c));
  const until = async (n: number): Promise<void> => {
    const deadline = Date.now() + 5_000;
    while (frames.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };
  cleanups.push(() => link.detach());
  return { link, frames, closed, until };
}

async function listen(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return { server, port: address.port };
}

describe('StreamLink over TCP', () => {
  it('frames a stream written in odd-sized pieces, sends back, and reports the far end closing', async () => {
    let farEnd: Socket | undefined;
    const received: Buffer[] = [];
    const { port } = await listen((s) => {
      farEnd = s;
      s.on('data', (d) => received.push(d));
    });
    const { link, frames, closed, until } = linkCollecting();
    link.attach(await connectTcpTransport({ host: '127.0.0.1', port }));
    while (!farEnd) await new Promise((r) => setTimeout(r, 5));
    for (let at = 0; at < STREAM.length; at += 333) farEnd.write(STREAM.subarray(at, at + 333));
    await until(FRAMES.length);
    expect(frames).toEqual(FRAMES);
    expect(link.counters().skippedBytes).toBe(10 * 'line noise'.length);

    await link.send(FRAMES[0]!);
    while (Buffer.concat(received).length < FRAMES[0]!.length) await new Promise((r) => setTimeout(r, 5));
    expect(Buffer.concat(received)).toEqual(FRAMES[0]);

    farEnd.destroy();
    while (closed.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(closed[0]).toMatchObject({ description: `127.0.0.1:${port}`, byOwner: false });
  });

  it('a refused connection is a COMM_PORT_CLOSED naming the address', async () => {
    const { server, port } = await listen(() => undefined);
    await new Promise((r) => server.close(r));
    const err: unknown = await connectTcpTransport({ host: '127.0.0.1', port }).catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe('COMM_PORT_CLOSED');
    expect((err as Error).message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}: cannot connect: .*ECONNREFUSED`));
  });
});

describe('StreamLink over a serial port (pty pair)', () => {
  it('frames what the device end writes, and the device end receives what the link sends', async () => {
    const pty: PtyPair = await openPtyPair();
    cleanups.push(() => pty.close());
    const device = new SerialPort({ path: pty.rigPath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => device.open((e) => (e ? reject(e) : resolve())));
    cleanups.push(() => new Promise((r) => device.close(() => r())));
    const received: Buffer[] = [];
    device.on('data', (d: Buffer) => received.push(d));

    const { link, frames, until } = linkCollecting();
    const transport = await openSerialTransport({ port: pty.gatewayPath, baudRate: 9600, parity: 'even' });
    expect(transport.description).toBe(`${pty.gatewayPath} 9600 8E1`);
    link.attach(transport);
    for (let at = 0; at < STREAM.length; at += 97) device.write(STREAM.subarray(at, at + 97));
    await until(FRAMES.length);
    expect(frames).toEqual(FRAMES);

    await link.send(FRAMES[1]!);
    const deadline = Date.now() + 5_000;
    while (Buffer.concat(received).length < FRAMES[1]!.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(Buffer.concat(received)).toEqual(FRAMES[1]);
  });

  it('a port that does not exist is a COMM_PORT_CLOSED naming it', async () => {
    const err: unknown = await openSerialTransport({ port: '/dev/ttyVIGIL-none', baudRate: 9600 }).catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe('COMM_PORT_CLOSED');
    expect((err as Error).message).toMatch(/^\/dev\/ttyVIGIL-none 9600 8N1: cannot open the serial port: /);
  });
});
