/**
 * How one information object (信息对象: information body + time label where the type has one)
 * is read and written. One codec per type flag; adu.ts walks the ADU with them.
 */
import { Gb26875EncodeError } from '../errors.js';
import { checkUint } from '../fields.js';

export interface ObjectCodec<T> {
  /** For messages: the standard's name and ours. */
  readonly name: string;
  /** Most objects one ADU may carry (信息对象数目 limit), so the ADU stays ≤ 1024 bytes. */
  readonly maxCount: number;
  /**
   * Bytes one object takes, time label included; for a variable-length object, a function that
   * reads them from the ADU at `offset`, or undefined when the ADU ends before its length byte.
   */
  readonly size: number | ((adu: Buffer, offset: number) => number | undefined);
  /** Reads one object; called only once the ADU is known to hold `size` bytes at `offset`. */
  from(adu: Buffer, offset: number): T;
  /** One object's bytes; throws Gb26875EncodeError naming `path` and the field. */
  serialize(obj: T, path: string): Buffer;
}

/**
 * The reserved byte that is the whole body of several downstream commands (81, 85, 86, 88, 89:
 * "预留（1字节）=0"). Kept as read so a frame re-encodes byte for byte.
 */
export interface ReservedBody {
  readonly reserved: number;
}

export function reservedCodec(name: string): ObjectCodec<ReservedBody> {
  return {
    name,
    maxCount: 1,
    size: 1,
    from: (adu, o) => ({ reserved: adu[o]! }),
    serialize: (obj, path) => Buffer.from([checkUint(obj.reserved, 8, `${path}.reserved`)]),
  };
}

/** A fixed-size body written field by field into a zeroed buffer. */
export function fixed(size: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(size);
  write(b);
  return b;
}

export function checkMax(value: number, max: number, path: string): number {
  if (value > max) throw new Gb26875EncodeError(path, `${value} is over the limit of ${max}`);
  return value;
}
