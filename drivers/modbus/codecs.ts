/**
 * Register codecs: raw Modbus words ⇄ engineering values, for every value type and byte order
 * a profile can name. Pure functions, no I/O.
 *
 * Modbus Application Protocol V1.1b3 §4.2 fixes only that a *register* travels big-endian
 * (high byte first). How a 32-bit value is split over two registers, and whether a device
 * swaps the bytes inside a register, is left to the vendor — hence the four byte orders.
 * ABCD names the bytes of the big-endian value; the wire carries:
 *   ABCD → [AB, CD]   CDAB → [CD, AB]   BADC → [BA, DC]   DCBA → [DC, BA]
 * For 16-bit types only the byte swap matters (BADC/DCBA read a register as BA).
 */
import type { ByteOrder, PointDef, Profile } from '../profiles/schema.js';
import { registerWidth } from '../profiles/schema.js';
import type { PointOverride } from '../../gateway/config/schema.js';
import type { PointValue, Quality } from '../../gateway/readings.js';
import { VigilError } from '../../gateway/errors.js';

export interface ResolvedPoint extends PointDef {
  byteOrder: ByteOrder;
  scale: number;
  offset: number;
  /** Registers the value occupies (1 or 2); 1 for a coil/discrete bit. */
  width: number;
}

type Decoded = { value: PointValue; quality: Quality };

function isBitTable(p: PointDef): boolean {
  return p.table === 'coil' || p.table === 'discrete';
}

/** A point whose value is scaled: integer or float types without an enumeration. */
function isNumeric(p: PointDef): boolean {
  return p.type !== 'bool' && p.enum === undefined;
}

/**
 * Applies a device's point overrides to its profile: the points the poller will read.
 * An override that names a missing point, or that sets scale/offset on a non-numeric point,
 * is a configuration error — never silently ignored (DESIGN principle 7).
 */
export function resolvePoints(profile: Profile, overrides: Record<string, PointOverride> = {}): ResolvedPoint[] {
  const byName = new Map(profile.points.map((p) => [p.name, p] as const));
  for (const [name, o] of Object.entries(overrides)) {
    const p = byName.get(name);
    if (!p) {
      throw new VigilError('CONFIG_INVALID', `points.${name}: profile ${profile.id} has no point "${name}"`, {
        profile: profile.id,
        point: name,
      });
    }
    if ((o.scale !== undefined || o.offset !== undefined) && !isNumeric(p)) {
      throw new VigilError('CONFIG_INVALID', `points.${name}: scale/offset apply to numeric points only, and "${name}" of ${profile.id} is ${p.enum ? 'an enumeration' : 'a bool'}`, {
        profile: profile.id,
        point: name,
      });
    }
    if (o.range && o.range.min >= o.range.max) {
      throw new VigilError('CONFIG_INVALID', `points.${name}.range: min (${o.range.min}) must be below max (${o.range.max})`, {
        profile: profile.id,
        point: name,
      });
    }
  }
  const out: ResolvedPoint[] = [];
  for (const p of profile.points) {
    const o = overrides[p.name] ?? {};
    if (o.enabled === false) continue;
    // Object.assign, not `{ ...p, scale, … }`: V8 gives every object built by that spread-then-
    // redefine literal its own hidden class (~480 B each, 5 MB at 10,000 points — bench/rss);
    // assigned copies share one.
    const resolved: ResolvedPoint = Object.assign({}, p, {
      byteOrder: p.byteOrder ?? profile.modbus.byteOrder,
      scale: o.scale ?? p.scale ?? 1,
      offset: o.offset ?? p.offset ?? 0,
      width: isBitTable(p) ? 1 : registerWidth(p.type),
    });
    if (o.unit !== undefined) resolved.unit = o.unit;
    if (o.range !== undefined) resolved.range = { ...o.range };
    out.push(resolved);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Word ⇄ byte order

const swapBytes = (w: number): number => ((w & 0xff) << 8) | (w >>> 8);
const byteSwapped = (o: ByteOrder): boolean => o === 'BADC' || o === 'DCBA';
const wordSwapped = (o: ByteOrder): boolean => o === 'CDAB' || o === 'DCBA';

/** The inverse of rawFromWords' reordering (each step is its own inverse, applied in reverse order). */
function fromBigEndian(words: readonly number[], order: ByteOrder): number[] {
  const ws = byteSwapped(order) ? words.map(swapBytes) : [...words];
  return ws.length === 2 && wordSwapped(order) ? [ws[1]!, ws[0]!] : ws;
}

/**
 * One scratch view for every decode: decoding is synchronous, so it is never shared between
 * two calls, and a reading no longer costs an ArrayBuffer (an off-heap backing store the GC
 * has to track and free — at every poll response of every device).
 */
const scratch = new DataView(new ArrayBuffer(4));

/** Wire words → raw value: reorders to the big-endian [AB, CD] (or AB), then reads the type. */
function rawFromWords(point: ResolvedPoint, words: readonly number[]): number {
  const order = point.byteOrder;
  let hi = words[0]!;
  let lo = words.length === 2 ? words[1]! : 0;
  if (words.length === 2 && wordSwapped(order)) {
    const first = hi;
    hi = lo;
    lo = first;
  }
  if (byteSwapped(order)) {
    hi = swapBytes(hi);
    lo = swapBytes(lo);
  }
  const view = scratch;
  view.setUint16(0, hi);
  view.setUint16(2, lo);
  switch (point.type) {
    case 'u16':
    case 'bool':
      return view.getUint16(0);
    case 'i16':
      return view.getInt16(0);
    case 'u32':
      return view.getUint32(0);
    case 'i32':
      return view.getInt32(0);
    case 'f32':
      return view.getFloat32(0);
  }
}

function checkWords(point: ResolvedPoint, words: readonly number[]): void {
  if (words.length !== point.width) {
    throw new VigilError('COMM_BAD_FRAME', `point ${point.name}: expected ${point.width} register(s) at ${point.address}, got ${words.length}`, {
      point: point.name,
    });
  }
  for (const w of words) {
    if (!Number.isInteger(w) || w < 0 || w > 0xffff) {
      throw new VigilError('COMM_BAD_FRAME', `point ${point.name}: ${w} is not a 16-bit register value`, { point: point.name });
    }
  }
}

/**
 * Cleans binary-fraction noise that scaling adds (123 × 0.1 = 12.300000000000001) to 15
 * significant digits — far below any sensor's resolution, so no information is lost.
 */
function engineering(point: ResolvedPoint, raw: number): number {
  if (point.scale === 1 && point.offset === 0) return raw;
  return Number((raw * point.scale + point.offset).toPrecision(15));
}

function inRange(point: ResolvedPoint, v: number): boolean {
  return !point.range || (v >= point.range.min && v <= point.range.max);
}

/** Decodes `point.width` registers read from `point.address`. */
export function decodeRegisters(point: ResolvedPoint, words: readonly number[]): Decoded {
  checkWords(point, words);
  if (isBitTable(point)) return decodeBit(point, words[0] !== 0);
  const raw = rawFromWords(point, words);
  if (point.type === 'bool') {
    // Bit 0 is the least significant bit of the register's value (after any byte swap).
    return { value: ((raw >>> (point.bit ?? 0)) & 1) === 1, quality: 'good' };
  }
  if (point.enum) {
    const label = point.enum[String(raw)];
    // An unknown state code is not a state we can alarm on — a fault, never a guess.
    return label === undefined ? { value: null, quality: 'bad' } : { value: label, quality: 'good' };
  }
  if (!Number.isFinite(raw)) return { value: null, quality: 'bad' }; // f32 NaN / ±Inf
  const value = engineering(point, raw);
  return { value, quality: inRange(point, value) ? 'good' : 'bad' };
}

/** Decodes one coil / discrete input. */
export function decodeBit(_point: ResolvedPoint, bit: boolean): { value: boolean; quality: Quality } {
  return { value: bit, quality: 'good' };
}

// ---------------------------------------------------------------------------------------------
// Encoding (writes)

const INT_LIMITS: Record<'u16' | 'i16' | 'u32' | 'i32', [number, number]> = {
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

function unfit(point: ResolvedPoint, value: unknown, why: string): VigilError {
  return new VigilError('CONFIG_INVALID', `point ${point.name}: cannot write ${JSON.stringify(value)}: ${why}`, {
    point: point.name,
    value,
  });
}

function wordsFromRaw(point: ResolvedPoint, raw: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  switch (point.type) {
    case 'u16':
    case 'bool':
      view.setUint16(0, raw);
      break;
    case 'i16':
      view.setInt16(0, raw);
      break;
    case 'u32':
      view.setUint32(0, raw);
      break;
    case 'i32':
      view.setInt32(0, raw);
      break;
    case 'f32':
      view.setFloat32(0, raw);
      break;
  }
  const be = point.width === 2 ? [view.getUint16(0), view.getUint16(2)] : [view.getUint16(0)];
  return fromBigEndian(be, point.byteOrder);
}

function rawForEnum(point: ResolvedPoint, value: number | boolean | string): number {
  const entries = Object.entries(point.enum!);
  if (typeof value === 'string') {
    const hit = entries.find(([, label]) => label === value);
    if (!hit) throw unfit(point, value, `not one of its labels (${entries.map(([, l]) => l).join(', ')})`);
    return Number(hit[0]);
  }
  if (typeof value === 'number' && entries.some(([k]) => Number(k) === value)) return value;
  throw unfit(point, value, `not one of its enumeration values (${entries.map(([k, l]) => `${k}=${l}`).join(', ')})`);
}

function rawForNumber(point: ResolvedPoint, value: number | boolean | string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw unfit(point, value, `a ${point.type} point takes a finite number`);
  const scaled = (value - point.offset) / point.scale;
  if (point.type === 'f32') {
    if (!Number.isFinite(Math.fround(scaled))) throw unfit(point, value, 'outside the f32 range');
    return scaled;
  }
  const raw = Math.round(scaled);
  // Never round an engineering value to the nearest step without saying so (principle 7).
  if (Math.abs(raw - scaled) > 1e-9 * Math.max(1, Math.abs(scaled))) {
    throw unfit(point, value, `not a whole multiple of scale ${point.scale} from offset ${point.offset}`);
  }
  const [min, max] = INT_LIMITS[point.type as keyof typeof INT_LIMITS];
  if (raw < min || raw > max) throw unfit(point, value, `raw value ${raw} is outside ${point.type} (${min}..${max})`);
  return raw;
}

function asBool(point: ResolvedPoint, value: number | boolean | string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw unfit(point, value, 'a bool point takes true/false (or 0/1)');
}

/**
 * Engineering value → the raw words to write at `point.address` (the inverse of decode).
 * A bit inside a register is merged into `current`, the register as last read from the wire,
 * so the other 15 bits are written back unchanged.
 */
export function encodeRegisters(point: ResolvedPoint, value: number | boolean | string, current?: readonly number[]): number[] {
  if (isBitTable(point)) return [asBool(point, value) ? 1 : 0];
  if (point.type === 'bool') {
    const on = asBool(point, value);
    if (!current || current.length !== 1) {
      throw unfit(point, value, `bit ${point.bit ?? 0} of register ${point.address} needs the register's current value to merge into`);
    }
    checkWords(point, current);
    const mask = 1 << (point.bit ?? 0);
    const reg = rawFromWords(point, current);
    return wordsFromRaw(point, on ? reg | mask : reg & ~mask & 0xffff);
  }
  const raw = point.enum ? rawForEnum(point, value) : rawForNumber(point, value);
  if (point.enum) {
    const [min, max] = INT_LIMITS[point.type as keyof typeof INT_LIMITS];
    if (raw < min || raw > max) throw unfit(point, value, `raw value ${raw} is outside ${point.type}`);
  }
  return wordsFromRaw(point, raw);
}
