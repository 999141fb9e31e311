/**
 * The virtual RS-485 line end to end: a modbus-serial client on the gateway end of a socat
 * pty pair, two simulated devices answering on the other end.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasValidCrc, withCrc } from './crc16.js';
import { startVirtualRig, type RigBus, type VirtualRig } from './rig.js';
import { rawExchange, seededRandom, sleep, withClient } from './test-clients.js';

let rig: VirtualRig;
let line: RigBus;

beforeAll(async () => {
  rig = await startVirtualRig({
    tickMs: 0,
    random: seededRandom(7),
    buses: [{ name: 'line1', type: 'rtu' }],
    devices: [
      {
        name: 'gas1',
        bus: 'line1',
        unitId: 1,
        profile: 'generic/combustible-gas',
        behaviours: { gas_lel: 12.5, status: 'normal', alarm_1_setpoint: 25, alarm_2_setpoint: 50 },
      },
      { name: 'efm2', bus: 'line1', unitId: 2, profile: 'generic/electrical-fire-monitor', behaviours: { residual_current: 120, cable_temperature_1: -5.5 } },
    ],
  });
  line = rig.buses.line1!;
});
afterAll(async () => {
  await rig?.stop();
});
afterEach(() => {
  rig.clear('gas1');
  rig.clear('efm2');
});

const read = (unit: number, address: number, count: number, timeoutMs = 500): Promise<number[]> =>
  withClient(
    line,
    async (c) => {
      c.setID(unit);
      return (await c.readHoldingRegisters(address, count)).data;
    },
    timeoutMs,
  );

describe('virtual RTU line', () => {
  it('gives the gateway a pty path to open', () => {
    expect(line).toMatchObject({ type: 'rtu', gatewayPort: expect.stringMatching(/tty-line1$/) });
  });

  it('serves two devices on one line, each with its own values', async () => {
    // gas_lel 12.5 %LEL ×10, status normal = 0, flags 0, set points 25.0 / 50.0 ×10
    expect(await read(1, 0, 5)).toEqual([125, 0, 0, 250, 500]);
    // 120 mA; −5.5 °C ×10 = −55 as a 16-bit two's complement word
    expect(await read(2, 0, 2)).toEqual([120, 0x10000 - 55]);
  });

  it('reads a value set on a device while running', async () => {
    rig.device('gas1').set('gas_lel', 61.2);
    expect(await read(1, 0, 1)).toEqual([612]);
    rig.device('gas1').set('gas_lel', 12.5);
  });

  it('moves a ramping value as the rig ticks', async () => {
    const gas = rig.device('gas1');
    gas.setBehaviour('gas_lel', { kind: 'ramp', from: 0, to: 60, rampMs: 60_000 });
    rig.tick(1_000_000); // the ramp starts at this tick
    expect(await read(1, 0, 1)).toEqual([0]);
    rig.tick(1_000_000 + 30_000);
    expect(await read(1, 0, 1)).toEqual([300]);
    rig.tick(1_000_000 + 90_000);
    expect(await read(1, 0, 1)).toEqual([600]);
    gas.set('gas_lel', 12.5);
  });

  it("stores the gateway's writes in the device", async () => {
    await withClient(line, async (c) => {
      c.setID(1);
      await c.writeRegister(3, 200);
    });
    expect(rig.device('gas1').get('alarm_1_setpoint')).toBe(20);
    rig.device('gas1').set('alarm_1_setpoint', 25);
  });

  it('answers an unmapped register with exception 2, as the profile device would', async () => {
    await expect(read(1, 40, 1)).rejects.toMatchObject({ modbusCode: 2 });
  });

  it('leaves a request for an absent unit unanswered', async () => {
    await expect(read(9, 0, 1, 200)).rejects.toThrow(/Timed out/);
  });

  it('executes a broadcast write on every device and answers nothing', async () => {
    // unit 0 (broadcast), FC06, register 3, value 200
    const reply = await rawExchange(line, withCrc(Buffer.from('0006000300c8', 'hex')));
    expect(reply.length).toBe(0);
    expect(rig.device('gas1').get('alarm_1_setpoint')).toBe(20);
    expect(rig.device('efm2').get('cable_temperature_3')).toBe(20);
    rig.device('gas1').set('alarm_1_setpoint', 25);
  });

  it('answers the exact bytes of the spec for a read (raw wire check)', async () => {
    // 01 03 0000 0001 CRC → 01 03 02 007D CRC
    const reply = await rawExchange(line, withCrc(Buffer.from('010300000001', 'hex')));
    expect(reply.toString('hex')).toBe(withCrc(Buffer.from('010302007d', 'hex')).toString('hex'));
  });

  it('ignores a request with a bad CRC, as a real slave does', async () => {
    expect((await rawExchange(line, Buffer.from('01030000000185CB', 'hex'))).length).toBe(0); // CRC should be 84 0A
    expect(await read(1, 0, 1)).toEqual([125]);
  });
});

describe('fault injection on the RTU line', () => {
  it('dead: the client times out, the neighbour still answers, clear brings it back', async () => {
    rig.inject('gas1', 'dead');
    await expect(read(1, 0, 1, 200)).rejects.toThrow(/Timed out/);
    expect(await read(2, 0, 1)).toEqual([120]);
    rig.clear('gas1');
    expect(await read(1, 0, 1)).toEqual([125]);
  });

  it('slow: the answer comes after the delay — in time for a patient client, too late for a hasty one', async () => {
    rig.inject('gas1', { fault: 'slow', delayMs: 300 });
    const started = Date.now();
    expect(await read(1, 0, 1, 1000)).toEqual([125]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await withClient(
      line,
      async (c) => {
        c.setID(1);
        await expect(c.readHoldingRegisters(0, 1)).rejects.toThrow(/Timed out/);
        await sleep(400); // let the late answer arrive here, not in the next test's client
      },
      100,
    );
  });

  it('busy: the client gets exception 6', async () => {
    rig.inject('gas1', 'busy');
    await expect(read(1, 0, 1)).rejects.toMatchObject({ modbusCode: 6 });
  });

  it('exception: the client gets the injected code', async () => {
    rig.inject('gas1', { fault: 'exception', code: 4 });
    await expect(read(1, 0, 1)).rejects.toMatchObject({ modbusCode: 4 });
  });

  it('crc-error: the client rejects the answer; on the wire it is the right frame with a broken CRC', async () => {
    rig.inject('gas1', 'crc-error');
    await expect(read(1, 0, 1)).rejects.toThrow(/CRC/);
    const reply = await rawExchange(line, withCrc(Buffer.from('010300000001', 'hex')));
    expect(reply.subarray(0, 5).toString('hex')).toBe('010302007d');
    expect(hasValidCrc(reply)).toBe(false);
  });

  it('garbage: the client gets no usable answer; on the wire there are random bytes', async () => {
    rig.inject('gas1', { fault: 'garbage', length: 12 });
    await expect(read(1, 0, 1, 200)).rejects.toThrow();
    const reply = await rawExchange(line, withCrc(Buffer.from('010300000001', 'hex')));
    expect(reply.length).toBe(12);
    expect(hasValidCrc(reply)).toBe(false);
  });

  it('wrong-unit: the client does not take the answer; on the wire it is a valid frame from unit 2', async () => {
    rig.inject('gas1', 'wrong-unit');
    await expect(read(1, 0, 1, 200)).rejects.toThrow(/Timed out/);
    const reply = await rawExchange(line, withCrc(Buffer.from('010300000001', 'hex')));
    expect(reply.toString('hex')).toBe(withCrc(Buffer.from('020302007d', 'hex')).toString('hex'));
  });
});
