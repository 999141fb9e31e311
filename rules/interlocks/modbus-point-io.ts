/**
 * PointIo over the gateway's bus queues: how an interlock writes a Modbus point and reads it
 * back. Every request goes at interlock priority (it jumps the queued polls of its bus, DESIGN
 * principle 4) and is enqueued synchronously, so the command leaves in the same turn as the alarm.
 *
 * Values are encoded and decoded with the same codecs the poller uses (drivers/modbus/codecs.ts):
 * scale, offset, byte order and enumeration labels apply to writes exactly as to reads.
 *
 * Refused, at construction, with every problem listed: a target device or point that does not
 * exist, a point the profile does not mark `access: readwrite`, a value the point cannot hold,
 * and a bool point that is one bit of a holding register. That last one would need a
 * read-modify-write of the whole register (two transactions, racing any other writer of the
 * register's other bits); this writer does not do it — map the command as a coil or a whole
 * register instead.
 */
import type { BusQueue } from '../../drivers/modbus/bus-queue.js';
import { decodeRegisters, encodeRegisters, type ResolvedPoint } from '../../drivers/modbus/codecs.js';
import type { InterlockConfig } from '../../gateway/config/safety-schema.js';
import { VigilError } from '../../gateway/errors.js';
import type { PointValue } from '../../gateway/readings.js';
import type { PointIo } from './types.js';

export interface ModbusDeviceIo {
  queue: Pick<BusQueue, 'read' | 'write'>;
  unitId: number;
  /** The device's resolved points (resolvePoints(profile, site overrides)). */
  points: readonly ResolvedPoint[];
}

export type ModbusDevices = ReadonlyMap<string, ModbusDeviceIo>;

const INTERLOCK = { priority: 'interlock' } as const;

/** Why `point` of `device` cannot be written with `value`, or undefined. */
function writeProblem(devices: ModbusDevices, device: string, point: string, value: number | boolean): string | undefined {
  const found = lookup(devices, device, point);
  if (typeof found === 'string') return found;
  const p = found.point;
  if (p.access !== 'readwrite') return `point ${point} of device ${device} is read-only (its profile does not mark it access: readwrite)`;
  if (p.table !== 'coil' && p.table !== 'holding') return `point ${point} of device ${device} is in the ${p.table} table, which cannot be written`;
  if (p.table === 'holding' && p.type === 'bool') {
    return `point ${point} of device ${device} is bit ${p.bit ?? 0} of holding register ${p.address}; writing one bit would need a read-modify-write of the whole register, which interlocks do not do (map the command as a coil or a whole register)`;
  }
  try {
    encodeRegisters(p, value);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

function lookup(devices: ModbusDevices, device: string, point: string): { dev: ModbusDeviceIo; point: ResolvedPoint } | string {
  const dev = devices.get(device);
  if (!dev) return `no Modbus device "${device}" (devices: ${[...devices.keys()].join(', ') || 'none'})`;
  const p = dev.points.find((x) => x.name === point);
  if (!p) return `device ${device} has no point "${point}" (or it is disabled in the site file)`;
  return { dev, point: p };
}

/**
 * Every problem with the interlocks' Modbus targets, each with its site-file path — for the
 * config's semantic pass as well as for the constructor below.
 */
export function interlockTargetProblems(interlocks: readonly InterlockConfig[], devices: ModbusDevices): string[] {
  const problems: string[] = [];
  interlocks.forEach((cfg, i) => {
    cfg.actions.forEach((a, j) => {
      if (!('write' in a)) return;
      const problem = writeProblem(devices, a.write.device, a.write.point, a.write.value);
      if (problem) problems.push(`interlocks[${i}].actions[${j}].write: ${problem}`);
    });
    if (cfg.confirm) {
      const found = lookup(devices, cfg.confirm.device, cfg.confirm.point);
      if (typeof found === 'string') problems.push(`interlocks[${i}].confirm: ${found}`);
    }
  });
  return problems;
}

export class ModbusPointIo implements PointIo {
  /** Throws CONFIG_INVALID listing every interlock target problem (interlockTargetProblems). */
  constructor(
    private readonly devices: ModbusDevices,
    interlocks: readonly InterlockConfig[] = [],
  ) {
    const problems = interlockTargetProblems(interlocks, devices);
    if (problems.length > 0) throw new VigilError('CONFIG_INVALID', problems.join('\n'), { problems });
  }

  writePoint(device: string, point: string, value: number | boolean): Promise<void> {
    const problem = writeProblem(this.devices, device, point, value);
    if (problem) return Promise.reject(new VigilError('CONFIG_INVALID', problem, { device, point, value }));
    const { dev, point: p } = lookup(this.devices, device, point) as { dev: ModbusDeviceIo; point: ResolvedPoint };
    const words = encodeRegisters(p, value);
    // Enqueued here, synchronously: the caller's turn is the alarm's turn.
    if (p.table === 'coil') return dev.queue.write(dev.unitId, 'coil', p.address, [words[0] === 1], INTERLOCK);
    return dev.queue.write(dev.unitId, 'holding', p.address, words, INTERLOCK);
  }

  async readPoint(device: string, point: string): Promise<PointValue> {
    const found = lookup(this.devices, device, point);
    if (typeof found === 'string') throw new VigilError('CONFIG_INVALID', found, { device, point });
    const { dev, point: p } = found;
    const raw = await dev.queue.read(dev.unitId, p.table, p.address, p.width, INTERLOCK);
    const words = raw.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
    const { value, quality } = decodeRegisters(p, words);
    // The device answered, so no transport error code fits; the interlock only needs the why.
    if (quality !== 'good') throw new Error(`device ${device} point ${point}: the value read is not valid (${quality} quality, raw ${JSON.stringify(raw)})`);
    return value;
  }
}
