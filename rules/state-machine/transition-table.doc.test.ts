import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALARM_EVENTS, ALARM_STATES, type AlarmEvent, type AlarmState } from '../model.js';
import { TRANSITIONS } from './transition-table.js';

/**
 * docs/alarms.md shows the transition table to installers and integrators. This test renders
 * TRANSITIONS cell by cell and compares it with the Markdown table between the
 * `<!-- transition-table:begin -->` and `<!-- transition-table:end -->` markers, so the document
 * cannot drift from the code. When the table changes, the failure's diff shows the rows to paste.
 *
 * Each cell is evaluated in every context it can meet — the alarm latches or not, a latch is
 * pending or not, the condition is present or not — and described in the document's notation:
 *
 *   <state>            the alarm moves to that state
 *   stays              the state does not change
 *   … +latch           a latching alarm's latch is set (it will need a reset)
 *   … (latch cleared)  the pending latch is cleared
 *   —                  refused, not applicable: nothing changes
 *   refused (condition present)
 *   if <test>: A; else B   the outcome depends on the condition or the latch
 *
 * Two engine invariants narrow the contexts: a `normal` alarm has no pending latch (every way
 * into normal clears it) and a `latched` alarm always has one. So `normal` and `latched` in a
 * cell need no latch note.
 */

interface Ctx {
  latchPending: boolean;
  latch: boolean;
  conditionActive: boolean;
}

const PREDICATES: readonly [string, (c: Ctx) => boolean][] = [
  ['condition present', (c) => c.conditionActive],
  ['latch pending', (c) => c.latchPending],
  ['latching or latch pending', (c) => c.latchPending || c.latch],
];

function contexts(state: AlarmState): Ctx[] {
  const pending = state === 'normal' ? [false] : state === 'latched' ? [true] : [false, true];
  const out: Ctx[] = [];
  for (const latchPending of pending) for (const latch of [false, true]) for (const conditionActive of [false, true]) out.push({ latchPending, latch, conditionActive });
  return out;
}

/** One phrase for the whole set of contexts, or null when they do not all end the same way. */
function leaf(state: AlarmState, event: AlarmEvent, ctxs: readonly Ctx[]): string | null {
  const outcomes = ctxs.map((c) => ({ c, o: TRANSITIONS[state][event]({ state, latchPending: c.latchPending }, { latch: c.latch, conditionActive: c.conditionActive }) }));
  const first = outcomes[0]!.o;
  if (!first.ok) {
    if (!outcomes.every(({ o }) => !o.ok && o.refusal === first.refusal)) return null;
    return first.refusal === 'condition-present' ? 'refused (condition present)' : first.refusal === 'not-applicable' ? '—' : `refused (${first.refusal})`;
  }
  const to = first.to;
  if (!outcomes.every(({ o }) => o.ok && o.to === to)) return null;
  const after = outcomes.map(({ c, o }) => ({ c, lp: o.ok && o.latchPending }));
  const name = to === state ? 'stays' : to;
  const all = (f: (x: { c: Ctx; lp: boolean }) => boolean) => after.every(f);
  if (to === 'latched') return all((x) => x.lp) ? name : null;
  if (to === 'normal') return all((x) => !x.lp) ? name : null;
  if (all((x) => x.lp === x.c.latchPending)) return name;
  if (all((x) => x.lp === (x.c.latchPending || x.c.latch))) return `${name} +latch`;
  if (all((x) => !x.lp)) return `${name} (latch cleared)`;
  return null;
}

/** The shortest description: a leaf, or a split on the test that describes it most briefly. */
function describeCell(state: AlarmState, event: AlarmEvent, ctxs: readonly Ctx[]): string {
  const l = leaf(state, event, ctxs);
  if (l !== null) return l;
  let best: string | null = null;
  for (const [name, test] of PREDICATES) {
    const yes = ctxs.filter(test);
    const no = ctxs.filter((c) => !test(c));
    if (yes.length === 0 || no.length === 0) continue;
    const a = describeCell(state, event, yes);
    const b = describeCell(state, event, no);
    const text = `if ${name}: ${a.startsWith('if ') ? `(${a})` : a}; else ${b}`;
    if (best === null || text.length < best.length) best = text;
  }
  if (best === null) throw new Error(`cannot describe ${state} --${event}-->`);
  return best;
}

const HEADER = ['state \\ event', ...ALARM_EVENTS];

function renderTable(): string[][] {
  return [HEADER, ...ALARM_STATES.map((state) => [state, ...ALARM_EVENTS.map((event) => describeCell(state, event, contexts(state)))])];
}

function toMarkdown(rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(rows[0]!), line(rows[0]!.map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

/** The table between the markers, as rows of trimmed cells (the separator row dropped). */
function tableInDoc(): string[][] | null {
  const doc = readFileSync(new URL('../../docs/alarms.md', import.meta.url), 'utf8');
  const m = /<!-- transition-table:begin -->([\s\S]*?)<!-- transition-table:end -->/.exec(doc);
  if (!m) return null;
  return m[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split('|')
        .map((c) => c.trim().replace(/\*\*/g, '').replace(/`/g, '')),
    )
    .filter((cells) => !cells.every((c) => /^:?-{3,}:?$/.test(c)));
}

describe('docs/alarms.md transition table', () => {
  it('describes every cell as rules/state-machine/transition-table.ts does', () => {
    const expected = renderTable();
    const inDoc = tableInDoc();
    expect(inDoc, `docs/alarms.md has no <!-- transition-table:begin --> … <!-- transition-table:end --> block; the table is:\n\n${toMarkdown(expected)}\n`).not.toBeNull();
    expect(inDoc, `docs/alarms.md's transition table differs from the code; it should read:\n\n${toMarkdown(expected)}\n`).toEqual(expected);
  });

  it('renders the cells whose outcome depends on the context as a test, not a guess', () => {
    const rows = renderTable();
    const cell = (state: AlarmState, event: AlarmEvent) => rows[ALARM_STATES.indexOf(state) + 1]![ALARM_EVENTS.indexOf(event) + 1];
    expect(cell('latched', 'reset')).toBe('if condition present: refused (condition present); else normal');
    expect(cell('acknowledged', 'clear')).toBe('if latching or latch pending: latched; else normal');
    expect(cell('shelved', 'unshelve')).toBe('if condition present: unacknowledged +latch; else if latch pending: latched; else normal');
    expect(cell('normal', 'acknowledge')).toBe('—');
  });
});
