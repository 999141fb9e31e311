import { describe, expect, it } from 'vitest';
import { FakeTransport, type FakeCall, type FakeOutcome } from '../../drivers/modbus/fake-transport.js';
import { VigilError } from '../../gateway/errors.js';
import { planIdentification } from './identify.js';
import { describeSetting, settingOf, sweepSettings, type LineSetting } from './plan.js';
import { runSweep, type SweepOptions } from './sweep.js';

/**
 * A line whose devices answer only at `line` (as real ones do: at another setting they see
 * garbage). Every transport the sweep opens is kept, with the setting it was opened at.
 */
function fakeLine(line: LineSetting, units: number[], script: (call: FakeCall) => FakeOutcome = () => undefined) {
  const opened: Array<{ setting: string; transport: FakeTransport }> = [];
  const connect = (s: LineSetting | undefined) => {
    const at = s === undefined ? 'tcp' : describeSetting(s);
    const transport = new FakeTransport((call) => {
      if (at !== describeSetting(line) || !units.includes(call.unitId)) return { error: 'COMM_TIMEOUT' };
      return script(call);
    }, 0);
    for (const u of units) transport.setRegisters(u, 'holding', 0, [7]);
    opened.push({ setting: at, transport });
    return transport;
  };
  return { connect, opened, calls: () => opened.flatMap((o) => o.transport.calls) };
}

const noIdentify = planIdentification([]);

function options(over: Partial<SweepOptions> & Pick<SweepOptions, 'connect'>): SweepOptions {
  return {
    settings: sweepSettings([9600, 19200, 38400], ['even', 'none', 'odd']),
    units: [1, 2, 3, 17, 200, 201],
    timeoutFor: () => 1,
    identify: noIdentify,
    ...over,
  };
}

describe('the sweep', () => {
  it('stops at the first setting where anything answers: the line runs at it', async () => {
    const line = fakeLine(settingOf(19200, 'none'), [17, 201]);
    const r = await runSweep(options({ connect: line.connect }));
    expect(line.opened.map((o) => o.setting)).toEqual(['9600 8E1', '9600 8N2', '9600 8O1', '19200 8E1', '19200 8N2']);
    expect(r.found.map((f) => [f.unit, describeSetting(f.setting!)])).toEqual([
      [17, '19200 8N2'],
      [201, '19200 8N2'],
    ]);
    expect(r.skipped.map((s) => describeSetting(s!))).toEqual(['19200 8O1', '38400 8E1', '38400 8N2', '38400 8O1']);
    expect(r.tallies.map((t) => t.answered)).toEqual([0, 0, 0, 0, 2]);
  });

  it('with allSettings keeps going, but never probes a found unit again', async () => {
    const line = fakeLine(settingOf(9600, 'even'), [3]);
    const r = await runSweep(options({ connect: line.connect, allSettings: true }));
    expect(line.opened).toHaveLength(9);
    expect(r.skipped).toEqual([]);
    const probesOf3 = line.calls().filter((c) => c.unitId === 3 && c.address === 0 && c.count === 1);
    expect(probesOf3).toHaveLength(1);
  });

  it('counts a Modbus exception as a device that is there, but a gateway exception 11 as nobody there', async () => {
    const line = fakeLine(settingOf(9600, 'even'), [1, 2], (c) => ({ error: c.unitId === 1 ? 'DEVICE_ILLEGAL_ADDRESS' : 'DEVICE_GATEWAY_PATH' }));
    // FakeTransport errors carry no modbusCode; the codes classify the outcome.
    const r = await runSweep(options({ connect: line.connect, settings: [settingOf(9600, 'even')] }));
    expect(r.found.map((f) => f.unit)).toEqual([1]);
    expect(r.found[0]!.probe).toMatch(/^exception/);
  });

  it('counts garbled replies per setting, for the dead-line advice', async () => {
    const line = fakeLine(settingOf(9600, 'even'), [2], () => ({ error: 'COMM_CRC' }));
    const r = await runSweep(options({ connect: line.connect, settings: [settingOf(9600, 'even')] }));
    expect(r.found).toEqual([]);
    expect(r.tallies[0]).toMatchObject({ probed: 6, answered: 0, garbled: 1 });
  });

  it('asks a unit again after a garbled reply (a late answer of its neighbour), and finds it', async () => {
    let garbleOnce = true;
    const line = fakeLine(settingOf(9600, 'even'), [2, 3], (c) => {
      if (c.unitId !== 3 || !garbleOnce) return undefined;
      garbleOnce = false;
      return { error: 'COMM_BAD_FRAME' };
    });
    const r = await runSweep(options({ connect: line.connect, settings: [settingOf(9600, 'even')] }));
    expect(r.found.map((f) => f.unit)).toEqual([2, 3]);
    expect(r.tallies[0]).toMatchObject({ answered: 2, garbled: 1 });
  });

  it('only ever reads: no write function code goes on the line', async () => {
    const line = fakeLine(settingOf(9600, 'even'), [1, 17]);
    await runSweep(options({ connect: line.connect, identify: planIdentification([]), allSettings: true }));
    expect(line.calls().length).toBeGreaterThan(0);
    expect(line.calls().every((c) => c.op === 'read' && (c.table === 'holding' || c.table === 'input'))).toBe(true);
  });

  it('asks for FC43/14 device identification only when told to, and reports a refusal as such', async () => {
    const asked: number[] = [];
    const withDeviceId = (refuse: boolean) => (s: LineSetting | undefined) =>
      Object.assign(fakeLine(settingOf(9600, 'even'), [1, 2]).connect(s), {
        readDeviceIdentification: async (unit: number) => {
          asked.push(unit);
          if (refuse && unit === 2) throw new VigilError('DEVICE_ILLEGAL_ADDRESS', 'exception 1', { modbusCode: 1 });
          return { 0: 'Acme', 1: 'GD-100', 2: 'v2.1' };
        },
      });
    const quiet = await runSweep(options({ settings: [settingOf(9600, 'even')], connect: withDeviceId(true) }));
    expect(asked).toEqual([]);
    expect(quiet.found.every((f) => f.deviceId === undefined)).toBe(true);
    const r = await runSweep(options({ settings: [settingOf(9600, 'even')], connect: withDeviceId(true), deviceId: true }));
    expect(r.found.map((f) => [f.unit, f.deviceId])).toEqual([
      [1, 'Acme · GD-100 · v2.1'],
      [2, 'not supported (exception 01)'],
    ]);
  });

  it('reports progress with a total that bounds the work, and closes every transport it opened', async () => {
    const line = fakeLine(settingOf(19200, 'even'), [200]);
    const seen: number[] = [];
    await runSweep(options({ connect: line.connect, onProgress: (p) => seen.push(p.done) }));
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    expect(seen.length).toBe(4 * 6);
    expect(line.opened.every((o) => !o.transport.isOpen())).toBe(true);
  });

  it('reopens a port that dropped during the sweep', async () => {
    let dropped = false;
    const line = fakeLine(settingOf(9600, 'even'), [17]);
    const r = await runSweep(
      options({
        settings: [settingOf(9600, 'even')],
        connect: (s) => {
          const t = line.connect(s);
          const read = t.readRegisters.bind(t);
          t.readRegisters = async (...a) => {
            if (!dropped && a[0] === 3) {
              dropped = true;
              t.drop();
            }
            return read(...a);
          };
          return t;
        },
      }),
    );
    expect(dropped).toBe(true);
    expect(r.found.map((f) => f.unit)).toEqual([17]);
  });

  it('ends with a clear error when the port cannot be reopened (adapter pulled)', async () => {
    const line = fakeLine(settingOf(9600, 'even'), [17]);
    const r = await runSweep(
      options({
        settings: [settingOf(9600, 'even')],
        connect: (s) => {
          const t = line.connect(s);
          const read = t.readRegisters.bind(t);
          t.readRegisters = async (...a) => {
            if (a[0] === 3) {
              t.drop();
              t.openFails = true;
            }
            return read(...a);
          };
          return t;
        },
      }),
    ).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toMatch(/the port closed during the scan .*is the adapter still plugged in\?/);
  });
});
