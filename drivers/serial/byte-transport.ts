/**
 * A byte stream, as small as the framework needs: chunks in, bytes out, and a close. A serial
 * port or a TCP socket is wrapped by duplex-transport.ts; tests and the virtual rig use the
 * in-memory pair (memory-transport.ts). Opening and re-opening belong to the owner: a transport
 * is one connection, and once closed it stays closed.
 */
export interface ByteTransport {
  /** For logs: "/dev/ttyUSB1 9600 8N1" or "10.0.0.7:5000". */
  readonly description: string;
  /** False once the connection is closed, from either side. */
  isOpen(): boolean;
  /** Every chunk read, in order. Returns a function that removes the listener. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Once, when the connection ends; `error` says why when it was not a clean close. */
  onClose(listener: (error?: Error) => void): () => void;
  /** Resolves once the bytes are handed to the OS; rejects with VigilError COMM_PORT_CLOSED when closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Idempotent; resolves once closed. */
  close(): Promise<void>;
}
