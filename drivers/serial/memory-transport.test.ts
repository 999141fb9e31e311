import { describe, expect, it } from 'vitest';
import { memoryTransportPair } from './memory-transport.js';

describe('memoryTransportPair', () => {
  it('what one end writes the other reads, one chunk per write, never inside write()', async () => {
    const [a, b] = memoryTransportPair();
    const got: number[][] = [];
    b.onData((c) => got.push([...c]));
    const sent = Uint8Array.of(1, 2, 3);
    const written = a.write(sent);
    expect(got).toEqual([]);
    sent[0] = 9; // the writer reuses its buffer: the reader must not see it
    await written;
    expect(got).toEqual([[1, 2, 3]]);
  });

  it('keeps chunks that arrive before anyone listens', async () => {
    const [a, b] = memoryTransportPair();
    await a.write(Uint8Array.of(1));
    await a.write(Uint8Array.of(2));
    const got: number[][] = [];
    b.onData((c) => got.push([...c]));
    expect(got).toEqual([[1], [2]]);
  });

  it('fail() closes both ends with the error; writes are then refused, naming the end', async () => {
    const [a, b] = memoryTransportPair(['gw', 'panel']);
    const closes: string[] = [];
    a.onClose((e) => closes.push(`a:${e?.message}`));
    b.onClose((e) => closes.push(`b:${e?.message}`));
    b.fail(new Error('cable pulled'));
    expect(closes).toEqual(['b:cable pulled', 'a:cable pulled']);
    expect(a.isOpen() || b.isOpen()).toBe(false);
    await expect(a.write(Uint8Array.of(1))).rejects.toThrow('gw: link closed');
  });
});
