import { describe, expect, it } from 'vitest';
import type { Reading } from '../../readings.js';
import type { Store } from '../store.js';

/**
 * The runtime-state part of the Store contract (getRuntimeState/putRuntimeState);
 * store-contract.ts calls it inside each store's suite. What a module relies on: the value it
 * last put under a key is what it gets back, after a restart too, and keeping it never costs
 * the outbox a reading.
 */

export interface RuntimeStateContractHooks {
  /** A fresh, opened store over the suite's directory (the same data for a persistent store). */
  open: (budgetBytes?: number) => Promise<Store>;
  /** Counted bytes of one reading, as this store measures it. */
  bytesOf: (r: Reading) => Promise<number>;
  persistent: boolean;
}

const STORE_IO = { name: 'VigilError', code: 'STORE_IO' };

function reading(): Reading {
  return { device: 'pm-1', point: 'import_active_energy', value: 1_000, unit: 'kWh', quality: 'good', ts: 1_732_300_000_000, clockTrusted: true };
}

export function describeRuntimeStateContract({ open, bytesOf, persistent }: RuntimeStateContractHooks): void {
  describe('runtime state', () => {
    it('gets what was put, text for text (unicode, NULs and empty string included); an unknown key is null', async () => {
      const s = await open();
      expect(await s.getRuntimeState('electricity.baseline')).toBeNull();
      const doc = JSON.stringify({ version: 1, entries: [['pm-1', 'Mon 10:00', 9.25]], note: '配电室 ✓' });
      await s.putRuntimeState('electricity.baseline', doc);
      await s.putRuntimeState('a\u0000b', '');
      expect(await s.getRuntimeState('electricity.baseline')).toBe(doc);
      expect(await s.getRuntimeState('a\u0000b')).toBe('');
      expect(await s.getRuntimeState('electricity')).toBeNull();
    });

    it('a put replaces the previous value of that key only', async () => {
      const s = await open();
      await s.putRuntimeState('k1', 'first');
      await s.putRuntimeState('k2', 'other');
      await s.putRuntimeState('k1', 'second');
      expect(await s.getRuntimeState('k1')).toBe('second');
      expect(await s.getRuntimeState('k2')).toBe('other');
    });

    it('is not part of the outbox: not counted in stats, never evicts telemetry, untouched by acknowledge', async () => {
      const one = await bytesOf(reading());
      const s = await open(2 * one + Math.floor(one / 2)); // room for two readings
      const [r1] = await s.appendReadings([reading(), reading()]);
      const before = await s.stats();
      const big = 'x'.repeat(10 * one);
      await s.putRuntimeState('electricity.baseline', big);
      expect(await s.stats()).toEqual(before);
      expect(before).toMatchObject({ evicted: 0, depth: { telemetry: 2, event: 0 } });
      await s.acknowledge([r1!.seq]);
      expect(await s.getRuntimeState('electricity.baseline')).toBe(big);
    });

    it('refuses a bad key or value, naming the field, and stores nothing', async () => {
      const s = await open();
      await expect(s.putRuntimeState('', 'v')).rejects.toThrow(/runtime state key must be a non-empty string, got ""/);
      await expect(s.putRuntimeState(7 as never, 'v')).rejects.toThrow(/key must be a non-empty string, got 7/);
      await expect(s.getRuntimeState(undefined as never)).rejects.toThrow(/key must be a non-empty string, got undefined/);
      await expect(s.putRuntimeState('k', { version: 1 } as never)).rejects.toThrow(
        /runtime state "k": value must be a string \(serialize it first\), got an object/,
      );
      await expect(s.putRuntimeState('k', null as never)).rejects.toThrow(/"k": value must be a string.*got null/);
      await expect(s.putRuntimeState('k', null as never)).rejects.toThrow(TypeError);
      expect(await s.getRuntimeState('k')).toBeNull();
    });

    it('rejects calls after close with STORE_IO', async () => {
      const s = await open();
      await s.close();
      await expect(s.getRuntimeState('k')).rejects.toMatchObject(STORE_IO);
      await expect(s.putRuntimeState('k', 'v')).rejects.toMatchObject(STORE_IO);
    });

    if (persistent) {
      it('keeps the last value of each key across close and reopen', async () => {
        const s1 = await open();
        await s1.putRuntimeState('electricity.baseline', '{"version":1}');
        await s1.putRuntimeState('electricity.baseline', '{"version":1,"entries":[]}');
        await s1.putRuntimeState('other', 'x');
        await s1.close();

        const s2 = await open();
        expect(await s2.getRuntimeState('electricity.baseline')).toBe('{"version":1,"entries":[]}');
        expect(await s2.getRuntimeState('other')).toBe('x');
        expect((await s2.stats()).lastSeq).toBe(0);
      });
    }
  });
}
