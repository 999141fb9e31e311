import type { Logger } from 'pino';

/**
 * Listeners called synchronously on the alarm path. One that throws is logged and the others
 * still run: an API or metrics bug must never keep the sounder or the interlock from hearing
 * about an alarm.
 */
export class Listeners<Args extends unknown[]> {
  private readonly list: ((...args: Args) => void)[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  add(listener: (...args: Args) => void): void {
    this.list.push(listener);
  }

  emit(...args: Args): void {
    for (const l of this.list) {
      try {
        l(...args);
      } catch (e) {
        this.logger.error({ err: e }, `a ${this.what} listener threw; the others still run`);
      }
    }
  }
}
