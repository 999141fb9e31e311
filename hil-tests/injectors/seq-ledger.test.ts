import { describe, expect, it } from 'vitest';
import { payloadSeqs, SeqLedger } from './seq-ledger.js';

describe('SeqLedger', () => {
  it('counts distinct seqs, duplicates and the highest, and names the gaps', () => {
    const l = new SeqLedger();
    for (const s of [1, 2, 3, 5, 5, 7, 2]) l.record(s);
    expect(l.distinct).toBe(5);
    expect(l.duplicates).toBe(2);
    expect(l.highest).toBe(7);
    expect(l.gaps(8)).toEqual({ count: 3, first: [4, 6, 8] });
    // seqs still in the outbox are held, not lost
    expect(l.gaps(8, new Set([4, 6, 8]))).toEqual({ count: 0, first: [] });
  });

  it('grows past its first buffer without losing what it had', () => {
    const l = new SeqLedger();
    l.record(3);
    l.record(1_000_000);
    expect(l.has(3)).toBe(true);
    expect(l.has(1_000_000)).toBe(true);
    expect(l.has(999_999)).toBe(false);
    expect(l.gaps(1_000_000).count).toBe(999_998);
    expect(l.gaps(1_000_000).first).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('refuses a seq that is not a positive integer', () => {
    const l = new SeqLedger();
    expect(() => l.record(0)).toThrow(/seq must be an integer ≥ 1, got 0/);
    expect(() => l.record(1.5)).toThrow(/got 1.5/);
    expect(() => l.record(Number.NaN)).toThrow(/got null/); // JSON.stringify(NaN)
  });
});

describe('payloadSeqs', () => {
  it('reads readings[].seq on telemetry and events[].seq on events; nothing elsewhere', () => {
    expect(payloadSeqs('vigil/s/g/telemetry', Buffer.from(JSON.stringify({ historical: false, readings: [{ seq: 4 }, { seq: 9 }] })))).toEqual([4, 9]);
    expect(payloadSeqs('vigil/s/g/events', Buffer.from(JSON.stringify({ events: [{ seq: 10 }] })))).toEqual([10]);
    expect(payloadSeqs('vigil/s/g/state', Buffer.from('{"state":"online"}'))).toEqual([]);
    expect(() => payloadSeqs('vigil/s/g/telemetry', Buffer.from('not json'))).toThrow();
  });
});
