/**
 * The GB/T 26875.3-2011 frame (§6 数据包结构, standards.md §3.2): one whole frame in a Buffer ⇄
 * its control unit and raw ADU. Finding frames in a byte stream is the serial framer's job
 * (drivers/serial); this works on what it hands over.
 *
 *   bytes 1–2    '@@' 0x40 0x40
 *   bytes 3–4    business serial number, u16 LE
 *   bytes 5–6    protocol version: main (fixed 1 by the standard), user
 *   bytes 7–12   time label: sec, min, hour, day, month, year
 *   bytes 13–18  source address, 6 bytes LE
 *   bytes 19–24  destination address, 6 bytes LE
 *   bytes 25–26  ADU length, u16 LE, ≤ 1024
 *   byte 27      command
 *   28…          ADU (empty for confirm/deny and the heartbeat)
 *   next         checksum: bytes 3–27 + ADU, mod 256
 *   last 2       '##' 0x23 0x23
 */
import {
  GB26875_ADU_OFFSET,
  GB26875_END_BYTE,
  GB26875_FIXED_BYTES,
  GB26875_MAX_ADU_BYTES,
  GB26875_START_BYTE,
  gb26875Checksum,
} from '../serial/specs/gb26875.js';
import { isKnownCommand } from './codes.js';
import { fail, ok, Gb26875EncodeError, type DecodeResult } from './errors.js';
import { checkUint } from './fields.js';
import { readTimeLabel, writeTimeLabel, type TimeLabel } from './time-label.js';

// The envelope's constants and checksum are the stream framer's (one definition for both).
const START_BYTE = GB26875_START_BYTE;
const END_BYTE = GB26875_END_BYTE;
const ADU_OFFSET = GB26875_ADU_OFFSET;
export const MAX_ADU_LENGTH = GB26875_MAX_ADU_BYTES;
/** Start 2 + control unit 25 + checksum 1 + end 2. */
export const FRAME_OVERHEAD = GB26875_FIXED_BYTES;

export interface ProtocolVersion {
  /** 主版本号: 1 by the standard. Decoding accepts any value — DGIOT's sample panels send 0x10. */
  readonly major: number;
  /** 用户版本号: user-defined (the transcription's examples use 1). */
  readonly user: number;
}

/**
 * The control unit, bytes 3–27. Addresses are 6-byte little-endian numbers (the transcription's
 * examples: 79 03 00 00 00 00 = 889). DGIOT reads them as IPv4 + port, a vendor convention.
 */
export interface ControlUnit {
  /** 业务流水号: set by the initiator, echoed by the side that confirms or answers. */
  readonly serial: number;
  readonly version: ProtocolVersion;
  /** When the frame was sent. Not validated on decode (see time-label.ts). */
  readonly time: TimeLabel;
  readonly source: number;
  readonly destination: number;
  readonly command: number;
}

export interface Gb26875Frame {
  readonly header: ControlUnit;
  /** The application data unit as carried, 0–1024 bytes. */
  readonly adu: Buffer;
}

function readControlUnit(b: Buffer): ControlUnit {
  return {
    serial: b.readUInt16LE(2),
    version: { major: b[4]!, user: b[5]! },
    time: readTimeLabel(b, 6),
    source: b.readUIntLE(12, 6),
    destination: b.readUIntLE(18, 6),
    command: b[26]!,
  };
}

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

export const Gb26875Frame = {
  /**
   * One frame from exactly its bytes. Checks, in this order: length ≥ 30, start, end, ADU length
   * ≤ 1024, frame length = 30 + ADU length, checksum, command byte. Never throws.
   */
  from(bytes: Uint8Array): DecodeResult<Gb26875Frame> {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (b.length < FRAME_OVERHEAD) {
      return fail('too-short', `${b.length} bytes is shorter than the 30 every frame has`);
    }
    if (b[0] !== START_BYTE || b[1] !== START_BYTE) {
      return fail('bad-start', `start is ${hex(b[0]!)} ${hex(b[1]!)}, not '@@' (0x40 0x40)`);
    }
    const header = readControlUnit(b);
    const end = b.length - 2;
    if (b[end] !== END_BYTE || b[end + 1] !== END_BYTE) {
      return fail('bad-end', `end is ${hex(b[end]!)} ${hex(b[end + 1]!)}, not '##' (0x23 0x23)`, header);
    }
    const aduLength = b.readUInt16LE(24);
    if (aduLength > MAX_ADU_LENGTH) {
      return fail('adu-over-limit', `ADU length ${aduLength} is over the limit of ${MAX_ADU_LENGTH}`, header);
    }
    if (b.length !== FRAME_OVERHEAD + aduLength) {
      return fail('length-mismatch', `frame is ${b.length} bytes but its ADU length ${aduLength} makes it ${FRAME_OVERHEAD + aduLength}`, header);
    }
    const sent = b[ADU_OFFSET + aduLength]!;
    const computed = gb26875Checksum(b, 2, ADU_OFFSET + aduLength);
    if (sent !== computed) {
      return fail('bad-checksum', `checksum is ${hex(sent)} but bytes 3–${ADU_OFFSET + aduLength} sum to ${hex(computed)}`, header);
    }
    if (!isKnownCommand(header.command)) {
      return fail('unknown-command', `command byte ${header.command} is reserved (known: 1–6, user-defined 128–255)`, header);
    }
    // A copy: the caller's buffer may be a reused read buffer.
    return ok({ header, adu: Buffer.from(b.subarray(ADU_OFFSET, ADU_OFFSET + aduLength)) });
  },

  /** The frame's bytes, checksum computed. Throws Gb26875EncodeError on a field out of range. */
  serialize(frame: Gb26875Frame): Buffer {
    const { header: h, adu } = frame;
    if (adu.length > MAX_ADU_LENGTH) {
      throw new Gb26875EncodeError('adu', `${adu.length} bytes is over the limit of ${MAX_ADU_LENGTH}`);
    }
    if (!isKnownCommand(h.command)) {
      throw new Gb26875EncodeError('header.command', `${h.command} is reserved (use 1–6, or 128–255 for user-defined)`);
    }
    const b = Buffer.alloc(FRAME_OVERHEAD + adu.length);
    b[0] = START_BYTE;
    b[1] = START_BYTE;
    b.writeUInt16LE(checkUint(h.serial, 16, 'header.serial'), 2);
    b[4] = checkUint(h.version.major, 8, 'header.version.major');
    b[5] = checkUint(h.version.user, 8, 'header.version.user');
    writeTimeLabel(h.time, b, 6, 'header.time');
    b.writeUIntLE(checkUint(h.source, 48, 'header.source'), 12, 6);
    b.writeUIntLE(checkUint(h.destination, 48, 'header.destination'), 18, 6);
    b.writeUInt16LE(adu.length, 24);
    b[26] = h.command;
    adu.copy(b, ADU_OFFSET);
    b[ADU_OFFSET + adu.length] = gb26875Checksum(b, 2, ADU_OFFSET + adu.length);
    b[b.length - 2] = END_BYTE;
    b[b.length - 1] = END_BYTE;
    return b;
  },
};
