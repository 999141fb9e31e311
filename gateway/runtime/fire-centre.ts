import type { Logger } from 'pino';
import type { ComponentInfo, SystemInfo } from '../../drivers/fire-panel/panel-state.js';
import { DataType } from '../../drivers/gb26875/codes.js';
import { UITD_STATUS_BITS } from '../../drivers/gb26875/status-bits.js';
import { timeLabelFromDate } from '../../drivers/gb26875/time-label.js';
import type { ComponentStatus, SystemStatus } from '../../drivers/gb26875/objects/facility-state.js';
import type { AlarmEngineView } from '../../rules/engine/types.js';
import type { ResolvedAlarm } from '../../rules/model.js';
import { FIRE_CENTRE_ALARMS, FIRE_CENTRE_SCOPE } from '../../rules/definitions/alarm-ids.js';
import type { Clock } from '../clock/clock.js';
import type { UitdConfig } from '../forward/uitd/config-schema.js';
import type { UitdQueueStore } from '../forward/uitd/queue-store.js';
import { UitdLink } from '../forward/uitd/uitd-link.js';
import type { Reading } from '../readings.js';
import type { GatewayEvent, JournalEntry } from '../store/store.js';
import { VERSION } from './version.js';


const TRANSMISSION = FIRE_CENTRE_ALARMS.transmission;
const DUTY_CHECK = FIRE_CENTRE_ALARMS.dutyCheck;

/**
 * The link to the fire remote-monitoring centre as two alarms of the gateway's own, so they go
 * through the same engine, annunciator, journal and API as every other alarm:
 * - `fire-centre/transmission` (fault, high): sending failed after every retry. GB 26875.1
 *   (standards.md §3.1) wants an AUDIBLE indication of a transmission failure — the fault pattern.
 * - `fire-centre/duty_check` (fault class so it sounds, medium): the centre's 查岗 waits for a
 *   person. Acknowledging this alarm — button, console, local API, cloud — is the answer.
 */
export function fireCentreAlarms(): ResolvedAlarm[] {
  const common = { kind: 'state' as const, onDelayMs: 0, offDelayMs: 0, enabled: true, latch: false, class: 'fault' as const };
  return [
    {
      id: `${FIRE_CENTRE_SCOPE}/${TRANSMISSION}`,
      device: FIRE_CENTRE_SCOPE,
      def: { ...common, name: TRANSMISSION, point: TRANSMISSION, activeWhen: ['failing'], priority: 'high', description: 'Transmission to the fire remote-monitoring centre failed (GB 26875.1: audible indication)' },
    },
    {
      id: `${FIRE_CENTRE_SCOPE}/${DUTY_CHECK}`,
      device: FIRE_CENTRE_SCOPE,
      def: { ...common, name: DUTY_CHECK, point: DUTY_CHECK, activeWhen: ['waiting'], priority: 'medium', description: '查岗 duty-check from the fire monitoring centre: acknowledge to answer' },
    },
  ];
}

export interface FireCentreRuntime {
  readonly link: UitdLink;
  /** Health: a fault when the centre is unreachable or sending fails; a warning while first connecting. */
  health(): { fault?: string; warning?: string };
  /** A fire panel's event: component and system states go upstream (fire alarms first). */
  onPanelEvent(event: GatewayEvent, panel: { components(): ComponentInfo[]; systems(): SystemInfo[] }): void;
  stop(): Promise<void>;
}

/**
 * Vigil as a user information transmission device (用户信息传输装置): panel states go to the
 * centre over the UITD link with its own durable queue, independent of MQTT (fire alarms
 * pre-empt everything and must arrive within 10 s: gateway/forward/uitd/README.md).
 */
export function startFireCentre(opts: {
  config: UitdConfig;
  clock: Clock;
  queueStore: UitdQueueStore;
  engine: AlarmEngineView & { onReadings(readings: readonly Reading[]): void };
  journal(entry: JournalEntry): void;
  panels(): { components(): ComponentInfo[]; systems(): SystemInfo[] }[];
  logger: Logger;
}): FireCentreRuntime {
  const { clock, engine, config } = opts;
  const point = (name: string, value: string): void =>
    engine.onReadings([{ device: FIRE_CENTRE_SCOPE, point: name, value, quality: 'good', ts: clock.now(), clockTrusted: clock.isTrusted() }]);
  const record = (type: string, severity: GatewayEvent['severity'], message: string, data?: Record<string, unknown>): void =>
    opts.journal({ subject: FIRE_CENTRE_SCOPE, event: { type, severity, ts: clock.now(), clockTrusted: clock.isTrusted(), message, ...(data ? { data } : {}) } });
  // A gateway whose clock is not set yet (a Pi without RTC boots in 1970) must still relay a fire
  // alarm: the time label falls back to the earliest one the frame can carry, never an exception.
  const time = (ms: number) => {
    try {
      return timeLabelFromDate(new Date(ms), config.utcOffsetMinutes);
    } catch {
      return timeLabelFromDate(new Date(Date.UTC(2000, 0, 1)), 0);
    }
  };
  const componentObject = (c: ComponentInfo): ComponentStatus => ({
    systemType: c.systemType,
    systemAddress: c.systemAddress,
    componentType: c.componentType,
    componentAddress: { zone: c.zone, position: c.position },
    status: c.status,
    description: c.description,
    time: time(c.lastReportTs),
  });
  const systemObject = (s: SystemInfo): SystemStatus => ({ systemType: s.systemType, systemAddress: s.systemAddress, status: s.status, time: time(s.lastReportTs) });

  const link = new UitdLink({
    config,
    store: opts.queueStore,
    clock,
    state: {
      // Type 21 (also the heartbeat body with heartbeat.kind uitd-status): normal watch, fire when a
      // panel reports one, fault when a panel link is lost or the centre link is failing.
      uitdStatus: () => {
        const panels = opts.panels();
        const fire = panels.some((p) => p.components().some((c) => c.fire));
        let status = 1 << UITD_STATUS_BITS.normal;
        if (fire) status |= 1 << UITD_STATUS_BITS.fire;
        if (link.queue.stats().failing) status |= (1 << UITD_STATUS_BITS.fault) | (1 << UITD_STATUS_BITS.centreLinkFault);
        return { status, time: time(clock.now()) };
      },
      // 85 → 25 and 86 → 26: the gateway's own version and a one-line description of what it relays.
      uitdSoftwareVersion: () => uitdVersion(VERSION),
      uitdConfig: () => ({ description: `Vigil ${VERSION} 用户信息传输装置: ${opts.panels().length} 台火灾报警控制器 (fire panels)` }),
      systemStatus: (refs) => opts.panels().flatMap((p) => p.systems()).filter((s) => refs.some((r) => r.systemType === s.systemType && r.systemAddress === s.systemAddress)).map(systemObject),
      componentStatus: (queries) =>
        opts
          .panels()
          .flatMap((p) => p.components())
          .filter((c) => queries.some((q) => q.systemType === c.systemType && q.systemAddress === c.systemAddress && q.componentAddress.zone === c.zone && q.componentAddress.position === c.position))
          .map(componentObject),
    },
    hooks: {
      onSendFailure: (e) => {
        point(TRANSMISSION, 'failing');
        record('fire-centre.send-failed', 'fault', `sending a ${e.item.priority} message to the fire monitoring centre failed after ${e.attempts} attempts (${e.reason}); it is kept and resent`, {
          id: e.item.id,
          priority: e.item.priority,
          attempts: e.attempts,
          reason: e.reason,
          connected: e.connected,
          pending: e.pending,
        });
      },
      onSendRecovered: (e) => {
        point(TRANSMISSION, 'ok');
        record('fire-centre.send-recovered', 'info', 'the fire monitoring centre confirms again', { id: e.item.id, priority: e.item.priority });
      },
      onDutyCheck: (request) => {
        point(DUTY_CHECK, 'waiting');
        record('fire-centre.duty-check', 'warning', '查岗: the fire monitoring centre asks for a person to answer; acknowledge fire-centre/duty_check', { ...request });
      },
      onDutyCheckEnd: (end) => {
        point(DUTY_CHECK, 'idle');
        // GB 26875.1: the prompt sounds until answered or its window ends — an unanswered one must
        // not go on beeping as an unacknowledged alarm, so the gateway acknowledges it (journaled).
        if (end.outcome !== 'answered') engine.command({ action: 'acknowledge', alarmId: `${FIRE_CENTRE_SCOPE}/${DUTY_CHECK}`, actor: { kind: 'system', name: `duty-check ${end.outcome}` } });
        record('fire-centre.duty-check-ended', end.outcome === 'answered' ? 'info' : 'warning', `查岗 ${end.outcome}`, { ...end });
      },
      onClockSync: (sync) => record('fire-centre.clock-sync', 'info', `the centre's clock differs from the gateway's by ${sync.offsetMs} ms (the OS clock is not changed)`, { offsetMs: sync.offsetMs }),
    },
  });
  link.queue.on('deadline-missed', (e) =>
    record('fire-centre.deadline-missed', 'fault', `a ${e.item.priority} message reached the centre after ${e.latencyMs} ms (limit ${e.deadlineMs} ms)`, { id: e.item.id, priority: e.item.priority, latencyMs: e.latencyMs, deadlineMs: e.deadlineMs, attempts: e.attempts }),
  );

  // Acknowledging the duty-check alarm is the person's answer, whichever way it was acknowledged.
  engine.onTransition((t) => {
    if (t.alarmId !== `${FIRE_CENTRE_SCOPE}/${DUTY_CHECK}` || t.event !== 'acknowledge' || t.actor.kind === 'system') return;
    const r = link.answerDutyCheck(t.actor);
    if (!r.ok) record('fire-centre.duty-check-answer-refused', 'warning', `查岗 answer by ${t.actor.name ?? t.actor.kind} not sent: ${r.reason}`);
  });
  // The link itself: every outage and failure is in the journal, never only in a log line.
  let connectedSince: number | null = null;
  let outageReported = false;
  link.on('connected', (e) => {
    connectedSince = clock.monotonic();
    outageReported = false;
    record('fire-centre.connected', 'info', `connected to the fire monitoring centre (${e.description})`);
  });
  link.on('disconnected', (e) => {
    connectedSince = null;
    if (!e.byOwner) record('fire-centre.disconnected', 'warning', `the connection to the fire monitoring centre closed${e.error ? `: ${e.error.message}` : ''}`);
  });
  link.on('connect-failed', (e) => {
    if (outageReported) return;
    outageReported = true;
    record('fire-centre.unreachable', 'fault', `the fire monitoring centre cannot be reached (${e.error instanceof Error ? e.error.message : String(e.error)}); retrying, messages are kept`);
  });
  const startedAt = clock.monotonic();
  point(TRANSMISSION, 'ok');
  point(DUTY_CHECK, 'idle');
  void link.start().catch((e: unknown) => opts.logger.error({ component: 'fire-centre', err: e }, 'the fire-centre link could not start'));

  return {
    link,
    health() {
      if (connectedSince !== null) return link.queue.stats().failing ? { fault: 'fire monitoring centre: sending fails (messages are kept)' } : {};
      // A centre not reached within a minute of start, or lost since, is a hole in fire monitoring.
      return clock.monotonic() - startedAt > 60_000 ? { fault: 'fire monitoring centre: not connected' } : { warning: 'fire monitoring centre: connecting' };
    },
    onPanelEvent(event, panel) {
      try {
        // Every panel state goes at fire priority, in the order the panel reported it: a centre that
        // keeps the latest message per component must never see an older state after a newer one
        // (a fault queued before a fire, or a clearing between two fires). They still pre-empt the
        // gateway's own traffic (heartbeats, UITD status, records).
        if (event.type === 'panel.component') {
          const key = event.data?.['key'];
          const c = panel.components().find((x) => x.key === key);
          if (c) link.enqueue('fire', { type: DataType.ComponentStatus, objects: [componentObject(c)] });
        } else if (event.type === 'panel.system') {
          const key = event.data?.['system'];
          const s = panel.systems().find((x) => x.key === key);
          if (s) link.enqueue('fire', { type: DataType.SystemStatus, objects: [systemObject(s)] });
        }
      } catch (e) {
        record('fire-centre.relay-failed', 'fault', `a panel state could not be queued for the fire monitoring centre: ${e instanceof Error ? e.message : String(e)}`, { event: event.type });
      }
    },
    stop: () => link.stop(),
  };
}

/**
 * A semver string as GB/T 26875.3 type 25 (major and minor, one byte each). A version that does not
 * fit is thrown for, and the read is denied with that reason — never sent as a wrong number.
 */
export function uitdVersion(version: string): { major: number; minor: number } {
  const m = /^(\d+)\.(\d+)/.exec(version);
  const major = Number(m?.[1]);
  const minor = Number(m?.[2]);
  if (!m || major > 255 || minor > 255) throw new RangeError(`version ${version} cannot be sent as type 25 (major and minor 0–255)`);
  return { major, minor };
}
