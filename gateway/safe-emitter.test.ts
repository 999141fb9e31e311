import { describe, expect, it } from 'vitest';
import { SafeEmitter } from './safe-emitter.js';

interface Events {
  tick: { n: number };
  other: string;
}

describe('SafeEmitter', () => {
  it('delivers to every listener of the event, and only that event', () => {
    const e = new SafeEmitter<Events>();
    const got: string[] = [];
    e.on('tick', (p) => got.push(`a${p.n}`));
    e.on('tick', (p) => got.push(`b${p.n}`));
    e.on('other', (s) => got.push(s));
    e.emit('tick', { n: 1 });
    expect(got).toEqual(['a1', 'b1']);
  });

  it('keeps delivering when a listener throws, and reports the error', () => {
    const errors: [keyof Events, unknown][] = [];
    const e = new SafeEmitter<Events>((event, err) => errors.push([event, err]));
    const got: number[] = [];
    e.on('tick', () => {
      throw new Error('metrics bug');
    });
    e.on('tick', (p) => got.push(p.n));
    expect(() => e.emit('tick', { n: 7 })).not.toThrow();
    expect(got).toEqual([7]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.[1])).toContain('metrics bug');
  });

  it('removes a listener with the returned function', () => {
    const e = new SafeEmitter<Events>();
    const got: number[] = [];
    const off = e.on('tick', (p) => got.push(p.n));
    e.emit('tick', { n: 1 });
    off();
    e.emit('tick', { n: 2 });
    expect(got).toEqual([1]);
  });
});
