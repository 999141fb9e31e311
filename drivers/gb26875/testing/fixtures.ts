/** Shared test data and assertions for the codec's tests. */
import { expect } from 'vitest';
import { ApplicationData } from '../adu.js';
import type { ControlUnit } from '../frame.js';
import type { TimeLabel } from '../time-label.js';
import { gb26875Checksum } from '../../serial/specs/gb26875.js';
import { hex } from './hex.js';

/** 2024-05-18 14:30:05 → 05 1E 0E 12 05 18 */
export const SENT: TimeLabel = { second: 5, minute: 30, hour: 14, day: 18, month: 5, year: 24 };
/** 2024-05-18 14:29:58 → 3A 1D 0E 12 05 18 */
export const EVENT: TimeLabel = { second: 58, minute: 29, hour: 14, day: 18, month: 5, year: 24 };

/** UITD 1001 (E9 03 00 00 00 00) → centre 2001 (D1 07 00 00 00 00), serial 23, version 1.1. */
export function upstreamHeader(command: number): ControlUnit {
  return { serial: 23, version: { major: 1, user: 1 }, time: SENT, source: 1001, destination: 2001, command };
}

// A type-2 fire alarm from smoke detector "1号楼3层烟感", built by hand. Byte sums per group
// (decimal) on the right; the checksum is their total mod 256.
export const FIRE_ALARM = hex(`
  40 40                    // start '@@'
  17 00                    // serial 23                                     23
  01 01                    // version 1.1                                    2
  05 1E 0E 12 05 18        // sent 2024-05-18 14:30:05                      96
  E9 03 00 00 00 00        // source 1001                                  236
  D1 07 00 00 00 00        // destination 2001                             216
  30 00                    // ADU length 48                                 48
  02                       // command 2 (send)                               2
  02 01                    // type 2 component status, 1 object              3
  01 01                    // system type 1 (fire alarm), address 1          2
  2A                       // component type 42 point photoelectric smoke   42
  03 00 0C 00              // zone 3, position 12                           15
  03 00                    // status: normal + fire                          3
  31 BA C5 C2 A5 33 B2 E3  // "1号楼3层烟感" in GB 18030 …
  D1 CC B8 D0              // … 12 bytes                                 2052
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   // 19 NULs pad to 31
  3A 1D 0E 12 05 18        // event 2024-05-18 14:29:58                    148
  48                       // checksum: 23+2+96+236+216+48+2+3+2+42+15+3+2052+148 = 2888 = 11×256 + 72 → 0x48
  23 23                    // end '##'`);


/** A copy of a frame with bytes replaced at `offset` and the checksum made right again. */
export function patched(frame: Buffer, offset: number, bytes: number[]): Buffer {
  const b = Buffer.from(frame);
  b.set(bytes, offset);
  return withChecksum(b);
}

/** Recomputes the checksum of a frame whose ADU length field is right. */
export function withChecksum(frame: Buffer): Buffer {
  const b = Buffer.from(frame);
  const end = 27 + b.readUInt16LE(24);
  b[end] = gb26875Checksum(b, 2, end);
  return b;
}

/**
 * Asserts that `data` serializes to exactly the listed ADU bytes and that those bytes decode back
 * to `data`: both directions of one codec, against the same byte-commented listing.
 */
export function expectRoundTrip(data: ApplicationData, listing: string): void {
  const bytes = hex(listing);
  expect(ApplicationData.serialize(data)).toEqual(bytes);
  expect(ApplicationData.from(bytes)).toEqual({ ok: true, value: data });
}
