import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../readings.js';
import type { GatewayEvent, Store } from './store.js';
import { describeAlarmJournalContract } from './testcases/alarm-journal-contract.js';
import { describeReadMessageContract } from './testcases/read-message-contract.js';
import { describeRuntimeStateContract } from './testcases/runtime-state-contract.js';
import { describeUitdQueueContract } from './testcases/uitd-queue-contract.js';

/**
 * The behaviour every Store must show, as one reusable suite (the Telegraf pattern: memory
 * and disk buffers pass the same tests). Run it from a *.test.ts file:
 *
 *   describeStoreContract('SqliteStore', ({ budgetBytes, dir }) =>
 *     new SqliteStore({ path: join(dir, 'outbox.db'), budgetBytes, durability: 'full' }),
 *     { persistent: true });
 *
 * makeStore returns a store that is not yet opened (the suite opens it; open() of an open
 * store must be harmless). For a persistent store, calling makeStore again with the same dir
 * must reach the same data — that is how "survives close and reopen" is tested.
 *
 * Errors are matched by name and code, not instanceof, so a store compiled into dist/
 * (WorkerStore under test) passes too.
 */
export type MakeStore = (opts: { budgetBytes: number; dir: string }) => Promise<Store> | Store;

const BIG = 1_000_000_000;
const STORE_IO = { name: 'VigilError', code: 'STORE_IO' };

export function reading(overrides: Partial<Reading> = {}): Reading {
  return {
    device: 'gd-01',
    point: 'ch4',
    value: 12.5,
    unit: '%LEL',
    quality: 'good',
    ts: 1_732_300_000_000,
    clockTrusted: true,
    ...overrides,
  };
}

export function gatewayEvent(overrides: Partial<GatewayEvent> = {}): GatewayEvent {
  return {
    type: 'device.comm-fault',
    severity: 'fault',
    ts: 1_732_300_000_500,
    clockTrusted: true,
    message: 'gd-01 did not answer 3 polls',
    device: 'gd-01',
    ...overrides,
  };
}

export function describeStoreContract(name: string, makeStore: MakeStore, opts: { persistent?: boolean } = {}): void {
  describe(`Store contract: ${name}`, () => {
    let dir: string;
    const opened: Store[] = [];

    async function open(budgetBytes = BIG, inDir = dir): Promise<Store> {
      const store = await makeStore({ budgetBytes, dir: inDir });
      opened.push(store);
      await store.open();
      return store;
    }

    const extraDirs: string[] = [];
    async function newDir(): Promise<string> {
      const d = await mkdtemp(join(tmpdir(), 'vigil-store-'));
      extraDirs.push(d);
      return d;
    }

    /** Counted bytes of one reading, as this store measures it. */
    async function bytesOf(r: Reading): Promise<number> {
      const probe = await open(BIG, await newDir());
      await probe.appendReadings([r]);
      return (await probe.stats()).bytes;
    }

    beforeEach(async () => {
      dir = await newDir();
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close().catch(() => undefined);
      for (const d of extraDirs.splice(0)) await rm(d, { recursive: true, force: true });
    });

    describe('sequence numbers', () => {
      it('starts empty with lastSeq 0', async () => {
        const s = await open();
        expect(await s.stats()).toEqual({
          depth: { telemetry: 0, event: 0 },
          bytes: 0,
          budgetBytes: BIG,
          evicted: 0,
          oldestTs: null,
          lastSeq: 0,
        });
      });

      it('assigns strictly increasing seqs across both streams, and lastSeq follows', async () => {
        const s = await open();
        const a = await s.appendReadings([reading({ point: 'a' }), reading({ point: 'b' })]);
        const e = await s.appendEvents([gatewayEvent()]);
        const c = await s.appendReadings([reading({ point: 'c' })]);
        const seqs = [...a, ...e, ...c].map((x) => x.seq);
        expect(seqs[0]).toBeGreaterThan(0);
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
        expect((await s.stats()).lastSeq).toBe(seqs[seqs.length - 1]);
      });

      it('returns each appended record unchanged plus its seq', async () => {
        const s = await open();
        const r = reading({ value: 3 });
        const [stored] = await s.appendReadings([r]);
        expect(stored).toEqual({ ...r, seq: stored!.seq });
        const ev = gatewayEvent();
        const [storedEv] = await s.appendEvents([ev]);
        expect(storedEv).toEqual({ ...ev, seq: storedEv!.seq });
      });

      it('keeps call order for appends issued without awaiting', async () => {
        const s = await open();
        const calls = Array.from({ length: 20 }, (_, i) => s.appendReadings([reading({ value: i })]));
        const seqs = (await Promise.all(calls)).map(([x]) => x!.seq);
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        expect(new Set(seqs).size).toBe(20);
        const batch = await s.readBatch('telemetry', { afterSeq: 0, limit: 100 });
        expect(batch.map((b) => (b.stream === 'telemetry' ? b.reading.value : null))).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
      });

      it('never reuses a seq after everything was acknowledged', async () => {
        const s = await open();
        const first = await s.appendReadings([reading(), reading()]);
        await s.acknowledge(first.map((x) => x.seq));
        const [next] = await s.appendReadings([reading()]);
        expect(next!.seq).toBeGreaterThan(first[1]!.seq);
      });

      it('appending nothing commits nothing', async () => {
        const s = await open();
        expect(await s.appendReadings([])).toEqual([]);
        expect(await s.appendEvents([])).toEqual([]);
        expect((await s.stats()).lastSeq).toBe(0);
      });
    });

    describe('readBatch', () => {
      it('reads one stream, oldest first, ignoring the other stream', async () => {
        const s = await open();
        const [r1] = await s.appendReadings([reading({ point: 'r1' })]);
        const [e1] = await s.appendEvents([gatewayEvent({ type: 'e1' })]);
        const [r2] = await s.appendReadings([reading({ point: 'r2' })]);
        const [e2] = await s.appendEvents([gatewayEvent({ type: 'e2' })]);
        const t = await s.readBatch('telemetry', { afterSeq: 0, limit: 10 });
        expect(t.map((x) => x.seq)).toEqual([r1!.seq, r2!.seq]);
        expect(t.every((x) => x.stream === 'telemetry')).toBe(true);
        const ev = await s.readBatch('event', { afterSeq: 0, limit: 10 });
        expect(ev.map((x) => (x.stream === 'event' ? x.event.type : '?'))).toEqual(['e1', 'e2']);
        expect(ev.map((x) => x.seq)).toEqual([e1!.seq, e2!.seq]);
      });

      it('honours afterSeq (exclusive), upToSeq (inclusive) and limit', async () => {
        const s = await open();
        const seqs = (await s.appendReadings(Array.from({ length: 6 }, (_, i) => reading({ value: i })))).map((x) => x.seq);
        const read = async (o: { afterSeq: number; upToSeq?: number; limit: number }) =>
          (await s.readBatch('telemetry', o)).map((x) => x.seq);
        expect(await read({ afterSeq: seqs[1]!, limit: 100 })).toEqual(seqs.slice(2));
        expect(await read({ afterSeq: 0, upToSeq: seqs[2]!, limit: 100 })).toEqual(seqs.slice(0, 3));
        expect(await read({ afterSeq: seqs[0]!, upToSeq: seqs[4]!, limit: 2 })).toEqual([seqs[1], seqs[2]]);
        expect(await read({ afterSeq: seqs[5]!, limit: 100 })).toEqual([]);
        expect(await read({ afterSeq: 0, limit: 0 })).toEqual([]);
      });

      it('does not remove what it reads (delete on acknowledge, not on dequeue)', async () => {
        const s = await open();
        await s.appendReadings([reading()]);
        await s.readBatch('telemetry', { afterSeq: 0, limit: 10 });
        expect(await s.readBatch('telemetry', { afterSeq: 0, limit: 10 })).toHaveLength(1);
        expect((await s.stats()).depth.telemetry).toBe(1);
      });

      it('hands out copies: changing a returned item does not change the store', async () => {
        const s = await open();
        const r = reading();
        const [stored] = await s.appendReadings([r]);
        r.value = 99;
        stored!.value = 98;
        const [item] = await s.readBatch('telemetry', { afterSeq: 0, limit: 1 });
        if (item?.stream !== 'telemetry') throw new Error('expected telemetry');
        item.reading.value = 97;
        const [again] = await s.readBatch('telemetry', { afterSeq: 0, limit: 1 });
        expect(again?.stream === 'telemetry' && again.reading.value).toBe(12.5);
      });
    });

    describe('acknowledge', () => {
      it('removes acknowledged records from batches and stats; unknown and repeated seqs are ignored', async () => {
        const s = await open();
        const rs = await s.appendReadings([reading({ value: 1 }), reading({ value: 2 }), reading({ value: 3 })]);
        const [ev] = await s.appendEvents([gatewayEvent()]);
        const before = await s.stats();
        await s.acknowledge([rs[0]!.seq, ev!.seq, 987_654, rs[0]!.seq]);
        expect((await s.readBatch('telemetry', { afterSeq: 0, limit: 10 })).map((x) => x.seq)).toEqual([
          rs[1]!.seq,
          rs[2]!.seq,
        ]);
        expect(await s.readBatch('event', { afterSeq: 0, limit: 10 })).toEqual([]);
        const after = await s.stats();
        expect(after.depth).toEqual({ telemetry: 2, event: 0 });
        expect(after.lastSeq).toBe(before.lastSeq);
        await s.acknowledge([999_999]);
        expect(await s.stats()).toEqual(after);
      });

      it('acknowledging everything leaves zero bytes and no oldestTs', async () => {
        const s = await open();
        const rs = await s.appendReadings([reading(), reading()]);
        const es = await s.appendEvents([gatewayEvent()]);
        await s.acknowledge([...rs, ...es].map((x) => x.seq));
        const st = await s.stats();
        expect(st).toMatchObject({ depth: { telemetry: 0, event: 0 }, bytes: 0, oldestTs: null });
      });
    });

    describe('byte budget and eviction', () => {
      it('counts bytes per record: the sum over items, growing with the UTF-8 size of the payload', async () => {
        const s = await open();
        await s.appendReadings([reading({ value: 'a' }), reading({ value: 'aaaa' }), reading({ value: '故' })]);
        await s.appendEvents([gatewayEvent()]);
        const items = [
          ...(await s.readBatch('telemetry', { afterSeq: 0, limit: 10 })),
          ...(await s.readBatch('event', { afterSeq: 0, limit: 10 })),
        ];
        expect((await s.stats()).bytes).toBe(items.reduce((n, x) => n + x.bytes, 0));
        const [a, aaaa, gu] = items.map((x) => x.bytes);
        expect(aaaa! - a!).toBe(3);
        expect(gu! - a!).toBe(2); // '故' is one character but three bytes in UTF-8
        expect(a!).toBeGreaterThan(JSON.stringify(reading({ value: 'a' })).length);
      });

      it('evicts the oldest telemetry first, just enough to fit, and counts it', async () => {
        const r = (v: number) => reading({ value: v });
        const one = await bytesOf(r(10));
        const s = await open(3 * one + Math.floor(one / 2)); // room for three readings
        const seqs: number[] = [];
        for (const v of [10, 11, 12]) seqs.push((await s.appendReadings([r(v)]))[0]!.seq);
        expect((await s.stats()).evicted).toBe(0);
        seqs.push(...(await s.appendReadings([r(13), r(14)])).map((x) => x.seq));
        const left = await s.readBatch('telemetry', { afterSeq: 0, limit: 10 });
        expect(left.map((x) => x.seq)).toEqual(seqs.slice(2));
        expect(left.map((x) => (x.stream === 'telemetry' ? x.reading.value : null))).toEqual([12, 13, 14]);
        const st = await s.stats();
        expect(st).toMatchObject({ evicted: 2, depth: { telemetry: 3, event: 0 }, bytes: 3 * one });
        expect(st.bytes).toBeLessThanOrEqual(st.budgetBytes);
        expect(st.oldestTs).toBe(r(12).ts);
      });

      it('never evicts events, even when events alone exceed the budget, and shows it in stats', async () => {
        const one = await bytesOf(reading());
        const s = await open(2 * one + Math.floor(one / 2)); // room for two readings
        await s.appendReadings([reading(), reading()]);
        const evs = await s.appendEvents([
          gatewayEvent({ type: 'a' }),
          gatewayEvent({ type: 'b' }),
          gatewayEvent({ type: 'c' }),
        ]);
        let st = await s.stats();
        expect(st.depth).toEqual({ telemetry: 0, event: 3 });
        expect(st.evicted).toBe(2); // the telemetry made room for the events
        expect(st.bytes).toBeGreaterThan(st.budgetBytes);
        // A reading appended now is committed, handed back with its seq, then evicted at once.
        const [late] = await s.appendReadings([reading({ value: 1 })]);
        expect(late!.seq).toBeGreaterThan(evs[2]!.seq);
        st = await s.stats();
        expect(st).toMatchObject({ evicted: 3, depth: { telemetry: 0, event: 3 }, lastSeq: late!.seq });
        expect((await s.readBatch('event', { afterSeq: 0, limit: 10 })).map((x) => x.seq)).toEqual(evs.map((e) => e.seq));
      });
    });

    describe('stats', () => {
      it('reports depth per stream, bytes, budget, and the ts of the first-committed waiting record', async () => {
        const s = await open(5_000_000);
        // The first reading was taken before NTP synced: its ts says 1970. oldestTs follows
        // commit order, so the gauge is not pinned by a wrong clock.
        await s.appendReadings([reading({ ts: 2_000, clockTrusted: false })]);
        await s.appendEvents([gatewayEvent({ ts: 1_000 })]);
        await s.appendReadings([reading({ ts: 3_000 })]);
        const st = await s.stats();
        expect(st.depth).toEqual({ telemetry: 2, event: 1 });
        expect(st.budgetBytes).toBe(5_000_000);
        expect(st.oldestTs).toBe(2_000);
        expect(st.bytes).toBeGreaterThan(0);
        const [first] = await s.readBatch('telemetry', { afterSeq: 0, limit: 1 });
        await s.acknowledge([first!.seq]);
        expect((await s.stats()).oldestTs).toBe(1_000);
      });
    });

    describe('round trip', () => {
      it('returns every value type and quality exactly as appended', async () => {
        const s = await open();
        const values: Reading['value'][] = [0, -1.5, 0.1 + 0.2, 2 ** 53 - 1, 1e-300, true, false, '', 'alarm "HH"\n', '故障', null];
        const odd: Reading['value'][] = [NaN, Infinity, -Infinity, -0];
        const input: Reading[] = [
          ...[...values, ...odd].map((value, i) => reading({ value, point: `p${i}` })),
          ...(['good', 'bad', 'stale', 'comm-fault'] as const).map((quality) => reading({ quality, value: null })),
          reading({ unit: undefined, clockTrusted: false, ts: 86_400_000 }),
        ];
        delete input[input.length - 1]!.unit;
        await s.appendReadings(input);
        const out = (await s.readBatch('telemetry', { afterSeq: 0, limit: 100 })).map((x) => {
          if (x.stream !== 'telemetry') throw new Error('expected telemetry');
          const { seq, ...rest } = x.reading;
          expect(seq).toBe(x.seq);
          return rest;
        });
        expect(out).toEqual(input);
        // toEqual treats -0 and 0 alike only via Object.is: check the odd ones explicitly.
        expect(Object.is(out[values.length + 3]!.value, -0)).toBe(true);
        expect(Number.isNaN(out[values.length]!.value)).toBe(true);
        expect('unit' in out[out.length - 1]!).toBe(false);
      });

      it('returns events exactly, with and without optional fields', async () => {
        const s = await open();
        const full = gatewayEvent({ point: 'ch4', data: { nested: { list: [1, 'x', null] }, ok: true } });
        const bare: GatewayEvent = { type: 'gateway.started', severity: 'info', ts: 5, clockTrusted: false, message: '' };
        await s.appendEvents([full, bare]);
        const out = (await s.readBatch('event', { afterSeq: 0, limit: 10 })).map((x) => {
          if (x.stream !== 'event') throw new Error('expected event');
          const { seq, ...rest } = x.event;
          expect(seq).toBe(x.seq);
          return rest;
        });
        expect(out).toEqual([full, bare]);
        expect(Object.keys(out[1]!).sort()).toEqual(Object.keys(bare).sort());
      });
    });

    describeReadMessageContract(() => open());

    describeAlarmJournalContract({ open: (budgetBytes) => open(budgetBytes), bytesOf, persistent: opts.persistent === true });

    describeUitdQueueContract({ open: (budgetBytes) => open(budgetBytes), bytesOf, persistent: opts.persistent === true });

    describeRuntimeStateContract({ open: (budgetBytes) => open(budgetBytes), bytesOf, persistent: opts.persistent === true });

    describe('misuse', () => {
      it('rejects calls before open and after close with STORE_IO', async () => {
        const s = await makeStore({ budgetBytes: BIG, dir });
        opened.push(s);
        await expect(s.appendReadings([reading()])).rejects.toMatchObject(STORE_IO);
        await s.open();
        await s.close();
        await expect(s.stats()).rejects.toMatchObject(STORE_IO);
        await expect(s.readBatch('telemetry', { afterSeq: 0, limit: 1 })).rejects.toMatchObject(STORE_IO);
        await expect(s.readMessage('event', { afterSeq: 0, limit: 1 }, { site: 's', gateway: 'g', historical: false })).rejects.toMatchObject(STORE_IO);
      });

      it('rejects invalid records and arguments without storing anything', async () => {
        const s = await open();
        await expect(s.appendReadings([reading(), reading({ ts: NaN })])).rejects.toThrow(/ts/);
        await expect(s.appendReadings([reading({ quality: 'fine' as never })])).rejects.toThrow(/quality/);
        await expect(s.appendReadings([reading({ value: { x: 1 } as never })])).rejects.toThrow(/value/);
        await expect(s.appendEvents([gatewayEvent({ severity: 'loud' as never })])).rejects.toThrow(/severity/);
        await expect(s.readBatch('telemetry', { afterSeq: -1, limit: 1 })).rejects.toThrow(/afterSeq/);
        await expect(s.readBatch('telemetry', { afterSeq: 0, limit: 1.5 })).rejects.toThrow(/limit/);
        await expect(s.readBatch('nope' as never, { afterSeq: 0, limit: 1 })).rejects.toThrow(/stream/);
        expect((await s.stats()).lastSeq).toBe(0);
      });
    });

    if (opts.persistent) {
      describe('persistence', () => {
        it('keeps records, counters and seqs across close and reopen', async () => {
          const one = await bytesOf(reading());
          const budget = 3 * one + Math.floor(one / 2);
          const s1 = await open(budget);
          await s1.appendReadings(Array.from({ length: 5 }, (_, i) => reading({ value: i })));
          await s1.appendEvents([gatewayEvent()]);
          const items = [
            ...(await s1.readBatch('telemetry', { afterSeq: 0, limit: 100 })),
            ...(await s1.readBatch('event', { afterSeq: 0, limit: 100 })),
          ];
          const stats = await s1.stats();
          expect(stats.evicted).toBeGreaterThan(0);
          await s1.close();

          const s2 = await open(budget);
          expect(await s2.stats()).toEqual(stats);
          expect([
            ...(await s2.readBatch('telemetry', { afterSeq: 0, limit: 100 })),
            ...(await s2.readBatch('event', { afterSeq: 0, limit: 100 })),
          ]).toEqual(items);
          const [next] = await s2.appendReadings([reading()]);
          expect(next!.seq).toBe(stats.lastSeq + 1);
        });

        it('never reuses a seq after reopen, even when the outbox was emptied first', async () => {
          const s1 = await open();
          const rs = await s1.appendReadings([reading(), reading(), reading()]);
          await s1.acknowledge(rs.map((x) => x.seq));
          await s1.close();
          const s2 = await open();
          expect((await s2.stats()).lastSeq).toBe(rs[2]!.seq);
          const [next] = await s2.appendEvents([gatewayEvent()]);
          expect(next!.seq).toBeGreaterThan(rs[2]!.seq);
        });
      });
    }
  });
}
