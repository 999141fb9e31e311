import type { GatewayClient } from '../walk-test/gateway-client.js';
import { renderFrame, type FrameOptions, type LiveData } from './frame.js';
import { TrendHistory } from './sparkline.js';

/**
 * `vigil live`: fetch health, alarms and points from a running gateway every interval and
 * redraw in place. On a terminal it takes the alternate screen, hides the cursor and reads keys
 * raw (q or Ctrl-C quits), and always gives the terminal back — on quit, on a signal, on an
 * error. Not a terminal: one plain frame per interval, separated by a blank line; --once: one
 * frame and exit (scripts and tests).
 */
export interface LiveOptions {
  client: GatewayClient;
  intervalSec: number;
  once: boolean;
  out: NodeJS.WriteStream;
  input: NodeJS.ReadStream;
  /** Trend samples kept per point. */
  trendSize?: number;
}

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';

export async function runLive(opts: LiveOptions): Promise<number> {
  const { client, out } = opts;
  const tty = out.isTTY === true && !opts.once;
  const history = new TrendHistory(opts.trendSize ?? 12);
  let last: LiveData | undefined;

  const frame = async (): Promise<string[]> => {
    let error: string | undefined;
    try {
      const [health, alarms, points] = await Promise.all([client.health(), client.alarms(), client.points()]);
      for (const p of points) history.add(`${p.device}/${p.point}`, p.quality === 'good' && typeof p.value === 'number' ? p.value : null);
      last = { health, alarms, points, trend: (k) => history.get(k) };
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const o: FrameOptions = { width: tty ? out.columns || 80 : 80, height: tty ? out.rows || 24 : 1_000, color: tty, api: client.baseUrl, intervalSec: opts.intervalSec, ...(error ? { error } : {}) };
    if (!last) return [`vigil live: ${error ?? 'no data'}`];
    return renderFrame(last, o);
  };

  if (!tty) {
    for (;;) {
      const lines = await frame();
      out.write(`${lines.join('\n')}\n`);
      if (opts.once) return last ? 0 : 2;
      out.write('\n');
      await new Promise((r) => setTimeout(r, opts.intervalSec * 1000));
    }
  }

  return new Promise<number>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const quit = (code: number): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.input.off('data', onKey);
      if (opts.input.isTTY) opts.input.setRawMode(false);
      opts.input.pause();
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      out.write(ALT_SCREEN_OFF);
      resolve(code);
    };
    const onKey = (b: Buffer): void => {
      const k = b.toString();
      if (k === 'q' || k === 'Q' || k === '\u0003') quit(0); // \u0003: Ctrl-C in raw mode
    };
    const onSignal = (): void => quit(0);
    const draw = async (): Promise<void> => {
      const lines = await frame();
      if (done) return;
      // Home, each line cleared to its end, then everything below: no flicker, no scroll.
      out.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\n')}\x1b[J`);
      timer = setTimeout(() => void draw(), opts.intervalSec * 1000);
    };
    out.write(ALT_SCREEN_ON);
    if (opts.input.isTTY) opts.input.setRawMode(true);
    opts.input.resume();
    opts.input.on('data', onKey);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    void draw();
  });
}
