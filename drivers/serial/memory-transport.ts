/**
 * Two ByteTransports joined back to back, like a null-modem cable or a TCP connection: what one
 * end writes, the other reads, as one chunk per write, asynchronously (on a microtask, as a real
 * stream would — never inside write()). Closing either end closes both. For tests and the
 * virtual rig; `fail()` breaks the link the way an unplugged adapter or a reset socket does.
 */
import { VigilError } from '../../gateway/errors.js';
import type { ByteTransport } from './byte-transport.js';

export class MemoryTransport implements ByteTransport {
  private peer: MemoryTransport | null = null;
  private open = true;
  private closeError: Error | undefined;
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly closeListeners = new Set<(error?: Error) => void>();
  /** Chunks that arrived before anyone listened (a paused stream keeps them too). */
  private readonly waiting: Uint8Array[] = [];

  constructor(readonly description: string) {}

  /** [a, b]: what a writes, b reads, and the other way round. */
  static pair(descriptions: readonly [string, string]): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport(descriptions[0]);
    const b = new MemoryTransport(descriptions[1]);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  isOpen(): boolean {
    return this.open;
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    for (const chunk of this.waiting.splice(0)) listener(chunk);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    if (!this.open) {
      queueMicrotask(() => listener(this.closeError));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.open) return Promise.reject(new VigilError('COMM_PORT_CLOSED', `${this.description}: link closed`, { link: this.description }));
    // A copy: the writer may reuse its buffer, as it may with a real stream.
    const chunk = Uint8Array.from(bytes);
    return new Promise((resolve) =>
      queueMicrotask(() => {
        this.peer?.receive(chunk);
        resolve();
      }),
    );
  }

  close(): Promise<void> {
    this.end(undefined);
    return Promise.resolve();
  }

  /** Breaks the link from this side: both ends close and report `error`. */
  fail(error: Error): void {
    this.end(error);
  }

  private receive(chunk: Uint8Array): void {
    if (!this.open) return;
    if (this.dataListeners.size === 0) this.waiting.push(chunk);
    for (const l of this.dataListeners) l(chunk);
  }

  private end(error: Error | undefined): void {
    if (!this.open) return;
    this.open = false;
    this.closeError = error;
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const l of listeners) l(error);
    this.peer?.end(error);
  }
}

/** [a, b]: what a writes, b reads, and the other way round. */
export function memoryTransportPair(descriptions: readonly [string, string] = ['memory:a', 'memory:b']): [MemoryTransport, MemoryTransport] {
  return MemoryTransport.pair(descriptions);
}
