/** Waiting on conditions, bounded: the campaign never sleeps a fixed time hoping it was enough. */
import { sleep, type Tracked } from '../../bench/support/proc.js';
import { outbox, type OutboxView } from '../../bench/support/site.js';

/** Polls `check` every `everyMs` until it returns a value other than undefined/false; throws after timeoutMs naming `what`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Waits until the gateway's API reports its outbox; fails at once if the gateway exits. */
export function waitForOutbox(apiUrl: string, gw: Tracked, timeoutMs = 30_000): Promise<OutboxView> {
  return waitFor(
    async () => {
      if (gw.child.exitCode !== null || gw.child.signalCode !== null) throw new Error(`gateway exited (${gw.child.exitCode ?? gw.child.signalCode}) before its API came up:\n${gw.output().slice(-2_000)}`);
      return (await outbox(apiUrl)) ?? undefined;
    },
    timeoutMs,
    `the gateway API at ${apiUrl}`,
    200,
  );
}
