import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { Command, Gb26875Message, type ControlUnit } from '../../../drivers/gb26875/index.js';
import { connectTcpTransport, gb26875FrameSpec, StreamLink } from '../../../drivers/serial/index.js';
import { startMonitoringCentre, type MonitoringCentre } from './centre.js';

const T = { second: 0, minute: 0, hour: 8, day: 23, month: 11, year: 26 };
const header = (serial: number): ControlUnit => ({ serial, version: { major: 1, user: 1 }, time: T, source: 1001, destination: 2001, command: Command.Send });

let centre: MonitoringCentre;
let client: StreamLink;
afterEach(async () => {
  await client.detach();
  await centre.close();
});

/** A bare GB/T 26875.3 client: what it receives, decoded. */
async function connect(): Promise<Gb26875Message[]> {
  centre = await startMonitoringCentre();
  client = new StreamLink({ spec: gb26875FrameSpec, clock: { monotonic: () => performance.now() } });
  const got: Gb26875Message[] = [];
  client.on('frame', (f) => {
    const m = Gb26875Message.from(f);
    if (m.ok) got.push(m.value);
  });
  client.attach(await connectTcpTransport({ host: centre.host, port: centre.port }));
  return got;
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('monitoring-centre simulator', () => {
  it('confirms what is sent, records it with its arrival time; denies the next N when told; goes silent when told', async () => {
    const got = await connect();
    await client.send(Gb26875Message.serialize(header(0)));
    await centre.waitFor((f) => f.message?.header.serial === 0);
    await settle();
    centre.denyNext(1);
    await client.send(Gb26875Message.serialize(header(1)));
    await client.send(Gb26875Message.serialize(header(2)));
    await settle();
    centre.setSilent(true);
    await client.send(Gb26875Message.serialize(header(3)));
    await settle();
    expect(got.map((m) => [m.header.serial, m.header.command])).toEqual([
      [0, Command.Confirm],
      [1, Command.Deny],
      [2, Command.Confirm],
    ]);
    expect(centre.received.map((f) => [f.message?.header.serial, f.reply])).toEqual([
      [0, 'confirm'],
      [1, 'deny'],
      [2, 'confirm'],
      [3, 'none'],
    ]);
    expect(centre.received[0]!.arrivedMs).toBeGreaterThan(0);
    expect(got[0]!.header).toMatchObject({ source: 2001, destination: 1001 });
  });

  it('denies a frame with a bad checksum, and can drop the connection', async () => {
    const got = await connect();
    const bad = Gb26875Message.serialize(header(9));
    bad[bad.length - 3] = (bad[bad.length - 3]! + 1) & 0xff;
    // The client's own check refuses to send a bad frame: write around it.
    await client.transport!.write(bad);
    await settle();
    expect(got.map((m) => [m.header.serial, m.header.command])).toEqual([[9, Command.Deny]]);
    const closed = new Promise((r) => client.on('closed', r));
    centre.dropConnections();
    await closed;
    expect(centre.connectionCount()).toBe(1);
  });
});
