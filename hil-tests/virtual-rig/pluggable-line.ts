/**
 * An RTU line that can be unplugged and plugged back, as a USB-RS485 adapter is pulled from a
 * gateway and pushed in again. Unplugging stops the rig's slave and the socat pty pair: the
 * gateway's open port reads EIO and closes (as /dev/ttyUSB0 does when the adapter goes), and
 * the device path disappears, so every reopen fails until the line is plugged back. Plugging
 * back starts a fresh pty pair on the same path (udev recreating /dev/ttyUSB0, or the
 * /dev/serial/by-id link) and a fresh slave on its rig end; the gateway has to notice and
 * reopen by itself — nothing here tells it.
 */
import { openPtyPair, type PtyPair } from './pty-pair.js';

/** What answers on the rig end of the line (the RTU slave). */
export interface LineListener {
  close(): Promise<void>;
}

export interface PluggableLineOptions {
  /** Directory for the pty links (must exist). */
  dir: string;
  /** Link names inside `dir`: [gateway end, rig end]. */
  names: readonly [string, string];
  /** Starts the slave on the rig end; called on open and on every plug(). */
  listen(rigPath: string): Promise<LineListener>;
}

export interface PluggableLine {
  /** The path the gateway opens; stable across unplug/plug. */
  readonly gatewayPath: string;
  readonly plugged: boolean;
  /** Times the line was unplugged. */
  readonly unplugs: number;
  /** Pulls the adapter: slave and pty pair gone, the gateway's port breaks. Idempotent. */
  unplug(): Promise<void>;
  /** Pushes it back: a new pty pair on the same path, a new slave. Idempotent. */
  plug(): Promise<void>;
  /** Unplugs for good (idempotent). */
  close(): Promise<void>;
}

export async function openPluggableLine(options: PluggableLineOptions): Promise<PluggableLine> {
  let pair: PtyPair | undefined;
  let listener: LineListener | undefined;
  let unplugs = 0;
  let closed = false;
  // One change at a time: a plug() racing an unplug() would leave an orphan socat.
  let busy: Promise<void> = Promise.resolve();
  const serial = (step: () => Promise<void>): Promise<void> => {
    const next = busy.then(step);
    busy = next.catch(() => undefined);
    return next;
  };

  const connect = async (): Promise<void> => {
    const p = await openPtyPair({ dir: options.dir, names: options.names });
    try {
      listener = await options.listen(p.rigPath);
    } catch (e) {
      await p.close();
      throw e;
    }
    pair = p;
  };
  const disconnect = async (): Promise<void> => {
    const l = listener;
    const p = pair;
    listener = undefined;
    pair = undefined;
    try {
      await l?.close();
    } finally {
      await p?.close();
    }
  };

  await connect();
  const gatewayPath = pair!.gatewayPath;
  return {
    gatewayPath,
    get plugged() {
      return pair !== undefined;
    },
    get unplugs() {
      return unplugs;
    },
    unplug: () =>
      serial(async () => {
        if (!pair) return;
        unplugs++;
        await disconnect();
      }),
    plug: () =>
      serial(async () => {
        if (closed) throw new Error(`line ${gatewayPath}: closed, cannot plug back`);
        if (!pair) await connect();
      }),
    close: () =>
      serial(async () => {
        closed = true;
        await disconnect();
      }),
  };
}
