import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { DrainPlan } from './drain.js';
import type { Message } from './drain.js';
import { batchPayload, encode } from './payloads.js';
import { gatewayEvent, readings } from './testing/fixtures.js';

const origin = { site: 'plant-7', gateway: 'gw-1' };

async function store(): Promise<MemoryStore> {
  const s = new MemoryStore({ budgetBytes: 16 * 1024 * 1024 });
  await s.open();
  return s;
}

const none = (): boolean => false;

async function drainAll(plan: DrainPlan, skip: (seq: number) => boolean = none): Promise<Message[]> {
  const out: Message[] = [];
  for (let b = await plan.next(skip); b !== null; b = await plan.next(skip)) out.push(b);
  return out;
}

const summary = (bs: Message[]): string[] => bs.map((b) => `${b.lane}${b.historical ? '(h)' : ''}:${b.seqs.join(',')}`);

describe('DrainPlan', () => {
  it('orders events, then live telemetry, then the historical backlog, never straddling the boundary', async () => {
    const st = await store();
    await st.appendReadings(readings(3)); // 1..3
    await st.appendEvents([gatewayEvent('a')]); // 4
    await st.appendReadings(readings(2, 3)); // 5..6
    const plan = new DrainPlan(st, 2, origin);
    plan.reset(6); // connected now: all of that is backlog
    await st.appendEvents([gatewayEvent('b')]); // 7 (live)
    await st.appendReadings(readings(3, 5)); // 8..10 (live)
    plan.wake();
    expect(summary(await drainAll(plan))).toEqual([
      'event(h):4',
      'event:7',
      'live:8,9',
      'live:10',
      'backlog(h):1,2',
      'backlog(h):3,5',
      'backlog(h):6',
    ]);
  });

  it('does not read again what it handed out, but sees records appended after a wake()', async () => {
    const st = await store();
    const plan = new DrainPlan(st, 10, origin);
    plan.reset(0);
    await st.appendReadings(readings(2));
    plan.wake();
    expect(summary(await drainAll(plan))).toEqual(['live:1,2']);
    expect(await plan.next(none)).toBeNull(); // caught up: the lanes are not read again…
    expect(plan.idle).toBe(true);
    await st.appendReadings(readings(1, 2));
    expect(await plan.next(none)).toBeNull(); // …until told there is something new
    plan.wake();
    expect(summary(await drainAll(plan))).toEqual(['live:3']);
  });

  it('skips records still in flight or acknowledged-but-not-deleted, and rewinds a failed batch', async () => {
    const st = await store();
    await st.appendReadings(readings(6));
    const plan = new DrainPlan(st, 2, origin);
    plan.reset(0);
    plan.wake();
    const b1 = (await plan.next(none))!;
    const b2 = (await plan.next(none))!;
    expect([b1.seqs, b2.seqs]).toEqual([[1, 2], [3, 4]]);
    plan.rewind(b1); // b1's publish failed; b2 still in flight
    const inflight = new Set(b2.seqs);
    expect(summary(await drainAll(plan, (s) => inflight.has(s)))).toEqual(['live:1,2', 'live:5,6']);
  });

  it('leaves skipped records out of the message text, which stays what payloads.ts encodes', async () => {
    const st = await store();
    await st.appendReadings(readings(6)); // 1..6
    const plan = new DrainPlan(st, 10, origin);
    plan.reset(6);
    const inflight = new Set([3, 4]);
    const [b, ...rest] = await drainAll(plan, (s) => inflight.has(s));
    expect(rest).toEqual([]);
    expect(b!.seqs).toEqual([1, 2, 5, 6]);
    const items = (await st.readBatch('telemetry', { afterSeq: 0, limit: 10 })).filter((i) => !inflight.has(i.seq));
    const expected = encode(batchPayload(origin, true, items));
    expect(b!.json).toBe(expected.toString('utf8'));
    expect(b!.bytes).toBe(expected.length);
  });

  it('hands out the message text of a whole read, with the historical flag of its lane', async () => {
    const st = await store();
    await st.appendEvents([gatewayEvent('a')]); // 1
    await st.appendReadings(readings(2)); // 2..3
    const plan = new DrainPlan(st, 10, origin);
    plan.reset(3);
    await st.appendEvents([gatewayEvent('b', { data: { ppm: 3 } })]); // 4
    plan.wake();
    const out = await drainAll(plan);
    expect(summary(out)).toEqual(['event(h):1', 'event:4', 'backlog(h):2,3']);
    for (const b of out) {
      const items = await st.readBatch(b.stream, { afterSeq: b.seqs[0]! - 1, upToSeq: b.seqs.at(-1)!, limit: 10 });
      expect(b.json).toBe(encode(batchPayload(origin, b.historical, items)).toString('utf8'));
    }
  });

  it('starts over from the store after reset(), so nothing unacknowledged is forgotten', async () => {
    const st = await store();
    await st.appendReadings(readings(4));
    const plan = new DrainPlan(st, 10, origin);
    plan.reset(4);
    const [b] = await drainAll(plan);
    await st.acknowledge([b!.seqs[0]!]); // only the first one was acknowledged before the link died
    plan.suspend();
    expect(plan.isReady).toBe(false);
    plan.reset(4);
    expect(summary(await drainAll(plan))).toEqual(['backlog(h):2,3,4']);
  });

  it('wake(stream) looks again only at that stream’s lane: a commit of readings costs no read of the event lane', async () => {
    const st = await store();
    const streamsRead: string[] = [];
    const counting = Object.assign(Object.create(st) as MemoryStore, {
      readMessage: (...args: Parameters<MemoryStore['readMessage']>) => {
        streamsRead.push(args[0]);
        return st.readMessage(...args);
      },
    });
    const plan = new DrainPlan(counting, 10, origin);
    plan.reset(0);
    expect(await plan.next(none)).toBeNull(); // both lanes read once and caught up
    streamsRead.length = 0;
    await st.appendReadings(readings(2)); // 1..2
    await st.appendEvents([gatewayEvent('a')]); // 3, not announced yet
    plan.wake('telemetry');
    expect(summary(await drainAll(plan))).toEqual(['live:1,2']);
    expect(streamsRead).toEqual(['telemetry']);
    plan.wake('event');
    expect(summary(await drainAll(plan))).toEqual(['event:3']);
    plan.wake(); // no stream: every lane that can grow
    expect(await plan.next(none)).toBeNull();
    expect(streamsRead).toEqual(['telemetry', 'event', 'event', 'telemetry']);
  });
});
