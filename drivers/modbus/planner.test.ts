import { describe, expect, it } from 'vitest';
import { describePlan, planReads, type PlanItem, type PlanLimits } from './planner.js';
import { VigilError } from '../../gateway/errors.js';

const LIMITS: PlanLimits = { maxRegisters: 125, maxBits: 2000, maxGap: 0 };

const hr = (key: string, address: number, width = 1): PlanItem => ({ key, table: 'holding', address, width });
const coil = (key: string, address: number): PlanItem => ({ key, table: 'coil', address, width: 1 });

/** A plan as "table address+count [keys]" strings: easy to read in a failing diff. */
function shape(items: PlanItem[], limits: Partial<PlanLimits> = {}): string[] {
  return planReads(items, { ...LIMITS, ...limits }).map((r) => `${r.table} ${r.address}+${r.count} [${r.items.map((i) => i.key).join(' ')}]`);
}

describe('planReads', () => {
  const cases: { name: string; items: PlanItem[]; limits?: Partial<PlanLimits>; want: string[] }[] = [
    { name: 'empty input → no requests', items: [], want: [] },
    { name: 'adjacent registers join', items: [hr('a', 0), hr('b', 1), hr('c', 2, 2)], want: ['holding 0+4 [a b c]'] },
    { name: 'input order does not matter', items: [hr('c', 2, 2), hr('a', 0), hr('b', 1)], want: ['holding 0+4 [a b c]'] },
    { name: 'a gap with no allowance splits', items: [hr('a', 0), hr('b', 2)], want: ['holding 0+1 [a]', 'holding 2+1 [b]'] },
    { name: 'a gap exactly at the allowance joins', items: [hr('a', 0), hr('b', 4)], limits: { maxGap: 3 }, want: ['holding 0+5 [a b]'] },
    { name: 'a gap one over the allowance splits', items: [hr('a', 0), hr('b', 5)], limits: { maxGap: 3 }, want: ['holding 0+1 [a]', 'holding 5+1 [b]'] },
    {
      name: 'exactly 125 registers fit one request',
      items: [hr('first', 0), hr('last', 124)],
      limits: { maxGap: 124 },
      want: ['holding 0+125 [first last]'],
    },
    {
      name: '126 registers need two requests',
      items: [hr('first', 0), hr('last', 125)],
      limits: { maxGap: 124 },
      want: ['holding 0+1 [first]', 'holding 125+1 [last]'],
    },
    {
      name: 'a 32-bit value that would straddle the cap moves whole to the next request',
      items: [...Array.from({ length: 62 }, (_, i) => hr(`f${i}`, i * 2, 2)), hr('straddle', 124, 2)],
      want: [`holding 0+124 [${Array.from({ length: 62 }, (_, i) => `f${i}`).join(' ')}]`, 'holding 124+2 [straddle]'],
    },
    { name: "the profile's lower cap wins", items: [hr('a', 0, 2), hr('b', 2, 2), hr('c', 4, 2)], limits: { maxRegisters: 4 }, want: ['holding 0+4 [a b]', 'holding 4+2 [c]'] },
    { name: 'a cap above 125 is still held to 125', items: [hr('a', 0), hr('b', 125)], limits: { maxRegisters: 500, maxGap: 124 }, want: ['holding 0+1 [a]', 'holding 125+1 [b]'] },
    { name: 'exactly 2000 bits fit one request', items: [coil('first', 0), coil('last', 1999)], limits: { maxGap: 1998 }, want: ['coil 0+2000 [first last]'] },
    { name: '2001 bits need two requests', items: [coil('first', 0), coil('last', 2000)], limits: { maxGap: 1999 }, want: ['coil 0+1 [first]', 'coil 2000+1 [last]'] },
    {
      name: 'bit points of one register land in the same request, even at the cap',
      items: [hr('pad', 0, 124), hr('alarm1', 124), hr('alarm2', 124), hr('fault', 124)],
      want: ['holding 0+125 [pad alarm1 alarm2 fault]'],
    },
    {
      name: 'bit points of a register that starts a new request stay together',
      items: [hr('pad', 0, 125), hr('alarm1', 125), hr('alarm2', 125)],
      want: ['holding 0+125 [pad]', 'holding 125+1 [alarm1 alarm2]'],
    },
    { name: 'a narrower item overlapping a wider one is contained', items: [hr('lo_word', 11), hr('value', 10, 2)], want: ['holding 10+2 [value lo_word]'] },
    {
      name: 'tables never mix; requests come out coil, discrete, holding, input',
      items: [{ key: 'i', table: 'input', address: 0, width: 1 }, hr('h', 1), { key: 'd', table: 'discrete', address: 0, width: 1 }, coil('c', 0), hr('h0', 0)],
      want: ['coil 0+1 [c]', 'discrete 0+1 [d]', 'holding 0+2 [h0 h]', 'input 0+1 [i]'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(shape(c.items, c.limits)).toEqual(c.want);
    });
  }

  it('refuses an item wider than the cap, naming it', () => {
    expect(() => planReads([hr('big', 0, 2)], { ...LIMITS, maxRegisters: 1 })).toThrow(/big is 2 wide; a holding request holds 1..1/);
    expect(() => planReads([hr('a', 0)], { ...LIMITS, maxGap: -1 })).toThrow(VigilError);
    expect(() => planReads([hr('a', 0)], { ...LIMITS, maxRegisters: 0 })).toThrow(/maxRegisters must be a whole number ≥ 1, got 0/);
  });

  it('keeps the caller’s item objects so the poller can find its points', () => {
    const items = [{ ...hr('a', 0), extra: 42 }];
    expect(planReads(items, LIMITS)[0]!.items[0]!.extra).toBe(42);
  });
});

describe('describePlan', () => {
  it('writes one line per request with function code, span and points', () => {
    const plan = planReads([hr('ch4', 0), hr('temp', 1, 2), coil('relay', 3)], LIMITS);
    expect(describePlan('gd-01', plan).split('\n')).toEqual([
      'gd-01: read 1/2 FC01 coil 3 (1 bit): relay',
      'gd-01: read 2/2 FC03 holding 0..2 (3 registers): ch4, temp',
    ]);
    expect(describePlan('gd-01', [])).toBe('gd-01: nothing to read');
  });
});
