import { describe, expect, it } from 'vitest';
import type { Reading } from '../../readings.js';
import type { Store, StoredUitdItem } from '../store.js';
import { storeBackedUitdQueue } from '../uitd-queue-adapter.js';

/**
 * The UITD send-queue part of the Store contract (uitdQueueLoad/Add/Remove); store-contract.ts
 * calls it inside each store's suite. What the link relies on: every message for the fire
 * monitoring centre that was added and not removed is there after a restart, byte for byte
 * and in the order added, and keeping it never costs the outbox a reading.
 */

export interface UitdQueueContractHooks {
  /** A fresh, opened store over the suite's directory (the same data for a persistent store). */
  open: (budgetBytes?: number) => Promise<Store>;
  /** Counted bytes of one reading, as this store measures it. */
  bytesOf: (r: Reading) => Promise<number>;
  persistent: boolean;
}

const STORE_IO = { name: 'VigilError', code: 'STORE_IO' };
const T0 = 1_732_300_000_000;

function reading(): Reading {
  return { device: 'gd-01', point: 'ch4', value: 12.5, unit: '%LEL', quality: 'good', ts: T0, clockTrusted: true };
}

/** An item shaped like the link's: a GB/T 26875.3 ADU (type flag, object count, objects). */
export function uitdItem(id: string, overrides: Partial<StoredUitdItem> = {}): StoredUitdItem {
  return { id, priority: 'fire', adu: Buffer.from([0x02, 0x01, 0x01, 0x0a, 0x00, 0xff]), createdTs: T0, ...overrides };
}

export function describeUitdQueueContract({ open, bytesOf, persistent }: UitdQueueContractHooks): void {
  describe('UITD send queue', () => {
    it('loads what was added, in the order added (not by priority or time), each adu a Buffer byte for byte', async () => {
      const s = await open();
      expect(await s.uitdQueueLoad()).toEqual([]);
      const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i)); // every byte value, NULs included
      const items = [
        uitdItem('c', { priority: 'other', createdTs: T0 + 2 }),
        uitdItem('a', { priority: 'status', adu: every, createdTs: T0 + 9 }),
        uitdItem('b', { priority: 'fire', createdTs: 0 }),
      ];
      for (const item of items) await s.uitdQueueAdd(item);
      const loaded = await s.uitdQueueLoad();
      expect(loaded.map((x) => x.id)).toEqual(['c', 'a', 'b']);
      expect(loaded).toEqual(items);
      for (const x of loaded) expect(Buffer.isBuffer(x.adu)).toBe(true);
      expect(loaded[1]!.adu.equals(every)).toBe(true);
    });

    it('keeps call order for adds issued without awaiting', async () => {
      const s = await open();
      const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
      await Promise.all(ids.map((id) => s.uitdQueueAdd(uitdItem(id))));
      expect((await s.uitdQueueLoad()).map((x) => x.id)).toEqual(ids);
    });

    it('adding an id again changes nothing: the first item stays, in its place', async () => {
      const s = await open();
      await s.uitdQueueAdd(uitdItem('a'));
      await s.uitdQueueAdd(uitdItem('b'));
      await s.uitdQueueAdd(uitdItem('a', { priority: 'other', adu: Buffer.from([9]), createdTs: T0 + 1 }));
      expect(await s.uitdQueueLoad()).toEqual([uitdItem('a'), uitdItem('b')]);
    });

    it('remove deletes one item; an unknown or already removed id is ignored; a removed id can be added again, at the end', async () => {
      const s = await open();
      for (const id of ['a', 'b', 'c']) await s.uitdQueueAdd(uitdItem(id));
      await s.uitdQueueRemove('b');
      await s.uitdQueueRemove('b');
      await s.uitdQueueRemove('nobody');
      expect((await s.uitdQueueLoad()).map((x) => x.id)).toEqual(['a', 'c']);
      await s.uitdQueueRemove('c');
      await s.uitdQueueAdd(uitdItem('d'));
      await s.uitdQueueAdd(uitdItem('b'));
      expect((await s.uitdQueueLoad()).map((x) => x.id)).toEqual(['a', 'd', 'b']);
    });

    it('hands out copies: changing the Buffer given or the one loaded does not change the store', async () => {
      const s = await open();
      const item = uitdItem('a');
      await s.uitdQueueAdd(item);
      item.adu[0] = 0x7f;
      const [loaded] = await s.uitdQueueLoad();
      expect(loaded!.adu[0]).toBe(0x02);
      loaded!.adu[1] = 0x7f;
      expect((await s.uitdQueueLoad())[0]).toEqual(uitdItem('a'));
    });

    it('is not part of the outbox: not counted in stats, never evicts telemetry, untouched by acknowledge', async () => {
      const one = await bytesOf(reading());
      const s = await open(2 * one + Math.floor(one / 2)); // room for two readings
      const [r1, r2] = await s.appendReadings([reading(), reading()]);
      const before = await s.stats();
      const big = Buffer.alloc(10 * one, 0xaa);
      await s.uitdQueueAdd(uitdItem('big', { adu: big }));
      await s.uitdQueueAdd(uitdItem('small'));
      expect(await s.stats()).toEqual(before);
      expect(before).toMatchObject({ evicted: 0, depth: { telemetry: 2, event: 0 } });
      await s.acknowledge([r1!.seq, r2!.seq, 1, 2, 3]);
      expect((await s.stats()).depth.telemetry).toBe(0);
      await s.uitdQueueRemove('small');
      expect((await s.stats()).lastSeq).toBe(before.lastSeq);
      expect((await s.uitdQueueLoad()).map((x) => x.adu.length)).toEqual([big.length]);
    });

    it('refuses a bad item or id, naming the field, and stores nothing', async () => {
      const s = await open();
      const add = (item: unknown) => s.uitdQueueAdd(item as StoredUitdItem);
      await expect(add(null)).rejects.toThrow(/UITD queue item must be an object \{id, priority, adu, createdTs\}, got null/);
      await expect(add(uitdItem(''))).rejects.toThrow(/UITD queue item needs an id \(a non-empty string\), got ""/);
      await expect(add({ ...uitdItem('x'), id: 7 })).rejects.toThrow(/needs an id.*got 7/);
      await expect(add(uitdItem('x', { priority: 'urgent' as never }))).rejects.toThrow(
        /UITD queue item "x": priority must be one of fire, status, other, got "urgent"/,
      );
      await expect(add(uitdItem('x', { adu: Buffer.alloc(0) }))).rejects.toThrow(/"x": adu must be a non-empty Buffer, got a Buffer of 0 bytes/);
      await expect(add(uitdItem('x', { adu: '0201' as never }))).rejects.toThrow(/"x": adu must be a non-empty Buffer, got "0201"/);
      await expect(add(uitdItem('x', { createdTs: NaN }))).rejects.toThrow(/"x": createdTs must be a whole number of ms since the epoch, got NaN/);
      await expect(add(uitdItem('x', { createdTs: 1.5 }))).rejects.toThrow(RangeError);
      await expect(s.uitdQueueRemove('')).rejects.toThrow(/UITD queue remove needs an id/);
      await expect(s.uitdQueueRemove(undefined as never)).rejects.toThrow(/got undefined/);
      expect(await s.uitdQueueLoad()).toEqual([]);
    });

    it('accepts a plain Uint8Array adu and loads it back as a Buffer', async () => {
      const s = await open();
      await s.uitdQueueAdd(uitdItem('u8', { adu: new Uint8Array([1, 2, 3]) as Buffer }));
      const [loaded] = await s.uitdQueueLoad();
      expect(Buffer.isBuffer(loaded!.adu)).toBe(true);
      expect([...loaded!.adu]).toEqual([1, 2, 3]);
    });

    it('works as the link\'s UitdQueueStore through storeBackedUitdQueue', async () => {
      const q = storeBackedUitdQueue(await open());
      await q.add(uitdItem('a'));
      await q.add(uitdItem('b', { priority: 'status' }));
      await q.add(uitdItem('a', { priority: 'other' }));
      await q.remove('nobody');
      await q.remove('b');
      expect(await q.load()).toEqual([uitdItem('a')]);
    });

    it('rejects queue calls after close with STORE_IO', async () => {
      const s = await open();
      await s.close();
      await expect(s.uitdQueueLoad()).rejects.toMatchObject(STORE_IO);
      await expect(s.uitdQueueAdd(uitdItem('a'))).rejects.toMatchObject(STORE_IO);
      await expect(s.uitdQueueRemove('a')).rejects.toMatchObject(STORE_IO);
    });

    if (persistent) {
      it('keeps the queue, its order and its bytes across close and reopen', async () => {
        const s1 = await open();
        for (const id of ['f1', 's1', 'f2', 'o1']) {
          await s1.uitdQueueAdd(uitdItem(id, { priority: id.startsWith('f') ? 'fire' : id.startsWith('s') ? 'status' : 'other', adu: Buffer.from(id) }));
        }
        await s1.uitdQueueRemove('f1');
        const items = await s1.uitdQueueLoad();
        await s1.close();

        const s2 = await open();
        expect(await s2.uitdQueueLoad()).toEqual(items);
        expect(items.map((x) => x.id)).toEqual(['s1', 'f2', 'o1']);
        await s2.uitdQueueAdd(uitdItem('n1'));
        expect((await s2.uitdQueueLoad()).map((x) => x.id)).toEqual(['s1', 'f2', 'o1', 'n1']);
      });
    }
  });
}
