/**
 * What can be wrong with a received GB/T 26875.3-2011 frame, as data. Decoding never throws on
 * bad input: it returns one of these, naming what is wrong and where, so the link layer can deny
 * the frame (command 6) and count the error by its code.
 *
 * GB/T 26875.3-2011 §6.5 (as transcribed in ActorLancer/GB-T-26875.3.2011-rs, GB26875文档.md)
 * lists the check errors: a bad checksum, an unknown command byte, an ADU length over the limit,
 * a bad start or end character. The codes below split those, and the ADU faults, finely enough
 * to count them separately.
 */
import { VigilError } from '../../gateway/errors.js';
import type { ControlUnit } from './frame.js';

export type Gb26875DecodeErrorCode =
  /** Fewer than the 30 bytes every frame has (start, control unit, checksum, end). */
  | 'too-short'
  /** Bytes 1–2 are not '@@' (0x40 0x40). */
  | 'bad-start'
  /** The last two bytes are not '##' (0x23 0x23). */
  | 'bad-end'
  /** The ADU length field (bytes 25–26) is above 1024. */
  | 'adu-over-limit'
  /** The frame is not 30 + ADU-length bytes long. */
  | 'length-mismatch'
  /** The checksum byte is not the sum of bytes 3–27 and the ADU, mod 256. */
  | 'bad-checksum'
  /** Command byte 0 or 7–127 (reserved). 128–255 are user-defined and accepted. */
  | 'unknown-command'
  /** A reserved type flag (0, 9–20, 22, 23, 27, 29–60, 69–80, 82, 83, 87, 92–127, 255). */
  | 'unknown-type'
  /** The object count is 0: the ADU carries a type but nothing of it. */
  | 'no-objects'
  /** More objects than the type allows (e.g. more than 22 component states). */
  | 'count-over-limit'
  /** The ADU ends before the objects it announces do. */
  | 'body-too-short'
  /** Bytes are left over after the announced objects. */
  | 'body-too-long';

export interface Gb26875DecodeError {
  readonly code: Gb26875DecodeErrorCode;
  /** One sentence a person can act on; names the field and the values seen. */
  readonly message: string;
  /**
   * The control unit, when bytes 3–27 could be read. Present even when the checksum is wrong, so
   * a deny can echo the serial number — but then its fields are not to be trusted for anything else.
   */
  readonly header?: ControlUnit;
}

export type DecodeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Gb26875DecodeError };

export function ok<T>(value: T): DecodeResult<T> {
  return { ok: true, value };
}

export function fail<T>(code: Gb26875DecodeErrorCode, message: string, header?: ControlUnit): DecodeResult<T> {
  return { ok: false, error: header === undefined ? { code, message } : { code, message, header } };
}

/**
 * For the gateway's one error class (gateway/errors.ts): a bad checksum is COMM_CRC, every other
 * decode error COMM_BAD_FRAME; the codec's own code stays in details.gb26875.
 */
export function toVigilError(error: Gb26875DecodeError): VigilError {
  return new VigilError(error.code === 'bad-checksum' ? 'COMM_CRC' : 'COMM_BAD_FRAME', `GB/T 26875.3 frame: ${error.message}`, {
    gb26875: error.code,
    ...(error.header ? { serial: error.header.serial, command: error.header.command } : {}),
  });
}

/**
 * Thrown by the encoders on input a program should never pass (a value out of its field's range,
 * too many objects, a reserved command). `path` names the field, e.g. "objects[3].componentAddress.zone".
 */
export class Gb26875EncodeError extends Error {
  override readonly name = 'Gb26875EncodeError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}
