import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataType, type ApplicationData } from '../../../drivers/gb26875/index.js';
import { MemoryUitdQueueStore, type UitdQueueStore } from './queue-store.js';
import { UitdSendQueue, type UitdSendQueueEvents } from './send-queue.js';
import { fakeTimersClock, TEST_START } from './testing/fake-timers-clock.js';
import type { UitdQueueItem } from './types.js';

const T = { second: 0, minute: 0, hour: 8, day: 23, month: 11, year: 26 };
/** A type-2 component status whose zone tells the tests apart. */
function component(zone: number, status = 0x0003): ApplicationData {
  return {
    type: DataType.ComponentStatus,
    objects: [{ systemType: 1, systemAddress: 1, componentType: 42, componentAddress: { zone, position: 1 }, status, description: `zone ${zone}`, time: T }],
  };
}
function systemStatus(address: number): ApplicationData {
  return { type: DataType.SystemStatus, objects: [{ systemType: 1, systemAddress: address, status: 0x0001, time: T }] };
}

/** Records what the queue writes; serials per connection from 0, as the link numbers them. */
class FakeTransmitter {
  connected = true;
  private serial = 0;
  readonly writes: { id: string; serial: number }[] = [];
  transmit(item: UitdQueueItem, reuse: number | undefined): number | undefined {
    if (!this.connected) return undefined;
    const serial = reuse ?? this.serial++;
    this.writes.push({ id: item.id, serial });
    return serial;
  }
  newConnection(): void {
    this.connected = true;
    this.serial = 0;
  }
}

function setup(opts: { store?: UitdQueueStore; connected?: boolean; ids?: string } = {}) {
  const tx = new FakeTransmitter();
  tx.connected = opts.connected ?? true;
  const store = opts.store ?? new MemoryUitdQueueStore();
  let n = 0;
  const queue = new UitdSendQueue({
    store,
    transmitter: tx,
    clock: fakeTimersClock,
    timeoutMs: { fire: 2_000, status: 10_000, other: 10_000 },
    retries: 3,
    newId: () => `${opts.ids ?? 'item'}-${++n}`,
  });
  const events: { [K in keyof UitdSendQueueEvents]?: UitdSendQueueEvents[K][] } = {};
  for (const k of ['delivered', 'deadline-missed', 'denied', 'dropped', 'send-failure', 'recovered', 'unmatched', 'store-error'] as const) {
    const list: unknown[] = (events[k] = []);
    queue.on(k, (e) => list.push(e));
  }
  if (tx.connected) queue.connectionUp();
  /** Ids written, in order. */
  const written = () => tx.writes.map((w) => w.id);
  const lastSerial = () => tx.writes.at(-1)!.serial;
  return { queue, tx, store, events, written, lastSerial };
}

beforeEach(() => {
  vi.useFakeTimers({ now: TEST_START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UitdSendQueue: order', () => {
  it('sends one frame at a time, FIFO within a priority, fire before status before other', () => {
    const { queue, tx, written, lastSerial } = setup({ connected: false });
    const s1 = queue.enqueue('status', systemStatus(1));
    const o1 = queue.enqueue('other', systemStatus(9));
    const s2 = queue.enqueue('status', systemStatus(2));
    const f1 = queue.enqueue('fire', component(1));
    const f2 = queue.enqueue('fire', component(2));
    expect(queue.items().map((i) => i.id)).toEqual([f1.id, f2.id, s1.id, s2.id, o1.id]);
    // (the status item s1 had an exchange running with no connection; the fire pre-empted it)
    tx.newConnection();
    queue.connectionUp();
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      order.push(written().at(-1)!);
      queue.confirm(lastSerial());
    }
    expect(order).toEqual([f1.id, f2.id, s1.id, s2.id, o1.id]);
    expect(queue.items()).toEqual([]);
  });

  it('a fire alarm pre-empts a status exchange in flight; a late confirm for the status still counts, once', () => {
    const { queue, written, tx, events } = setup();
    const s = queue.enqueue('status', systemStatus(1));
    expect(written()).toEqual([s.id]);
    const statusSerial = tx.writes[0]!.serial;
    const f = queue.enqueue('fire', component(3));
    expect(written()).toEqual([s.id, f.id]); // sent at once, not after the status' 10 s timeout
    queue.confirm(statusSerial); // the centre confirms the status after all
    expect(queue.items().map((i) => i.id)).toEqual([f.id]);
    queue.confirm(tx.writes[1]!.serial);
    expect(queue.items()).toEqual([]);
    expect(events.delivered!.map((d) => d.item.id)).toEqual([s.id, f.id]);
    vi.advanceTimersByTime(60_000);
    expect(written()).toEqual([s.id, f.id]); // the status is not sent again
  });

  it('a status arriving while a fire is in flight waits for it', () => {
    const { queue, written, lastSerial } = setup();
    const f = queue.enqueue('fire', component(1));
    const s = queue.enqueue('status', systemStatus(1));
    expect(written()).toEqual([f.id]);
    queue.confirm(lastSerial());
    expect(written()).toEqual([f.id, s.id]);
  });
});

describe('UitdSendQueue: resend, retries, failure', () => {
  it('a fire alarm is resent every 2 s with the same serial, 3 times, then fails after 8 s and is kept', () => {
    const { queue, tx, events } = setup();
    const f = queue.enqueue('fire', component(1));
    vi.advanceTimersByTime(1_999);
    expect(tx.writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(tx.writes).toHaveLength(2);
    vi.advanceTimersByTime(4_000);
    expect(tx.writes.map((w) => w.serial)).toEqual([0, 0, 0, 0]);
    expect(events['send-failure']).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(events['send-failure']).toEqual([{ item: f, attempts: 4, reason: 'no-confirm', connected: true, pending: 1 }]);
    expect(queue.items()).toEqual([f]);
    expect(queue.stats()).toMatchObject({ failures: 1, failing: true });
    // Stopped until the next connection: nothing more goes out on this one.
    vi.advanceTimersByTime(60_000);
    expect(tx.writes).toHaveLength(4);
  });

  it('a status item waits 10 s per attempt', () => {
    const { queue, tx, events } = setup();
    queue.enqueue('status', systemStatus(1));
    vi.advanceTimersByTime(39_999);
    expect(tx.writes).toHaveLength(4);
    expect(events['send-failure']).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events['send-failure']).toHaveLength(1);
  });

  it('with no connection the attempts still run their timeouts: failure is reported within the 10 s of a fire alarm', () => {
    const { queue, tx, events } = setup({ connected: false });
    const f = queue.enqueue('fire', component(1));
    vi.advanceTimersByTime(8_000);
    expect(tx.writes).toEqual([]);
    expect(events['send-failure']).toEqual([{ item: f, attempts: 4, reason: 'no-confirm', connected: false, pending: 1 }]);
  });

  it('after a failure the item goes on the next connection, with a new serial, and delivery is reported recovered', () => {
    const { queue, tx, events, written } = setup();
    const f = queue.enqueue('fire', component(1));
    vi.advanceTimersByTime(8_000);
    queue.connectionDown();
    tx.connected = false;
    tx.newConnection();
    queue.connectionUp();
    expect(written()).toEqual([f.id, f.id, f.id, f.id, f.id]);
    expect(tx.writes.at(-1)!.serial).toBe(0); // serials restart at 0 on a new connection
    expect(queue.confirm(0)).toBe(true);
    expect(events.recovered).toEqual([{ item: f }]);
    expect(events.delivered![0]).toMatchObject({ item: f, attempts: 1, latencyMs: 8_000, deadlineMs: 10_000, late: false });
    expect(queue.stats().failing).toBe(false);
  });

  it('a pending attempt is sent as soon as a connection comes up, not at its next timeout', () => {
    const { queue, tx } = setup({ connected: false });
    const f = queue.enqueue('fire', component(1));
    vi.advanceTimersByTime(500);
    tx.newConnection();
    queue.connectionUp();
    expect(tx.writes).toEqual([{ id: f.id, serial: 0 }]);
    queue.confirm(0);
    expect(queue.items()).toEqual([]);
  });

  it('a confirm from an earlier connection cannot confirm anything on this one', () => {
    const { queue, tx, events } = setup();
    queue.enqueue('status', systemStatus(1));
    queue.connectionDown();
    tx.connected = false;
    expect(queue.confirm(0)).toBe(false);
    expect(events.unmatched).toEqual([{ serial: 0, command: 'confirm' }]);
    expect(queue.items()).toHaveLength(1);
  });
});

describe('UitdSendQueue: deny', () => {
  it('a deny is a failed attempt: counted, resent at once; denied every time the exchange fails, the item is kept', () => {
    const { queue, tx, events } = setup();
    const s = queue.enqueue('status', systemStatus(1));
    for (let i = 0; i < 3; i++) queue.deny(tx.writes.at(-1)!.serial);
    expect(tx.writes).toHaveLength(4);
    expect(events.denied!.map((d) => d.attempt)).toEqual([1, 2, 3]);
    queue.deny(tx.writes.at(-1)!.serial);
    expect(events['send-failure']).toEqual([{ item: s, attempts: 4, reason: 'denied', connected: true, pending: 1 }]);
    expect(events.dropped).toEqual([]);
    expect(queue.items()).toEqual([s]);
    expect(queue.stats().denied).toBe(4);
  });

  it('an item malformed by us (a damaged store row) is dropped with an event, never silently', async () => {
    const store = new MemoryUitdQueueStore();
    await store.add({ id: 'bad', priority: 'status', adu: Buffer.from([2, 1, 0]), createdTs: TEST_START });
    await store.add({ id: 'good', priority: 'status', adu: Buffer.from([21, 1, 1, 0, 0, 8, 23, 11, 26]), createdTs: TEST_START });
    const { queue, events, written } = setup({ store });
    await queue.start();
    expect(events.dropped).toHaveLength(1);
    expect(events.dropped![0]!.item.id).toBe('bad');
    expect(events.dropped![0]!.reason).toMatch(/^restored from the store but its ADU does not decode: type 2 component running status/);
    expect(store.ids()).toEqual(['good']);
    expect(written()).toEqual(['good']);
  });

  it('refuses at once to queue data it cannot encode', () => {
    const { queue } = setup();
    expect(() => queue.enqueue('fire', { type: DataType.ComponentStatus, objects: [] })).toThrow(/objects: type 2 .* needs at least one object/);
    expect(queue.items()).toEqual([]);
  });
});

describe('UitdSendQueue: durability and deadlines', () => {
  it('items are written to the store and removed on confirm; a restart restores them ahead of new ones', async () => {
    const store = new MemoryUitdQueueStore();
    const first = setup({ store, connected: false });
    const a = first.queue.enqueue('status', systemStatus(1));
    const b = first.queue.enqueue('fire', component(1));
    await Promise.resolve();
    expect(store.ids()).toEqual([a.id, b.id]);
    first.queue.stop();

    const second = setup({ store, connected: false, ids: 'after-restart' });
    const c = second.queue.enqueue('status', systemStatus(2));
    await second.queue.start();
    expect(second.queue.items().map((i) => i.id)).toEqual([b.id, a.id, c.id]);
    second.tx.newConnection();
    second.queue.connectionUp();
    second.queue.confirm(second.lastSerial());
    await Promise.resolve();
    expect(store.ids()).toEqual([a.id, c.id]);
  });

  it('a store that fails does not stop sending: the item is sent and the error reported', async () => {
    const failing: UitdQueueStore = { load: () => Promise.resolve([]), add: () => Promise.reject(new Error('disk full')), remove: () => Promise.resolve() };
    const { queue, tx, events } = setup({ store: failing });
    queue.enqueue('fire', component(1));
    expect(tx.writes).toHaveLength(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(events['store-error']).toEqual([{ op: 'add', id: 'item-1', error: new Error('disk full') }]);
  });

  it('reports each delivery time, and a fire alarm confirmed after 10 s or a status after 100 s as a missed deadline', () => {
    const { queue, tx, events } = setup({ connected: false });
    queue.enqueue('fire', component(1));
    vi.advanceTimersByTime(10_001);
    tx.newConnection();
    queue.connectionUp();
    queue.confirm(0);
    queue.enqueue('status', systemStatus(1));
    vi.advanceTimersByTime(99_000);
    queue.confirm(tx.writes.at(-1)!.serial);
    expect(events.delivered!.map((d) => [d.item.priority, d.latencyMs, d.late])).toEqual([
      ['fire', 10_001, true],
      ['status', 99_000, false],
    ]);
    expect(events['deadline-missed']!.map((d) => d.item.priority)).toEqual(['fire']);
    expect(queue.stats()).toMatchObject({ delivered: 2, deadlineMissed: { fire: 1, status: 0, other: 0 }, maxLatencyMs: { fire: 10_001, status: 99_000, other: 0 } });
  });
});
