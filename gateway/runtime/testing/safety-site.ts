import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { VirtualGpio } from '../../../drivers/gpio/virtual-gpio.js';
import { startVirtualRig, type RigSpec, type VirtualRig } from '../../../hil-tests/virtual-rig/rig.js';
import { loadSiteConfig } from '../../config/load.js';
import { formatProblem } from '../../config/problems.js';
import { VigilError } from '../../errors.js';
import { startBroker, waitUntil, type BrokerMessage, type TestBroker } from '../../forward/testing/broker.js';
import { createLogger } from '../../log.js';
import type { Reading, StoredReading } from '../../readings.js';
import { MemoryStore } from '../../store/index.js';
import type { GatewayEvent, JournalEntry, Store } from '../../store/store.js';
import type { PersistedAlarmState } from '../../../rules/model.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway.js';

/**
 * A gas-safety site on the virtual rig, for the end-to-end tests of the local alarm (issue 3):
 * three combustible-gas detectors and an emergency gas shut-off valve on one RS-485 line, a
 * sounder, a strobe and an exhaust-fan relay on (virtual) GPIO lines, the interlock
 * "close-gas-valve" on the second-level alarm of gas-1, one API user with a bearer token and a
 * cloud command key from a mode-600 secrets file, and a real MQTT broker (aedes on 127.0.0.1).
 *
 * Each gateway started here gets its own VirtualGpio, so a test reads exactly what the sounder
 * and strobe lines did. Polls are fast (250 ms) so the tests are short.
 */

export const SITE_ID = 'safety-plant';
export const GATEWAY_ID = 'gw-safety';
export const TOPIC_BASE = `vigil/${SITE_ID}/${GATEWAY_ID}`;
export const EVENTS_TOPIC = `${TOPIC_BASE}/events`;
export const COMMANDS_TOPIC = `${TOPIC_BASE}/commands`;
export const REPLY_TOPIC = `${TOPIC_BASE}/commands/reply`;

/** GPIO line numbers of the outputs in the site file. */
export const LINES = { sounder: 17, strobe: 27, fan: 22 } as const;
export const INTERLOCK = 'close-gas-valve';
export const API_USER = 'li.na';
export const API_TOKEN = 'kq3V9yXb7mJ2rT0pW6sLd1Hc';
export const COMMAND_KEY = '3f1c9a7e5b2d4f60819a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70';
/** How long the valve takes to close: its closed limit switch follows the close command after this. */
export const VALVE_TRAVEL_MS = 200;

export const SAFETY_RIG: RigSpec = {
  buses: [{ name: 'rs485-1', type: 'rtu' }],
  devices: [
    { name: 'gas-1', bus: 'rs485-1', unitId: 1, profile: 'generic/combustible-gas', behaviours: { gas_lel: 0, status: 'normal' } },
    { name: 'gas-2', bus: 'rs485-1', unitId: 2, profile: 'generic/combustible-gas', behaviours: { gas_lel: 0, status: 'normal' } },
    { name: 'gas-3', bus: 'rs485-1', unitId: 3, profile: 'generic/combustible-gas', behaviours: { gas_lel: 0, status: 'normal' } },
    {
      name: 'valve-1',
      bus: 'rs485-1',
      unitId: 4,
      profile: 'generic/gas-valve-actuator',
      behaviours: {
        closed_feedback: { kind: 'follows', point: 'close_command', delayMs: VALVE_TRAVEL_MS },
        open_feedback: { kind: 'follows', point: 'close_command', delayMs: VALVE_TRAVEL_MS, invert: true },
      },
    },
  ],
  // The valve's limit switch moves on ticks; gas values are set by the tests (constants).
  tickMs: 25,
};

export function safetySiteYaml(rig: VirtualRig, mqttUrl: string, opts: { pollMs?: number; timeoutMs?: number } = {}): string {
  const rtu = rig.buses['rs485-1'];
  if (rtu?.type !== 'rtu') throw new Error('safety rig: bus rs485-1 missing');
  const poll = opts.pollMs ?? 250;
  const timeout = opts.timeoutMs ?? 150;
  return `version: 1
site: { id: ${SITE_ID}, name: Safety test plant }
gateway: { id: ${GATEWAY_ID} }
clock: { trust: always }
secrets: { file: secrets.yaml }
buses:
  - { name: rs485-1, type: rtu, port: ${rtu.gatewayPort}, baudRate: 9600, parity: even, stopBits: 1, timeoutMs: ${timeout}, retries: 0, backoff: { afterFailures: 2, initialMs: 1000, maxMs: 2000 } }
devices:
  - { name: gas-1, bus: rs485-1, unitId: 1, profile: generic/combustible-gas, pollMs: ${poll} }
  - { name: gas-2, bus: rs485-1, unitId: 2, profile: generic/combustible-gas, pollMs: ${poll} }
  - { name: gas-3, bus: rs485-1, unitId: 3, profile: generic/combustible-gas, pollMs: ${poll} }
  - { name: valve-1, bus: rs485-1, unitId: 4, profile: generic/gas-valve-actuator, pollMs: ${poll} }
outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder-1, kind: sounder, line: ${LINES.sounder}, failsafe: on }
    - { name: strobe-1, kind: strobe, line: ${LINES.strobe}, failsafe: on }
    - { name: exhaust-fan, kind: relay, line: ${LINES.fan}, failsafe: off }
interlocks:
  - name: ${INTERLOCK}
    description: Close the gas valve and start the exhaust fan on a second-level gas alarm at gas-1
    when: [gas-1/gas_high_high]
    actions:
      - { write: { device: valve-1, point: close_command, value: true } }
      - { output: { name: exhaust-fan, value: on } }
    confirm: { device: valve-1, point: closed_feedback, value: true, withinMs: 2000 }
    retries: 2
api:
  bind: 127.0.0.1
  port: 0
  users:
    - { name: ${API_USER}, token: { secret: api_token_li_na } }
cloud:
  mqtt:
    url: ${mqttUrl}
    clientId: ${GATEWAY_ID}
    reconnect: { initialMs: 100, maxMs: 500 }
    commands: { key: { secret: cloud_command_key } }
storage: { path: vigil.db, budgetBytes: 16777216 }
`;
}

/** A running gateway and the output lines it drives. */
export interface SafetyGateway {
  gw: RunningGateway;
  gpio: VirtualGpio;
  api: ApiClient;
}

export interface SafetySite {
  rig: VirtualRig;
  broker: TestBroker;
  /** The data directory: site file, secrets file, vigil.db. */
  dir: string;
  siteFile: string;
  /** Start a gateway from the site file (real SQLite WorkerStore unless `overrides.storeFactory`). */
  startGateway(overrides?: Partial<GatewayOptions>): Promise<SafetyGateway>;
  /** Subscriptions the running broker has accepted, as "<clientId> <topic>" (see waitForCommandSubscription). */
  readonly subscriptions: string[];
  /** Resolves once the gateway has subscribed to its commands topic (on the broker running now). */
  waitForCommandSubscription(timeoutMs?: number): Promise<void>;
  /** Start the broker again after broker.stop(), keeping the subscription log. */
  restartBroker(): Promise<void>;
}

/**
 * Starts the rig, the broker and the site file for one test, and stops all of it (gateways
 * first) when the test finishes.
 */
export async function startSafetySite(opts: { pollMs?: number; timeoutMs?: number } = {}): Promise<SafetySite> {
  const broker = await startBroker();
  let rig: VirtualRig | undefined;
  let dir: string | undefined;
  const gateways: RunningGateway[] = [];
  onTestFinished(async () => {
    for (const g of gateways) await g.stop().catch(() => undefined);
    await rig?.stop().catch(() => undefined);
    await broker.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  // The broker's SUBACKs, so a test publishes a command only once the gateway listens for it.
  const subscriptions: string[] = [];
  const watchSubscriptions = (): void => {
    broker.aedes?.on('subscribe', (subs, client) => {
      for (const s of subs) subscriptions.push(`${client?.id ?? '?'} ${s.topic}`);
    });
  };
  watchSubscriptions();
  rig = await startVirtualRig(SAFETY_RIG);
  dir = mkdtempSync(join(tmpdir(), 'vigil-safety-'));
  const siteFile = join(dir, 'site.yaml');
  writeFileSync(siteFile, safetySiteYaml(rig, broker.url, opts));
  writeFileSync(join(dir, 'secrets.yaml'), `api_token_li_na: "${API_TOKEN}"\ncloud_command_key: "${COMMAND_KEY}"\n`, { mode: 0o600 });

  return {
    rig,
    broker,
    dir,
    siteFile,
    subscriptions,
    startGateway: async (overrides = {}) => {
      const loaded = loadSiteConfig(siteFile);
      if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
      const gpio = new VirtualGpio();
      const level = process.env.VIGIL_TEST_LOG ?? 'silent';
      const gw = await startGateway({
        config: loaded.config,
        configDir: loaded.configDir,
        secrets: loaded.secrets,
        profiles: loaded.profiles,
        logger: createLogger({ level: level as 'silent' }),
        gpio,
        ...overrides,
      });
      gateways.push(gw);
      return { gw, gpio, api: apiClient(gw.apiUrl) };
    },
    waitForCommandSubscription: (timeoutMs = 5_000) =>
      waitUntil(() => subscriptions.includes(`${GATEWAY_ID} ${COMMANDS_TOPIC}`), timeoutMs, `${GATEWAY_ID} to subscribe to ${COMMANDS_TOPIC}`),
    restartBroker: async () => {
      subscriptions.length = 0; // a restarted broker has forgotten every subscription
      await broker.start();
      watchSubscriptions(); // attached before any client can have reconnected (that takes I/O turns)
    },
  };
}

// ── the local API, as a person with curl would use it ───────────────────────────────────

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface ApiClient {
  get<T = Record<string, unknown>>(path: string): Promise<ApiAnswer<T>>;
  /** POST with `Authorization: Bearer <token>` (the site's user unless `token` says otherwise; null: no header). */
  post<T = Record<string, unknown>>(path: string, body?: object, token?: string | null): Promise<ApiAnswer<T>>;
}

export function apiClient(baseUrl: string): ApiClient {
  const call = async <T>(method: string, path: string, body: object | undefined, token: string | null): Promise<ApiAnswer<T>> => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    get: (path) => call('GET', path, undefined, null),
    post: (path, body, token = API_TOKEN) => call('POST', path, body, token),
  };
}

/** The fields of GET /api/alarms the tests look at. */
export interface ListedAlarm {
  id: string;
  state: string;
  priority: string;
  class: string;
  conditionActive: boolean;
  latchPending: boolean;
  annunciating: boolean;
  shelvedUntil: number | null;
  value?: unknown;
  occurrence: { id: string; detectedTs: number; firstValue?: unknown; peakValue?: unknown; acknowledgedBy?: { kind: string; name?: string }; clearedTs?: number } | null;
}

export interface ListedInterlock {
  name: string;
  state: string;
  trippedBy: string | null;
  activeTriggers: string[];
  lastError: string | null;
  lastTiming: { trippedAt: number; issuedAt: number; confirmedAt: number | null; attempts: number } | null;
}

export async function alarmsById(api: ApiClient): Promise<Map<string, ListedAlarm>> {
  const { status, body } = await api.get<{ alarms: ListedAlarm[] }>('/api/alarms');
  if (status !== 200) throw new Error(`GET /api/alarms answered ${status}: ${JSON.stringify(body)}`);
  return new Map(body.alarms.map((a) => [a.id, a]));
}

export async function interlock(api: ApiClient, name = INTERLOCK): Promise<ListedInterlock | undefined> {
  const { body } = await api.get<{ interlocks: ListedInterlock[] }>('/api/interlocks');
  return body.interlocks.find((i) => i.name === name);
}

/**
 * Polls the API until `check` accepts an answer (wait-for-condition, never a blind sleep);
 * rejects after timeoutMs with the last answer in the message, so a failure says what was seen.
 */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last, replacer)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const replacer = (_k: string, v: unknown): unknown => (v instanceof Map ? Object.fromEntries(v) : v);

/** Sets gas-1's (or another detector's) concentration and waits until the gateway has read it. */
export async function setGas(site: { rig: VirtualRig }, gw: RunningGateway, device: string, lel: number, timeoutMs = 3_000): Promise<void> {
  site.rig.device(device).set('gas_lel', lel);
  await waitUntil(
    () => gw.points.snapshot(device).some((p) => p.point === 'gas_lel' && p.quality === 'good' && typeof p.value === 'number' && Math.abs(p.value - lel) < 0.05),
    timeoutMs,
    `${device} gas_lel ${lel} %LEL to be read`,
  );
}

// ── what reached the broker ─────────────────────────────────────────────────────────────

export interface ReceivedEvent {
  seq: number;
  type: string;
  severity: string;
  ts: number;
  message: string;
  device?: string;
  point?: string;
  data?: Record<string, unknown>;
  historical: boolean;
}

/** Every event the broker accepted on the events topic, in arrival order. */
export function receivedEvents(published: readonly BrokerMessage[]): ReceivedEvent[] {
  const out: ReceivedEvent[] = [];
  for (const m of published) {
    if (m.topic !== EVENTS_TOPIC) continue;
    const p = m.json<{ historical: boolean; events: Omit<ReceivedEvent, 'historical'>[] }>();
    for (const e of p.events) out.push({ ...e, historical: p.historical });
  }
  return out;
}

/** Alarm events (data is the AlarmTransition) of one alarm id, in arrival order. */
export function alarmEvents(published: readonly BrokerMessage[], alarmId?: string): ReceivedEvent[] {
  return receivedEvents(published).filter((e) => e.type.startsWith('alarm.') && (alarmId === undefined || e.data?.['alarmId'] === alarmId));
}

export function interlockEvents(published: readonly BrokerMessage[], name = INTERLOCK): ReceivedEvent[] {
  return receivedEvents(published).filter((e) => e.type.startsWith('interlock.') && e.data?.['interlock'] === name);
}

// ── output lines ────────────────────────────────────────────────────────────────────────

/** Times (ms) between successive level changes of a line since `sinceTs`. */
export function edgeIntervals(gpio: VirtualGpio, line: number, sinceTs: number): number[] {
  const changes: number[] = [];
  let prev: number | undefined;
  for (const r of gpio.writes(line)) {
    if (prev !== undefined && r.level !== prev && r.ts >= sinceTs) changes.push(r.ts);
    prev = r.level;
  }
  return changes.slice(1).map((t, i) => t - changes[i]!);
}

// ── a store that fails as a full disk does ──────────────────────────────────────────────

/**
 * A working in-memory store that can be made to refuse every commit (readings, events and the
 * alarm journal) with STORE_FULL, as SQLite does when the SD card is full. Reads keep working.
 */
export class FullDiskStore extends MemoryStore {
  failing = false;

  /** The error WorkerStore gives for SQLITE_FULL (store-error.ts). */
  private check(action: string): void {
    if (this.failing) throw new VigilError('STORE_FULL', `store: ${action} failed: database or disk is full`);
  }

  override async appendReadings(readings: readonly Reading[]): Promise<StoredReading[]> {
    this.check('appendReadings');
    return super.appendReadings(readings);
  }

  override async appendEvents(events: readonly GatewayEvent[]) {
    this.check('appendEvents');
    return super.appendEvents(events);
  }

  override async commitAlarms(entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]) {
    this.check('commitAlarms');
    return super.commitAlarms(entries, states);
  }

  static factory(store: FullDiskStore): NonNullable<GatewayOptions['storeFactory']> {
    return () => store as Store;
  }
}
