/**
 * SIGINT/SIGTERM captured from the first moment of `vigil run`, before the gateway's modules
 * are loaded: a stop request that arrives during start-up is kept and acted on once the
 * gateway is up, instead of Node's default kill (which would skip the clean stop — committing
 * pending readings and announcing "offline").
 */
export interface DeferredSignals {
  /** Call `handler` with the first signal: now if one already arrived, else when it does. */
  onSignal(handler: (signal: NodeJS.Signals) => void): void;
}

export function deferSignals(): DeferredSignals {
  let received: NodeJS.Signals | null = null;
  let handler: ((signal: NodeJS.Signals) => void) | null = null;
  const on = (signal: NodeJS.Signals): void => {
    if (received) return; // a second Ctrl-C while stopping changes nothing
    received = signal;
    handler?.(signal);
  };
  process.on('SIGINT', () => on('SIGINT'));
  process.on('SIGTERM', () => on('SIGTERM'));
  return {
    onSignal(h) {
      handler = h;
      if (received) h(received);
    },
  };
}
