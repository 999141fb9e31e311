/**
 * Typed events whose listeners cannot break the emitter. The bus queue and the forwarder
 * report to metrics and health through these: a listener that throws is reported and the
 * other listeners still run — a metrics bug must never stall a bus or the cloud link.
 * (Node's EventEmitter stops at the first listener that throws and hands the error to the emitter.)
 */
export class SafeEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (event: keyof Events, error: unknown) => void = () => undefined) {}

  /** Returns a function that removes the listener. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const stored = listener as (payload: never) => void;
    set.add(stored);
    return () => set.delete(stored);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (p: Events[K]) => void)(payload);
      } catch (e) {
        this.onListenerError(event, e);
      }
    }
  }
}
