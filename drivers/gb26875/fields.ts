/**
 * Fields shared by several information bodies, read and written side by side. Readers trust the
 * caller to have checked the length (the ADU decoder does); writers validate and throw
 * Gb26875EncodeError naming the field's path.
 */
import { Gb26875EncodeError } from './errors.js';

export function checkUint(value: number, bits: 8 | 16 | 32 | 48, path: string): number {
  const max = 2 ** bits - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Gb26875EncodeError(path, `${String(value)} is not an unsigned ${bits}-bit integer (0–${max})`);
  }
  return value;
}

export function checkInt16(value: number, path: string): number {
  if (!Number.isInteger(value) || value < -32768 || value > 32767) {
    throw new Gb26875EncodeError(path, `${String(value)} is not a signed 16-bit integer (−32768–32767)`);
  }
  return value;
}

/** System type (系统类型标志) and system address (系统地址), one byte each, at the start of most bodies. */
export interface SystemRef {
  readonly systemType: number;
  readonly systemAddress: number;
}

export function readSystemRef(buf: Buffer, offset: number): SystemRef {
  return { systemType: buf[offset]!, systemAddress: buf[offset + 1]! };
}

export function writeSystemRef(ref: SystemRef, buf: Buffer, offset: number, path: string): void {
  buf[offset] = checkUint(ref.systemType, 8, `${path}.systemType`);
  buf[offset + 1] = checkUint(ref.systemAddress, 8, `${path}.systemAddress`);
}

/**
 * Component address (部件地址), 4 bytes: zone (区号) u16 LE then position (位号) u16 LE
 * (§8.2.1.2). The transcription's example "2号10区" is 0A 00 02 00: zone 10, position 2.
 * Panels fill these with their own numbering (loop/point, panel/loop/point…); the gateway's
 * panel profile says how to read them.
 */
export interface ComponentAddress {
  readonly zone: number;
  readonly position: number;
}

export const COMPONENT_ADDRESS_SIZE = 4;

export function readComponentAddress(buf: Buffer, offset: number): ComponentAddress {
  return { zone: buf.readUInt16LE(offset), position: buf.readUInt16LE(offset + 2) };
}

export function writeComponentAddress(a: ComponentAddress, buf: Buffer, offset: number, path: string): void {
  buf.writeUInt16LE(checkUint(a.zone, 16, `${path}.zone`), offset);
  buf.writeUInt16LE(checkUint(a.position, 16, `${path}.position`), offset + 2);
}

/** What names one component: its system, its type, its address (7 bytes in that order). */
export interface ComponentRef extends SystemRef {
  readonly componentType: number;
  readonly componentAddress: ComponentAddress;
}

export const COMPONENT_REF_SIZE = 3 + COMPONENT_ADDRESS_SIZE;

export function readComponentRef(buf: Buffer, offset: number): ComponentRef {
  return { ...readSystemRef(buf, offset), componentType: buf[offset + 2]!, componentAddress: readComponentAddress(buf, offset + 3) };
}

export function writeComponentRef(c: ComponentRef, buf: Buffer, offset: number, path: string): void {
  writeSystemRef(c, buf, offset, path);
  buf[offset + 2] = checkUint(c.componentType, 8, `${path}.componentType`);
  writeComponentAddress(c.componentAddress, buf, offset + 3, `${path}.componentAddress`);
}
