import { describe, expect, it } from 'vitest';
import { fit, Screen, type ScreenOutput } from './screen.js';

function terminal(isTTY: boolean, columns?: number): ScreenOutput & { text: string } {
  const out = { text: '', isTTY, ...(columns !== undefined ? { columns } : {}), write: (t: string) => (out.text += t) };
  return out;
}

describe('the demo screen', () => {
  it('into a pipe: appends events and panels, never erases', () => {
    const out = terminal(false);
    const screen = new Screen(out);
    screen.print(['banner']);
    screen.update(['event 1'], ['status', 'alarms']);
    screen.update([], ['status 2']);
    screen.update(['event 2'], null);
    expect(out.text).toBe('banner\nevent 1\nstatus\nalarms\nstatus 2\nevent 2\n');
    expect(screen.live).toBe(false);
  });

  it('on a terminal: redraws the panel in place, with events landing above it', () => {
    const out = terminal(true, 80);
    const screen = new Screen(out);
    screen.update([], ['status', 'alarms', 'outputs']);
    out.text = '';
    screen.update(['event'], ['status 2', 'alarms 2']);
    // up 3 lines to the old panel's first line, erase to the end of the screen, then draw
    expect(out.text).toBe('\x1b[3F\x1b[Jevent\nstatus 2\nalarms 2\n');
    // an event without a new panel: the last panel is drawn again below it
    out.text = '';
    screen.update(['late event'], null);
    expect(out.text).toBe('\x1b[2F\x1b[Jlate event\nstatus 2\nalarms 2\n');
    out.text = '';
    screen.update([], null);
    expect(out.text).toBe('');
  });

  it('on a terminal: lines printed after the panel stay (the panel is not erased over them)', () => {
    const out = terminal(true, 80);
    const screen = new Screen(out);
    screen.update([], ['status']);
    screen.print(['stopping the demo …']);
    out.text = '';
    screen.update([], ['status']);
    expect(out.text).toBe('status\n');
  });

  it('cuts panel lines to the terminal width so a wrapped line cannot break the redraw', () => {
    const out = terminal(true, 11);
    new Screen(out).update(['an event longer than the width stays whole'], ['0123456789abcdef']);
    expect(out.text).toBe('an event longer than the width stays whole\n012345678…\n');
  });
});

describe('fit', () => {
  it('leaves a line that fits alone', () => {
    expect(fit('short', 10)).toBe('short');
    expect(fit('\x1b[31mred\x1b[0m', 3)).toBe('\x1b[31mred\x1b[0m');
  });

  it('counts visible characters only, keeps colour sequences and closes them', () => {
    expect(fit('\x1b[31m● critical\x1b[0m tail', 6)).toBe('\x1b[31m● cri…\x1b[0m');
    expect(fit('♪♪♪♪', 3)).toBe('♪♪…');
  });
});
