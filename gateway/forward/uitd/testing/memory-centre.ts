/**
 * The centre's end of an in-memory connection, for the link's unit tests: every frame the UITD
 * writes, decoded, and helpers to send what a centre sends. (The TCP simulator for the virtual
 * rig is hil-tests/virtual-rig/monitoring-centre/.)
 */
import { memoryTransportPair, type MemoryTransport } from '../../../../drivers/serial/index.js';
import { Gb26875Message, type ApplicationData, type ControlUnit } from '../../../../drivers/gb26875/index.js';

export const CENTRE_ADDRESS = 2001;
export const UITD_ADDRESS = 1001;
const T = { second: 0, minute: 0, hour: 8, day: 23, month: 11, year: 26 };

export class MemoryCentre {
  /** One per connection the UITD made. */
  readonly ends: MemoryTransport[] = [];
  readonly frames: Gb26875Message[] = [];
  readonly raw: Buffer[] = [];

  /** For UitdLinkOptions.connect. */
  readonly connect = (): Promise<MemoryTransport> => {
    const [uitd, centre] = memoryTransportPair(['uitd', `centre#${this.ends.length + 1}`]);
    centre.onData((chunk) => {
      // The UITD writes one whole frame per write; a memory transport delivers it as one chunk.
      const bytes = Buffer.from(chunk);
      this.raw.push(bytes);
      const m = Gb26875Message.from(bytes);
      if (!m.ok) throw new Error(`the UITD wrote a frame that does not decode: ${m.error.message}`);
      this.frames.push(m.value);
    });
    this.ends.push(centre);
    return Promise.resolve(uitd);
  };

  get end(): MemoryTransport {
    const e = this.ends.at(-1);
    if (!e) throw new Error('the UITD has not connected');
    return e;
  }

  /** Frames with this command (and type flag). */
  sent(command: number, type?: number): Gb26875Message[] {
    return this.frames.filter((f) => f.header.command === command && (type === undefined || (f.data !== undefined && f.data.type === type)));
  }

  header(serial: number, command: number): ControlUnit {
    return { serial, version: { major: 1, user: 1 }, time: T, source: CENTRE_ADDRESS, destination: UITD_ADDRESS, command };
  }

  send(serial: number, command: number, data?: ApplicationData): Promise<void> {
    return this.end.write(Gb26875Message.serialize(this.header(serial, command), data));
  }

  /** Command 3 or 6 echoing a frame the UITD sent. */
  reply(to: Gb26875Message, command: 3 | 6): Promise<void> {
    return this.end.write(Gb26875Message.serialize({ ...to.header, source: CENTRE_ADDRESS, destination: UITD_ADDRESS, command }));
  }

  writeRaw(bytes: Buffer): Promise<void> {
    return this.end.write(bytes);
  }
}
