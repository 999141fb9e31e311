/** The HTTP control API changes what a Modbus client reads — as a person running the demo would use it with curl. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualRig, type RigBus, type VirtualRig } from './rig.js';
import { withClient } from './test-clients.js';

let rig: VirtualRig;
let tcp: RigBus;
let api: string;

beforeAll(async () => {
  rig = await startVirtualRig({
    tickMs: 0,
    controlApi: true,
    buses: [{ name: 'plant', type: 'tcp' }],
    devices: [{ name: 'gas1', bus: 'plant', unitId: 1, profile: 'generic/combustible-gas', behaviours: { gas_lel: 3 } }],
  });
  tcp = rig.buses.plant!;
  api = rig.controlApi!.url;
});
afterAll(async () => {
  await rig?.stop();
});

const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
  const res = await fetch(api + path, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return { status: res.status, json: await res.json() };
};
const readGas = (timeoutMs = 500): Promise<number[]> =>
  withClient(
    tcp,
    async (c) => {
      c.setID(1);
      return (await c.readHoldingRegisters(0, 1)).data;
    },
    timeoutMs,
  );

describe('control API', () => {
  it('binds 127.0.0.1 only', () => {
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /devices lists devices with bus, unit, profile, fault and values', async () => {
    const { status, json } = await call('GET', '/devices');
    expect(status).toBe(200);
    expect(json).toEqual([expect.objectContaining({ name: 'gas1', bus: 'plant', unitId: 1, profile: 'generic/combustible-gas', fault: null })]);
    expect(json[0].values.gas_lel).toBe(3);
  });

  it('GET /devices/:name shows each point with its unit and behaviour', async () => {
    const { json } = await call('GET', '/devices/gas1');
    expect(json.points.gas_lel).toEqual({ value: 3, unit: '%LEL', behaviour: { kind: 'constant', value: 3 } });
  });

  it('PUT a point value, and the Modbus client reads it', async () => {
    const { status, json } = await call('PUT', '/devices/gas1/points/gas_lel', { value: 42.5 });
    expect(status).toBe(200);
    expect(json).toMatchObject({ device: 'gas1', point: 'gas_lel', value: 42.5 });
    expect(await readGas()).toEqual([425]);
  });

  it('PUT a behaviour on a point', async () => {
    const ramp = { kind: 'ramp', from: 0, to: 60, rampMs: 1000 };
    expect((await call('PUT', '/devices/gas1/points/gas_lel', { behaviour: ramp })).json.behaviour).toEqual(ramp);
    rig.tick(0);
    rig.tick(500);
    expect(await readGas()).toEqual([300]);
  });

  it('POST a fault kills the slave for the client; DELETE brings it back', async () => {
    expect((await call('POST', '/devices/gas1/faults', { fault: 'dead' })).json).toEqual({ device: 'gas1', fault: { fault: 'dead' } });
    await expect(readGas(200)).rejects.toThrow(/Timed out/);
    expect((await call('DELETE', '/devices/gas1/faults')).json).toEqual({ device: 'gas1', fault: null });
    await expect(readGas()).resolves.toHaveLength(1);
  });

  it('POST a parameterised fault', async () => {
    await call('POST', '/devices/gas1/faults', { fault: 'exception', code: 4 });
    await expect(readGas()).rejects.toMatchObject({ modbusCode: 4 });
    await call('POST', '/devices/gas1/faults', { fault: 'clear' });
    await expect(readGas()).resolves.toHaveLength(1);
  });

  it('says no clearly: unknown device, point, route, fault, bad value, bad JSON, wrong method', async () => {
    expect(await call('GET', '/devices/nope')).toEqual({ status: 404, json: { error: 'no device "nope" (devices: gas1)' } });
    expect((await call('PUT', '/devices/gas1/points/nope', { value: 1 })).status).toBe(404);
    expect((await call('GET', '/other')).status).toBe(404);
    expect(await call('POST', '/devices/gas1/faults', { fault: 'melt' })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/unknown fault "melt"/) } });
    expect(await call('PUT', '/devices/gas1/points/gas_lel', { value: 'lots' })).toMatchObject({
      status: 400,
      json: { error: 'device gas1: point gas_lel: cannot write "lots": a u16 point takes a finite number' },
    });
    expect(await call('PUT', '/devices/gas1/points/gas_lel', '{oops')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/not JSON/) } });
    expect((await call('DELETE', '/devices')).status).toBe(405);
    expect(rig.device('gas1').fault).toBeNull();
  });
});
