/**
 * A fire alarm control panel (or its transmission card) for the virtual rig: it sends
 * GB/T 26875.3 command-2 frames — heartbeat, system status, component status with a GB 18030
 * description, analog values, a reset — and waits for the gateway's confirm (3) or deny (6),
 * matched by serial number. It can also send damaged frames on command, to test denial and
 * resynchronisation. The byte stream is any ByteTransport (tcp.ts: over TCP on 127.0.0.1).
 */
import {
  bitsOf,
  Command,
  COMPONENT_STATUS_BITS,
  FACILITY_OPERATION_BITS,
  Gb26875Message,
  SYSTEM_STATUS_BITS,
  timeLabelFromDate,
  type ApplicationData,
  type ControlUnit,
  type Flags,
} from '../../../drivers/gb26875/index.js';
import { gb26875Checksum, gb26875FrameSpec, StreamLink, type ByteTransport } from '../../../drivers/serial/index.js';
import type { Clock } from '../../../gateway/clock/clock.js';

export type Reply = 'confirm' | 'deny' | 'no-reply';
export type Corruption = 'bad-checksum' | 'bad-end' | 'unknown-type' | 'garbage';

export interface ComponentReport {
  systemType?: number;
  systemAddress?: number;
  /** 表5, e.g. 42 point photoelectric smoke detector. */
  componentType: number;
  zone: number;
  position: number;
  description: string;
  flags: Partial<Flags<typeof COMPONENT_STATUS_BITS>>;
}

export interface SimulatedFirePanelOptions {
  /** The panel's address (source). Default 1001. */
  address?: number;
  /** The gateway's address (destination). Default 2001. */
  gatewayAddress?: number;
  clock?: Clock;
  /** How long to wait for a confirm or deny. Default 3 s (well inside the exchange's 10 s resend timeout). */
  replyTimeoutMs?: number;
}

export interface PanelCounters {
  sent: number;
  confirmed: number;
  denied: number;
  noReply: number;
}

const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now(), isTrusted: () => true };

export class SimulatedFirePanel {
  readonly link: StreamLink;
  private serial = 0;
  private readonly pending = new Map<number, (r: Reply) => void>();
  private readonly o: Required<Omit<SimulatedFirePanelOptions, 'clock'>> & { clock: Clock };
  readonly counters: PanelCounters = { sent: 0, confirmed: 0, denied: 0, noReply: 0 };

  constructor(opts: SimulatedFirePanelOptions = {}) {
    this.o = { address: opts.address ?? 1001, gatewayAddress: opts.gatewayAddress ?? 2001, clock: opts.clock ?? systemClock, replyTimeoutMs: opts.replyTimeoutMs ?? 3_000 };
    this.link = new StreamLink({ spec: gb26875FrameSpec, clock: this.o.clock });
    this.link.on('frame', (frame) => this.onReply(frame));
  }

  attach(transport: ByteTransport): void {
    this.link.attach(transport);
  }

  async close(): Promise<void> {
    await this.link.detach();
  }

  /** Command 2 with an empty ADU: the vendor heartbeat (every 20–30 s on a real card). */
  heartbeat(): Promise<Reply> {
    return this.send();
  }

  systemStatus(flags: Partial<Flags<typeof SYSTEM_STATUS_BITS>>, systemType = 1, systemAddress = 1): Promise<Reply> {
    return this.send({ type: 1, objects: [{ systemType, systemAddress, status: bitsOf(SYSTEM_STATUS_BITS, { normal: true, ...flags }), time: this.now() }] });
  }

  component(...reports: ComponentReport[]): Promise<Reply> {
    return this.send({
      type: 2,
      objects: reports.map((r) => ({
        systemType: r.systemType ?? 1,
        systemAddress: r.systemAddress ?? 1,
        componentType: r.componentType,
        componentAddress: { zone: r.zone, position: r.position },
        // Bit 0 left as given: real panels send a fire with bit 0 = 0 ("test"), and so may a test.
        status: bitsOf(COMPONENT_STATUS_BITS, r.flags),
        description: r.description,
        time: this.now(),
      })),
    });
  }

  /** A facility operation record (type 4) with the reset flag: the panel was reset. */
  reset(systemType = 1, systemAddress = 1): Promise<Reply> {
    return this.send({ type: 4, objects: [{ systemType, systemAddress, operation: bitsOf(FACILITY_OPERATION_BITS, { reset: true }), operator: 1, time: this.now() }] });
  }

  /**
   * A damaged frame: a heartbeat with a wrong checksum or end, a frame with a reserved type flag,
   * or bytes that are no frame at all. Resolves with the gateway's answer ('no-reply' for garbage,
   * which has no serial number to deny — after a short wait, so a late reply would still be seen).
   */
  async corrupt(kind: Corruption): Promise<Reply> {
    if (kind === 'garbage') {
      await this.link.transport?.write(Buffer.from('\x00\xff@#garbage, not a frame ##\r\n', 'latin1'));
      return 'no-reply';
    }
    const header = this.header();
    let frame = Gb26875Message.serialize(header);
    if (kind === 'unknown-type') {
      // ADU: type flag 15 (reserved in 表3), 1 object, 4 bytes — a frame the envelope accepts and the codec cannot read.
      const adu = Buffer.from([15, 1, 0, 0, 0, 0]);
      frame = Buffer.concat([frame.subarray(0, 24), Buffer.from([adu.length, 0, Command.Send]), adu, Buffer.from([0, 0x23, 0x23])]);
      frame[27 + adu.length] = gb26875Checksum(frame, 2, 27 + adu.length);
    } else if (kind === 'bad-checksum') {
      frame[27] = (frame[27]! + 1) & 0xff;
    } else {
      frame[frame.length - 1] = 0x24;
    }
    return this.write(header.serial, frame);
  }

  private send(data?: ApplicationData): Promise<Reply> {
    const header = this.header();
    return this.write(header.serial, Gb26875Message.serialize(header, data));
  }

  private write(serial: number, frame: Buffer): Promise<Reply> {
    const transport = this.link.transport;
    if (!transport) return Promise.reject(new Error('simulated panel: not connected'));
    const reply = new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(serial);
        this.counters.noReply += 1;
        resolve('no-reply');
      }, this.o.replyTimeoutMs);
      this.pending.set(serial, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    this.counters.sent += 1;
    // Written raw (not through link.send): damaged frames must go out as they are.
    void transport.write(frame).catch(() => this.pending.get(serial)?.('no-reply'));
    return reply;
  }

  private onReply(frame: Buffer): void {
    const m = Gb26875Message.from(frame);
    if (!m.ok) return;
    const done = this.pending.get(m.value.header.serial);
    if (!done) return;
    this.pending.delete(m.value.header.serial);
    if (m.value.header.command === Command.Confirm) {
      this.counters.confirmed += 1;
      done('confirm');
    } else if (m.value.header.command === Command.Deny) {
      this.counters.denied += 1;
      done('deny');
    }
  }

  /** Serial numbers start at 0 on a new connection and count up per message (§6 业务流水号). */
  private header(): ControlUnit {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    return { serial, version: { major: 1, user: 1 }, time: this.now(), source: this.o.address, destination: this.o.gatewayAddress, command: Command.Send };
  }

  private now(): ReturnType<typeof timeLabelFromDate> {
    return timeLabelFromDate(new Date(this.o.clock.now()));
  }
}

/** The scripted demo sequence: heartbeat, system normal, a smoke detector's fire, a fault, a reset. */
export async function playDemoScript(panel: SimulatedFirePanel): Promise<Reply[]> {
  const out: Reply[] = [];
  out.push(await panel.heartbeat());
  out.push(await panel.systemStatus({}));
  out.push(await panel.component({ componentType: 42, zone: 3, position: 12, description: '1号楼3层烟感', flags: { fire: true } }));
  out.push(await panel.component({ componentType: 23, zone: 3, position: 20, description: '1号楼3层手报', flags: { normal: true, fault: true } }));
  out.push(await panel.reset());
  return out;
}
