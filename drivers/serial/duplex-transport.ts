/**
 * A ByteTransport over a Node Duplex: a net.Socket, a serialport SerialPort, or anything else
 * that streams bytes. The stream must already be open (connected); this adapter never reopens
 * it — one adapter is one connection (byte-transport.ts).
 */
import type { Duplex } from 'node:stream';
import { VigilError } from '../../gateway/errors.js';
import type { ByteTransport } from './byte-transport.js';

export function duplexTransport(stream: Duplex, description: string): ByteTransport {
  // A stream with an encoding set hands out strings: the bytes are already mangled.
  if (stream.readableEncoding !== null) throw new TypeError(`${description}: the stream has encoding '${stream.readableEncoding}' set; framing needs raw bytes`);
  return new DuplexTransport(stream, description);
}

class DuplexTransport implements ByteTransport {
  /** The close listeners have been told (once per connection). */
  private ended: boolean;
  private lastError: Error | undefined;
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly closeListeners = new Set<(error?: Error) => void>();
  private flowing = false;

  constructor(
    private readonly stream: Duplex,
    readonly description: string,
  ) {
    this.ended = stream.destroyed;
    // Always listen for 'error': an unhandled one would crash the gateway. 'close' follows it.
    stream.on('error', (e: Error) => {
      this.lastError = e;
    });
    // net.Socket passes hadError (boolean); serialport passes the Error when the device vanished.
    stream.on('close', (arg?: unknown) => {
      if (arg instanceof Error) this.lastError = arg;
      this.finish();
    });
  }

  isOpen(): boolean {
    return !this.ended && !this.stream.destroyed;
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    // Start reading only once someone listens: a 'data' listener switches the stream to flowing.
    if (!this.flowing) {
      this.flowing = true;
      this.stream.on('data', (chunk: Uint8Array) => {
        for (const l of this.dataListeners) l(chunk);
      });
    }
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    if (this.ended) {
      // Already closed: tell the late listener too, but not from inside its own registration.
      queueMicrotask(() => listener(this.lastError));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen()) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (e?: Error | null) => {
        if (e) reject(new VigilError('COMM_PORT_CLOSED', `${this.description}: write failed: ${e.message}`, { link: this.description }, { cause: e }));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    if (this.ended) return Promise.resolve();
    if (this.stream.destroyed) {
      this.finish();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.destroy();
    });
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const l of listeners) l(this.lastError);
  }

  private closedError(): VigilError {
    return new VigilError('COMM_PORT_CLOSED', `${this.description}: link closed`, { link: this.description }, this.lastError ? { cause: this.lastError } : undefined);
  }
}
