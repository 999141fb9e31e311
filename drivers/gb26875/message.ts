/**
 * A whole message: frame + interpreted ADU. This is what the panel link and the centre link use.
 *
 * Which commands carry typed data (§6 表2 and the exchange rules of §6.1–6.4):
 *   1 control, 2 send, 4 request, 5 answer → the ADU is decoded by type flag;
 *   3 confirm, 6 deny → the ADU is normally empty; if a vendor echoes something, it is kept raw;
 *   128–255 user-defined → kept raw.
 * An empty ADU decodes to no data for any command; command 2 with no data is the heartbeat the
 * transcription describes (a vendor practice, not the standard's).
 * Whether a type flag suits the command (a read inside command 2, say) is not judged here.
 */
import { ApplicationData } from './adu.js';
import { Command } from './codes.js';
import { fail, ok, type DecodeResult } from './errors.js';
import { Gb26875Frame, type ControlUnit } from './frame.js';
import type { TimeLabel } from './time-label.js';

export interface Gb26875Message {
  readonly header: ControlUnit;
  /** Present when the command carries data and the ADU is not empty. */
  readonly data?: ApplicationData;
  /** The ADU as received. */
  readonly adu: Buffer;
}

const TYPED_COMMANDS: ReadonlySet<number> = new Set([Command.Control, Command.Send, Command.Request, Command.Answer]);

export const Gb26875Message = {
  /** Never throws. Every error carries the control unit when it could be read, so the caller can deny. */
  from(bytes: Uint8Array): DecodeResult<Gb26875Message> {
    const frame = Gb26875Frame.from(bytes);
    if (!frame.ok) return frame;
    const { header, adu } = frame.value;
    if (adu.length === 0 || !TYPED_COMMANDS.has(header.command)) return ok({ header, adu });
    const data = ApplicationData.from(adu);
    if (!data.ok) return fail(data.error.code, data.error.message, header);
    return ok({ header, data: data.value, adu });
  },

  /** The frame's bytes; no data means an empty ADU. Throws Gb26875EncodeError on bad input. */
  serialize(header: ControlUnit, data?: ApplicationData): Buffer {
    const adu = data === undefined ? Buffer.alloc(0) : ApplicationData.serialize(data);
    return Gb26875Frame.serialize({ header, adu });
  },
};

/**
 * The control unit of a reply: the serial number and protocol version echoed (§6 业务流水号: the
 * confirming or answering side returns the initiator's number), source and destination swapped,
 * the replier's own time. The transcription's confirm/deny examples are built exactly so.
 */
export function replyHeader(to: ControlUnit, command: typeof Command.Confirm | typeof Command.Answer | typeof Command.Deny, time: TimeLabel): ControlUnit {
  return { serial: to.serial, version: to.version, time, source: to.destination, destination: to.source, command };
}

/** 确认: empty ADU. */
export function confirmFrame(to: ControlUnit, time: TimeLabel): Buffer {
  return Gb26875Message.serialize(replyHeader(to, Command.Confirm, time));
}

/** 否认: empty ADU. The answer to every check error. */
export function denyFrame(to: ControlUnit, time: TimeLabel): Buffer {
  return Gb26875Message.serialize(replyHeader(to, Command.Deny, time));
}

/** Command 2 with an empty ADU: the heartbeat of the transcription's §说明 3 (vendor practice, every 20–30 s). */
export function isHeartbeat(message: Gb26875Message): boolean {
  return message.header.command === Command.Send && message.adu.length === 0;
}
