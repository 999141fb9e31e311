/** The virtual Modbus TCP bus end to end: modbus-serial's connectTCP client, and raw sockets for framing. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startVirtualRig, type RigBus, type VirtualRig } from './rig.js';
import { rawExchange, sleep, withClient } from './test-clients.js';

let rig: VirtualRig;
let tcp: RigBus;

beforeAll(async () => {
  rig = await startVirtualRig({
    tickMs: 0,
    buses: [{ name: 'plant', type: 'tcp' }],
    devices: [
      { name: 'meter1', bus: 'plant', unitId: 1, profile: 'generic/power-meter-3p', behaviours: { voltage_l1: 230.4, total_active_power: -1500 } },
      { name: 'sdm2', bus: 'plant', unitId: 2, profile: 'eastron/sdm630', behaviours: { voltage_l1: 229.75 } },
    ],
  });
  tcp = rig.buses.plant!;
});
afterAll(async () => {
  await rig?.stop();
});
afterEach(() => {
  rig.clear('meter1');
  rig.clear('sdm2');
});

const readHolding = (unit: number, address: number, count: number, timeoutMs = 500): Promise<number[]> =>
  withClient(
    tcp,
    async (c) => {
      c.setID(unit);
      return (await c.readHoldingRegisters(address, count)).data;
    },
    timeoutMs,
  );

describe('virtual Modbus TCP bus', () => {
  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(tcp).toMatchObject({ type: 'tcp', host: '127.0.0.1', port: expect.any(Number) });
    expect(tcp.type === 'tcp' && tcp.port).toBeGreaterThan(0);
  });

  it('serves several unit ids, each with its own profile encoding', async () => {
    // 230.4 V ×10 = 2304; −1500 W as i32 big-endian = FFFF FA24
    expect(await readHolding(1, 0, 1)).toEqual([2304]);
    expect(await readHolding(1, 8, 2)).toEqual([0xffff, 0xfa24]);
    const sdm = await withClient(tcp, async (c) => {
      c.setID(2);
      return (await c.readInputRegisters(0, 2)).buffer;
    });
    expect(sdm.readFloatBE(0)).toBe(229.75);
  });

  it('answers a unit id with no device with exception 0x0B (gateway target failed to respond)', async () => {
    await expect(readHolding(9, 0, 1)).rejects.toMatchObject({ modbusCode: 11 });
  });

  it('answers several requests in one segment, echoing each transaction id', async () => {
    // MBAP: tid 0x1234 unit 1 FC03 0000 0001; tid 0x5678 unit 2 FC04 0000 0002
    const reply = await rawExchange(tcp, Buffer.from('123400000006010300000001' + '567800000006020400000002', 'hex'));
    const f = Buffer.alloc(4);
    f.writeFloatBE(229.75);
    expect(reply.toString('hex')).toBe('1234' + '0000' + '0005' + '01' + '0302' + '0900' + '5678' + '0000' + '0007' + '02' + '0404' + f.toString('hex'));
  });

  it('reassembles a request split over several segments', async () => {
    const socket = connect(tcp.type === 'tcp' ? tcp.port : 0, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    const req = Buffer.from('000700000006010300000001', 'hex');
    for (const part of [req.subarray(0, 2), req.subarray(2, 8), req.subarray(8)]) {
      socket.write(part);
      await sleep(20);
    }
    await sleep(100);
    socket.destroy();
    expect(Buffer.concat(chunks).toString('hex')).toBe('0007000000050103020900');
  });

  it('closes a connection whose MBAP length is impossible', async () => {
    const socket = connect(tcp.type === 'tcp' ? tcp.port : 0, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const closed = new Promise<boolean>((r) => socket.once('close', () => r(true)));
    socket.write(Buffer.from('0001000000000103', 'hex')); // length 0
    expect(await Promise.race([closed, sleep(1000).then(() => false)])).toBe(true);
  });

  it("stores the gateway's writes", async () => {
    await withClient(tcp, async (c) => {
      c.setID(1);
      await c.writeRegisters(1, [2311, 2322]);
    });
    expect(rig.device('meter1').get('voltage_l2')).toBe(231.1);
    expect(rig.device('meter1').get('voltage_l3')).toBe(232.2);
  });
});

describe('fault injection on the TCP bus', () => {
  it('dead: the client times out while another unit on the same server answers', async () => {
    rig.inject('meter1', 'dead');
    await expect(readHolding(1, 0, 1, 200)).rejects.toThrow(/Timed out/);
    const sdm = await withClient(tcp, async (c) => {
      c.setID(2);
      return (await c.readInputRegisters(0, 2)).buffer.readFloatBE(0);
    });
    expect(sdm).toBe(229.75);
  });

  it('slow: the answer arrives after the delay', async () => {
    rig.inject('meter1', { fault: 'slow', delayMs: 250 });
    const started = Date.now();
    expect(await readHolding(1, 0, 1, 1000)).toEqual([2304]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('busy: exception 6', async () => {
    rig.inject('meter1', 'busy');
    await expect(readHolding(1, 0, 1)).rejects.toMatchObject({ modbusCode: 6 });
  });

  it('exception: the injected code', async () => {
    rig.inject('meter1', { fault: 'exception', code: 4 });
    await expect(readHolding(1, 0, 1)).rejects.toMatchObject({ modbusCode: 4 });
  });

  it('crc-error: TCP has no CRC, so the client gets exception 0x0B as through a TCP gateway', async () => {
    rig.inject('meter1', 'crc-error');
    await expect(readHolding(1, 0, 1)).rejects.toMatchObject({ modbusCode: 11 });
  });

  it('wrong-unit: the client rejects an answer from another unit id', async () => {
    rig.inject('meter1', { fault: 'wrong-unit', unitId: 5 });
    await expect(readHolding(1, 0, 1)).rejects.toThrow(/expected address 1 got 5/);
  });

  it('garbage: random bytes instead of an MBAP frame', async () => {
    rig.inject('meter1', { fault: 'garbage', length: 5 });
    // tid 0x0042, unit 1, FC03 0000 0001
    const reply = await rawExchange(tcp, Buffer.from('004200000006010300000001', 'hex'));
    expect(reply.length).toBe(5);
    await expect(readHolding(1, 0, 1, 200)).rejects.toThrow();
  });
});
