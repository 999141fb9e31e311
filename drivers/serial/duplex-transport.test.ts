import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isVigilError } from '../../gateway/errors.js';
import { duplexTransport } from './duplex-transport.js';

/** A Duplex like a socket or a serial port: push() is what the device sends, `written` what we sent. */
function fakeStream(opts: { failWrites?: boolean } = {}): { stream: Duplex; written: Buffer[] } {
  const written: Buffer[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      if (opts.failWrites) return cb(new Error('EIO'));
      written.push(chunk);
      cb();
    },
  });
  return { stream, written };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('duplexTransport', () => {
  it('hands every chunk read to the listeners, in order, once someone listens', async () => {
    const { stream } = fakeStream();
    const t = duplexTransport(stream, '/dev/ttyUSB1 9600 8N1');
    stream.push(Buffer.from('ab'));
    const got: string[] = [];
    t.onData((c) => got.push(Buffer.from(c).toString()));
    stream.push(Buffer.from('cd'));
    await tick();
    expect(got).toEqual(['ab', 'cd']);
  });

  it('writes bytes and resolves once the stream took them', async () => {
    const { stream, written } = fakeStream();
    const t = duplexTransport(stream, 'x');
    await t.write(Uint8Array.of(1, 2, 3));
    expect(written).toEqual([Buffer.from([1, 2, 3])]);
  });

  it('a failed write rejects with COMM_PORT_CLOSED naming the link and the cause', async () => {
    const { stream } = fakeStream({ failWrites: true });
    stream.on('error', () => undefined);
    const t = duplexTransport(stream, '/dev/ttyUSB1 9600 8N1');
    const err: unknown = await t.write(Uint8Array.of(1)).catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe('COMM_PORT_CLOSED');
    expect((err as Error).message).toBe('/dev/ttyUSB1 9600 8N1: write failed: EIO');
  });

  it('reports a stream error once, on close, and is closed afterwards; writes are refused', async () => {
    const { stream } = fakeStream();
    const t = duplexTransport(stream, '10.0.0.7:5000');
    const closes: Array<Error | undefined> = [];
    t.onClose((e) => closes.push(e));
    stream.destroy(new Error('ECONNRESET'));
    await tick();
    expect(closes.map((e) => e?.message)).toEqual(['ECONNRESET']);
    expect(t.isOpen()).toBe(false);
    await expect(t.write(Uint8Array.of(1))).rejects.toThrow('10.0.0.7:5000: link closed');
    // A listener added after the close is told too.
    const late: Array<Error | undefined> = [];
    t.onClose((e) => late.push(e));
    await tick();
    expect(late.map((e) => e?.message)).toEqual(['ECONNRESET']);
  });

  it('close() destroys the stream and resolves once it closed; a clean close carries no error', async () => {
    const { stream } = fakeStream();
    const t = duplexTransport(stream, 'x');
    const closes: Array<Error | undefined> = [];
    t.onClose((e) => closes.push(e));
    await t.close();
    expect(stream.destroyed).toBe(true);
    expect(closes).toEqual([undefined]);
    await t.close();
    expect(closes).toHaveLength(1);
  });

  it('refuses a stream that decodes text: the bytes would be mangled', () => {
    const { stream } = fakeStream();
    stream.setEncoding('utf8');
    expect(() => duplexTransport(stream, '/dev/ttyS0')).toThrow("/dev/ttyS0: the stream has encoding 'utf8' set; framing needs raw bytes");
  });
});
