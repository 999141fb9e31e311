/**
 * A Framer bound to a byte stream: frames in as events, frames out with send(). One link lives
 * as long as its owner (a panel driver, the monitoring-centre client) and is attached to one
 * connection at a time; when the connection drops the link says so ('closed') and the owner
 * decides when to attach the next one — reconnect policy is not the link's. Counters keep running
 * across connections, so metrics see one series per link.
 */
import { SafeEmitter } from '../../gateway/safe-emitter.js';
import { VigilError } from '../../gateway/errors.js';
import type { ByteTransport } from './byte-transport.js';
import type { FrameSpec } from './frame-spec.js';
import { Framer, type FramerOptions } from './framer.js';
import type { FramerCounters, FramingFault } from './framing-faults.js';

export interface StreamLinkEvents {
  /** A whole frame that passed the spec's checks (a fresh copy). */
  frame: Buffer;
  /** A framing fault, one event each (framing-faults.ts). */
  fault: FramingFault;
  /** The connection ended; byOwner is false when the far end, the OS or the device ended it. */
  closed: { description: string; byOwner: boolean; error?: Error };
}

export interface StreamLinkOptions extends Omit<FramerOptions, 'onListenerError'> {
  /**
   * Refuse to send a frame that fails the spec's own framing (default true): an encoder bug is
   * named here, at the sender, instead of being denied by the far end.
   */
  checkOutgoing?: boolean;
  /** A listener threw: the link carries on; this is told (default: ignored). */
  onListenerError?: (event: keyof StreamLinkEvents, error: unknown) => void;
}

export interface StreamLinkCounters extends FramerCounters {
  framesSent: number;
  bytesSent: number;
  /** Connections attached so far. */
  connections: number;
}

export class StreamLink {
  readonly framer: Framer;
  private readonly spec: FrameSpec;
  private readonly events: SafeEmitter<StreamLinkEvents>;
  private readonly checkOutgoing: boolean;
  private current: { transport: ByteTransport; unsubscribe: () => void } | null = null;
  private framesSent = 0;
  private bytesSent = 0;
  private connections = 0;

  constructor(opts: StreamLinkOptions) {
    const onListenerError = opts.onListenerError ?? (() => undefined);
    this.spec = opts.spec;
    this.checkOutgoing = opts.checkOutgoing ?? true;
    this.events = new SafeEmitter<StreamLinkEvents>(onListenerError);
    this.framer = new Framer({ ...opts, onListenerError });
    this.framer.on('frame', (f) => this.events.emit('frame', f));
    this.framer.on('fault', (f) => this.events.emit('fault', f));
  }

  /** Returns a function that removes the listener. */
  on<K extends keyof StreamLinkEvents>(event: K, listener: (payload: StreamLinkEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** The connection in use, if any. */
  get transport(): ByteTransport | null {
    return this.current?.transport ?? null;
  }

  isConnected(): boolean {
    return this.current?.transport.isOpen() === true;
  }

  /** Start reading from a connection. One at a time: detach() (or wait for 'closed') first. */
  attach(transport: ByteTransport): void {
    if (this.current) throw new Error(`${this.spec.name} link: already attached to ${this.current.transport.description}; detach it before attaching ${transport.description}`);
    const offData = transport.onData((chunk) => this.framer.push(chunk));
    const offClose = transport.onClose((error) => this.lost(transport, error));
    this.current = {
      transport,
      unsubscribe: () => {
        offData();
        offClose();
      },
    };
    this.connections += 1;
  }

  /** Close the connection (the owner's choice: shutdown, reconfiguration, a peer that must be dropped). */
  async detach(): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.release();
    await current.transport.close();
    this.events.emit('closed', { description: current.transport.description, byOwner: true });
  }

  /**
   * Write one whole frame. Rejects with VigilError COMM_PORT_CLOSED when no connection is open,
   * and with a RangeError (not worth a retry) when the frame fails the spec's own framing.
   */
  async send(frame: Uint8Array): Promise<void> {
    const current = this.current;
    if (!current || !current.transport.isOpen()) {
      throw new VigilError('COMM_PORT_CLOSED', `${this.spec.name} link: not connected${current ? ` (${current.transport.description} closed)` : ''}; frame not sent`, { protocol: this.spec.name });
    }
    if (this.checkOutgoing) {
      const wrong = outgoingFault(this.spec, frame);
      if (wrong) throw new RangeError(`${this.spec.name} link ${current.transport.description}: refusing to send a ${frame.length}-byte frame: ${wrong}`);
    }
    await current.transport.write(frame);
    this.framesSent += 1;
    this.bytesSent += frame.length;
  }

  counters(): StreamLinkCounters {
    return { ...this.framer.counters(), framesSent: this.framesSent, bytesSent: this.bytesSent, connections: this.connections };
  }

  private lost(transport: ByteTransport, error: Error | undefined): void {
    if (this.current?.transport !== transport) return;
    this.release();
    this.events.emit('closed', { description: transport.description, byOwner: false, ...(error ? { error } : {}) });
  }

  /** Stop listening, and flush the framer: frames behind an incomplete head are still delivered. */
  private release(): void {
    this.current?.unsubscribe();
    this.current = null;
    this.framer.end();
  }
}

/** Why `frame` is not exactly one frame by `spec`, or null when it is. */
export function outgoingFault(spec: FrameSpec, frame: Uint8Array): string | null {
  if (frame.length === 0) return 'it is empty';
  if (frame.length > spec.maxFrameBytes) return `it is longer than the ${spec.maxFrameBytes} bytes allowed`;
  if (spec.findStart(frame, 0) !== 0) return 'it does not begin with a frame start';
  const length = spec.frameLength(frame, 0);
  if (length === 'need-more') return 'its header is incomplete';
  if (typeof length === 'object') return length.detail;
  if (length !== frame.length) return `its header gives a length of ${length} bytes`;
  return spec.check(frame, 0, length)?.detail ?? null;
}
