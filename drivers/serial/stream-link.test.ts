import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import { isVigilError } from '../../gateway/errors.js';
import type { FramingFault } from './framing-faults.js';
import { memoryTransportPair, type MemoryTransport } from './memory-transport.js';
import { gb26875FrameSpec } from './specs/gb26875.js';
import { randomGb26875Frame, seededRandom } from './specs/gb26875-synthetic.js';
import { StreamLink, type StreamLinkEvents } from './stream-link.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const random = seededRandom(7);
const A = randomGb26875Frame(random, 48);
const B = randomGb26875Frame(random, 0);

class LinkHarness {
  readonly clock = new FakeClock();
  readonly link = new StreamLink({ spec: gb26875FrameSpec, clock: this.clock, partialTimeoutMs: 1_000 });
  readonly frames: Buffer[] = [];
  readonly faults: FramingFault[] = [];
  readonly closed: Array<StreamLinkEvents['closed']> = [];
  /** What the far end received. */
  readonly farEndGot: Uint8Array[] = [];
  near!: MemoryTransport;
  far!: MemoryTransport;

  constructor() {
    this.link.on('frame', (f) => this.frames.push(f));
    this.link.on('fault', (f) => this.faults.push(f));
    this.link.on('closed', (c) => this.closed.push(c));
    this.connect();
  }

  connect(): void {
    [this.near, this.far] = memoryTransportPair(['panel:gateway-end', 'panel:device-end']);
    this.far.onData((c) => this.farEndGot.push(c));
    this.link.attach(this.near);
  }
}

describe('StreamLink', () => {
  it('frames what the far end writes, however it is cut into reads', async () => {
    const h = new LinkHarness();
    const stream = Buffer.concat([Buffer.from('noise'), A, B]);
    await h.far.write(stream.subarray(0, 20));
    await h.far.write(stream.subarray(20, 90));
    await h.far.write(stream.subarray(90));
    expect(h.frames).toEqual([A, B]);
    expect(h.faults.map((f) => f.kind)).toEqual(['garbage']);
    expect(h.link.counters()).toMatchObject({ frames: 2, bytesIn: stream.length, skippedBytes: 5, connections: 1 });
  });

  it('sends a frame to the far end and counts it', async () => {
    const h = new LinkHarness();
    await h.link.send(A);
    expect(Buffer.concat(h.farEndGot)).toEqual(A);
    expect(h.link.counters()).toMatchObject({ framesSent: 1, bytesSent: 78 });
  });

  it('refuses to send a frame that fails its own framing, naming why, and sends nothing', async () => {
    const h = new LinkHarness();
    const bad = Buffer.from(A);
    bad[75] = (bad[75]! + 1) & 0xff;
    await expect(h.link.send(bad)).rejects.toThrow(/^GB\/T 26875\.3 link panel:gateway-end: refusing to send a 78-byte frame: checksum 0x[0-9a-f]{2}, computed 0x[0-9a-f]{2}$/);
    await expect(h.link.send(Buffer.concat([A, B]))).rejects.toThrow('its header gives a length of 78 bytes');
    await expect(h.link.send(A.subarray(0, 20))).rejects.toThrow('its header is incomplete');
    await expect(h.link.send(Buffer.from('hello'))).rejects.toThrow('it does not begin with a frame start');
    expect(h.farEndGot).toEqual([]);
    expect(h.link.counters().framesSent).toBe(0);
  });

  it('the far end closing is reported; a partial frame is counted as truncated; send says not connected', async () => {
    const h = new LinkHarness();
    await h.far.write(A.subarray(0, 30));
    h.far.fail(new Error('ECONNRESET'));
    expect(h.closed).toEqual([{ description: 'panel:gateway-end', byOwner: false, error: new Error('ECONNRESET') }]);
    expect(h.faults.map((f) => f.kind)).toContain('truncated');
    expect(h.link.isConnected()).toBe(false);
    const err: unknown = await h.link.send(A).catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe('COMM_PORT_CLOSED');
    expect((err as Error).message).toBe('GB/T 26875.3 link: not connected; frame not sent');
  });

  it('the owner attaches the next connection; counters run on across connections', async () => {
    const h = new LinkHarness();
    await h.far.write(A);
    await h.far.close();
    h.connect();
    await h.far.write(B);
    await h.link.send(A);
    expect(h.frames).toEqual([A, B]);
    expect(Buffer.concat(h.farEndGot)).toEqual(A);
    expect(h.link.counters()).toMatchObject({ frames: 2, connections: 2, framesSent: 1 });
  });

  it('detach() closes the connection (the far end sees it) and reports it as the owner’s', async () => {
    const h = new LinkHarness();
    let farClosed = false;
    h.far.onClose(() => (farClosed = true));
    await h.link.detach();
    expect(farClosed).toBe(true);
    expect(h.closed).toEqual([{ description: 'panel:gateway-end', byOwner: true }]);
    expect(h.link.transport).toBeNull();
    await h.link.detach(); // idempotent
    expect(h.closed).toHaveLength(1);
  });

  it('attaching a second connection without detaching the first is refused', () => {
    const h = new LinkHarness();
    const [other] = memoryTransportPair(['other', 'other-far']);
    expect(() => h.link.attach(other)).toThrow('GB/T 26875.3 link: already attached to panel:gateway-end; detach it before attaching other');
  });

  it('an incomplete frame times out on the link too', async () => {
    const h = new LinkHarness();
    await h.far.write(A.subarray(0, 40));
    h.clock.advance(1_000);
    vi.advanceTimersByTime(1_000);
    expect(h.faults.map((f) => f.kind)).toEqual(['partial-timeout', 'garbage']);
  });

  it('bytes written after the link closed are not read', async () => {
    const h = new LinkHarness();
    await h.link.detach();
    await expect(h.far.write(A)).rejects.toThrow('panel:device-end: link closed');
    expect(h.frames).toEqual([]);
  });
});
