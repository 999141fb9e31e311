/**
 * The demo's console output: lines that stay (the banner, events, hints) and a panel that shows
 * the present. On a terminal the panel is redrawn in place below the events; into a pipe or a
 * file (CI, `| tee`) nothing is ever erased and each panel is simply appended.
 */
export interface ScreenOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const ESC = '\x1b[';
const ANSI_SEQUENCE = /\x1b\[[0-9;]*m/y;
const ANSI_SEQUENCES = /\x1b\[[0-9;]*m/g;

export class Screen {
  /** The panel now on a terminal's screen (empty: none to redraw over). */
  private lastPanel: readonly string[] = [];

  constructor(private readonly out: ScreenOutput) {}

  /** The panel is redrawn in place (a terminal); otherwise every update appends. */
  get live(): boolean {
    return this.out.isTTY === true;
  }

  /**
   * Events above, then the panel — in one write, so the terminal never shows half a frame. On a
   * terminal a null panel redraws the last one below the events; into a pipe it prints nothing.
   */
  update(events: readonly string[], panel: readonly string[] | null): void {
    let text = '';
    const redraw = this.live ? (panel ?? this.lastPanel) : panel;
    if (this.live && this.lastPanel.length > 0 && (panel !== null || events.length > 0)) {
      // Up to the first line of the old panel, erase from there to the end of the screen.
      text += `${ESC}${this.lastPanel.length}F${ESC}J`;
    }
    for (const e of events) text += `${e}\n`;
    if (redraw !== null && (panel !== null || events.length > 0)) {
      // A wrapped line would break the count of lines to go back up: cut to the width instead.
      const width = (this.out.columns ?? 0) > 0 ? this.out.columns! - 1 : Infinity;
      for (const l of redraw) text += `${this.live ? fit(l, width) : l}\n`;
      if (this.live) this.lastPanel = [...redraw];
    }
    if (text) this.out.write(text);
  }

  /** Ordinary lines (the banner, the goodbye): they stay; a live panel is left where it is. */
  print(lines: readonly string[]): void {
    this.out.write(lines.map((l) => `${l}\n`).join(''));
    this.lastPanel = [];
  }
}

/** Cuts a line to `width` visible characters (the last one "…"), keeping colour sequences intact. */
export function fit(line: string, width: number): string {
  const plain = line.replace(ANSI_SEQUENCES, '');
  if ([...plain].length <= width) return line;
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length && visible < width - 1; ) {
    ANSI_SEQUENCE.lastIndex = i;
    const m = ANSI_SEQUENCE.exec(line);
    const piece = m ? m[0] : String.fromCodePoint(line.codePointAt(i)!);
    if (!m) visible++;
    out += piece;
    i += piece.length;
  }
  return `${out}…${plain.length === line.length ? '' : `${ESC}0m`}`;
}
