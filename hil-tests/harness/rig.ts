import type { RigFile, RigOutput } from '../rig-file/schema.js';
import type { Cloud } from './cloud.js';
import type { GatewayApi } from './gateway-api.js';
import type { GatewayProcess } from './gateway-process.js';
import type { Operator } from './operator.js';
import type { OutputProbe } from './output-probe.js';

/**
 * The one vocabulary scenarios speak, whatever the rig (docs/hil.md §4). The virtual rig does
 * each thing itself; a bench rig commands what it can (a solenoid, a read-back input) and asks
 * the operator for the rest — always with a timeout, always checking the result through the
 * gateway's own API or a read-back, never taking a person's or a simulator's word for it.
 */

/** What a scenario needs of the rig before the gateway starts. */
export interface SessionNeeds {
  /** Boot the gateway with an unsynchronised wall clock (trust: ntp, no sync marker yet). */
  unsynchronisedClock?: boolean;
}

/** When a fire alarm left the panel (virtual: the panel simulator's frame; bench: the gateway's activation). */
export interface FireTrigger {
  /** performance.now() at the panel's frame (virtual) or when the operator said done (bench). */
  sentAt: number;
  /** How the start time was taken, for the report. */
  measuredFrom: string;
}

export abstract class RigSession {
  abstract readonly kind: 'virtual' | 'bench';

  constructor(
    readonly file: RigFile,
    readonly operator: Operator,
    protected readonly gw: GatewayProcess,
    readonly cloud: Cloud,
    protected readonly probes: ReadonlyMap<string, OutputProbe | 'operator'>,
  ) {}

  get gateway(): GatewayApi {
    return this.gw.api;
  }

  /** Device names with this profile, in rig-file order. */
  devices(profile: string): string[] {
    return this.file.devices.filter((d) => d.profile === profile).map((d) => d.name);
  }

  /** The fire panel's device name, when the rig has one. */
  abstract get firePanel(): string | undefined;

  /** Make the quantity at device/point be `value`; resolves once the gateway's reading shows it. */
  async apply(device: string, point: string, value: number, timeoutMs?: number): Promise<number> {
    const before = await this.reading(device, point);
    await this.stimulate(device, point, value, before);
    const tolerance = this.kind === 'virtual' ? 0.01 : Math.max(2, Math.abs(value) * 0.05);
    const rising = before === null || value >= before;
    return this.waitFor(
      `${device}/${point} to read ${rising ? '≥' : '≤'} ${value}${rising ? ` − ${tolerance}` : ` + ${tolerance}`}`,
      async () => {
        const v = await this.reading(device, point);
        return v !== null && (rising ? v >= value - tolerance : v <= value + tolerance) ? v : undefined;
      },
      timeoutMs ?? this.readingTimeoutMs(),
    );
  }

  /** The gateway's current reading of a numeric point (null while it has none). */
  async reading(device: string, point: string): Promise<number | null> {
    const p = (await this.gateway.points(device)).find((x) => x.point === point);
    return p && typeof p.value === 'number' && p.quality === 'good' ? p.value : null;
  }

  /**
   * Wait until an output is `on` (driven at least once since this call, for a pattern that
   * pulses) or `off` (not driven for `quietMs`, longer than any off-segment that matters here).
   * Returns the milliseconds it took.
   */
  async expectOutput(name: string, want: 'on' | 'off', timeoutMs = 10_000, quietMs = 2_000): Promise<number> {
    const out = this.output(name);
    const probe = this.probes.get(name);
    const t0 = performance.now();
    if (probe === undefined) throw new Error(`the rig has no read-back for output ${name}`);
    if (probe === 'operator') {
      // "Off" means off for a while, not in a gap of a pulsing pattern or mid-release: let it settle before asking.
      if (want === 'off') await new Promise((r) => setTimeout(r, quietMs));
      const yes = await this.operator.confirm(`Is the ${out.kind} "${name}" ${want === 'on' ? (out.kind === 'relay' ? 'energised (running)' : 'sounding / lit') : 'OFF'}?`, this.operatorTimeoutMs());
      if (!yes) throw new Error(`the operator says ${name} is not ${want}`);
      return performance.now() - t0;
    }
    await this.waitFor(
      `output ${name} (line ${out.line}) to be ${want}`,
      async () => {
        const ev = probe.events();
        const now = performance.now();
        const last = ev.at(-1);
        if (want === 'on') return ev.some((e) => e.active && e.at >= t0) || last?.active === true ? true : undefined;
        const lastActive = [...ev].reverse().find((e) => e.active);
        return last?.active !== true && (lastActive === undefined || now - lastActive.at >= quietMs) && now - t0 >= Math.min(quietMs, 500) ? true : undefined;
      },
      timeoutMs + (want === 'off' ? quietMs : 0),
    );
    return performance.now() - t0;
  }

  /** Poll `probe` every 100 ms until it returns a value; fail after timeoutMs saying what was awaited. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const until = performance.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e);
      }
      if (performance.now() > until) throw new Error(`timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** An alarm's state as the gateway shows it ('missing' when the gateway does not know it). */
  async alarmState(id: string): Promise<string> {
    return (await this.gateway.alarm(id))?.state ?? 'missing';
  }

  /** Wait for an alarm to reach one of `states`; returns the milliseconds it took. */
  async expectAlarm(id: string, states: readonly string[], timeoutMs = 10_000): Promise<number> {
    const t0 = performance.now();
    await this.waitFor(`alarm ${id} to be ${states.join(' or ')}`, async () => (states.includes(await this.alarmState(id)) ? true : undefined), timeoutMs);
    return performance.now() - t0;
  }

  /** Lose communication with a device (virtual: it stops answering; bench: the A/B pair is disconnected). */
  abstract cut(device: string): Promise<void>;
  abstract reconnect(device: string): Promise<void>;
  /** Cut the gateway's power and restore it; resolves once its API answers again. */
  abstract powerCycle(): Promise<void>;
  /** The gateway's wall clock becomes synchronised (virtual: the sync marker appears). */
  abstract synchroniseClock(): Promise<void>;
  /** The fire panel reports a fire. */
  abstract fire(): Promise<FireTrigger>;
  /** performance.now() when the monitoring centre received the fire report, or null if it cannot be timed. */
  abstract centreReceivedFire(since: FireTrigger, timeoutMs: number): Promise<number | null>;
  abstract resetFirePanel(): Promise<void>;
  abstract close(): Promise<void>;

  protected abstract stimulate(device: string, point: string, value: number, before: number | null): Promise<void>;
  protected abstract readingTimeoutMs(): number;
  protected abstract operatorTimeoutMs(): number;

  protected output(name: string): RigOutput {
    const o = this.file.outputs.find((x) => x.name === name);
    if (!o) throw new Error(`the rig has no output named ${name}`);
    return o;
  }

  /** Stop the gateway (SIGTERM) — what the session does at the end. */
  protected async stopGateway(): Promise<void> {
    await this.gw.stop();
  }
}
