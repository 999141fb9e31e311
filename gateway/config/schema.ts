import { z } from 'zod';
import { ElectricitySchema } from '../../rules/electricity/config-schema.js';
import { FirePanelsSchema } from '../../drivers/fire-panel/config-schema.js';
import { UitdConfigSchema } from '../forward/uitd/config-schema.js';
import { SiteAlarmsSchema, DeviceAlarmsSchema, OutputsSchema, InterlockSchema, SchedulesSchema, ApiUserSchema, CloudCommandsSchema } from './safety-schema.js';

/**
 * The site file schema: the single source of the configuration's shape. TypeScript types
 * come from z.infer, the JSON Schema in docs/ from z.toJSONSchema (write-json-schema.ts).
 * Defaults are few, named here and documented; a wrong value is never coerced or clamped.
 * Relative paths are resolved against the directory of the site file.
 */

export const CONFIG_VERSION = 1;

const name = (what: string) =>
  z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, `a ${what} is lower case letters, digits, - and _`);

/** A secret is never written into the site file: it names a key of the secrets file or an environment variable. */
export const SecretRefSchema = z.union([
  z.strictObject({ secret: z.string().min(1).describe('key in the secrets file') }),
  z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').describe('environment variable') }),
]);

const BackoffSchema = z
  .strictObject({
    /** Consecutive failed transactions before a device is backed off. */
    afterFailures: z.number().int().min(1).max(100).default(3),
    initialMs: z.number().int().min(100).max(3_600_000).default(5_000),
    maxMs: z.number().int().min(100).max(3_600_000).default(300_000),
  })
  .refine((b) => b.maxMs >= b.initialMs, { message: 'backoff.maxMs must be ≥ backoff.initialMs', path: ['maxMs'] });

const busCommon = {
  name: name('bus name'),
  description: z.string().optional(),
  /** Per-transaction timeout. */
  timeoutMs: z.number().int().min(10).max(60_000).default(1_000),
  /** Extra attempts after a failed transaction (timeout/CRC), before the cycle gives up. */
  retries: z.number().int().min(0).max(5).default(1),
  /** Silence between transactions beyond the protocol's own (an RTU bus always keeps t3.5); some devices and RS-485 converters need more. */
  interRequestDelayMs: z.number().int().min(0).max(5_000).default(0),
  backoff: BackoffSchema.default({ afterFailures: 3, initialMs: 5_000, maxMs: 300_000 }),
};

export const RtuBusSchema = z.strictObject({
  ...busCommon,
  type: z.literal('rtu'),
  port: z.string().min(1),
  baudRate: z.literal([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  /** Modbus over Serial Line §2.5.1 makes even parity the default; it is required here because a wrong guess means silence. */
  parity: z.enum(['none', 'even', 'odd']),
  stopBits: z.union([z.literal(1), z.literal(2)]),
});

export const TcpBusSchema = z.strictObject({
  ...busCommon,
  type: z.literal('tcp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(502),
});

export const BusSchema = z.discriminatedUnion('type', [RtuBusSchema, TcpBusSchema]);

export const PointOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  unit: z.string().optional(),
  scale: z.number().refine((v) => v !== 0, 'scale must not be 0').optional(),
  offset: z.number().optional(),
  range: z.strictObject({ min: z.number(), max: z.number() }).optional(),
});

export const DeviceSchema = z.strictObject({
  name: name('device name'),
  description: z.string().optional(),
  bus: z.string().min(1),
  /** 1–247 on RTU (Modbus over Serial Line §2.2); on TCP 0 and 255 are also accepted (gateways). */
  unitId: z.number().int().min(0).max(255),
  /** "<vendor>/<model>" of a profile under drivers/profiles or a site profile directory. */
  profile: z.string().min(1),
  pollMs: z.number().int().min(100).max(86_400_000),
  points: z.record(z.string(), PointOverrideSchema).optional(),
  /** Overrides of the profile's alarm defaults by alarm name, or extra alarms for this device. */
  alarms: DeviceAlarmsSchema.optional(),
});

/**
 * TLS with a client certificate (what `vigil register` creates and stores). File paths, relative to
 * the site file; the key is a secret by nature, so it stays in its own 0600 file and never in the site
 * file. `ca` alone verifies a broker signed by a private CA; `cert` and `key` go together.
 */
export const MqttTlsSchema = z
  .strictObject({
    /** The CA that signed the broker's certificate (PEM). Absent: the system's trusted CAs. */
    ca: z.string().min(1).optional(),
    /** This gateway's certificate (PEM), signed by the cloud operator from `vigil register`'s CSR. */
    cert: z.string().min(1).optional(),
    /** This gateway's private key (PEM, mode 0600). */
    key: z.string().min(1).optional(),
  })
  .refine((t) => (t.cert === undefined) === (t.key === undefined), { message: 'cert and key go together: give both or neither' });

export const MqttSchema = z.strictObject({
  url: z.string().regex(/^(mqtt|mqtts|ws|wss):\/\/[^\s]+$/, 'an MQTT URL such as mqtt://host:1883 or mqtts://host:8883'),
  clientId: z.string().min(1).max(128),
  username: z.union([z.string().min(1), SecretRefSchema]).optional(),
  /** By reference only: a password never sits in the site file. */
  password: SecretRefSchema.optional(),
  /** Topics are <topicPrefix>/<site>/<gateway>/… */
  topicPrefix: z.string().regex(/^[^#+\s]+$/, 'no MQTT wildcards or spaces').default('vigil'),
  keepaliveSec: z.number().int().min(5).max(3_600).default(30),
  /** Most readings in one telemetry message. */
  batchSize: z.number().int().min(1).max(5_000).default(500),
  /** Most messages awaiting PUBACK at once. */
  inflight: z.number().int().min(1).max(1_000).default(16),
  reconnect: z
    .strictObject({
      initialMs: z.number().int().min(100).max(600_000).default(1_000),
      maxMs: z.number().int().min(100).max(3_600_000).default(60_000),
    })
    .default({ initialMs: 1_000, maxMs: 60_000 }),
  /** Accept alarm commands (acknowledge, reset …) from the cloud, authenticated by HMAC. Absent: refused. */
  commands: CloudCommandsSchema.optional(),
  /** TLS material for mqtts:// or wss:// (client certificate authentication). */
  tls: MqttTlsSchema.optional(),
}).refine((m) => m.tls === undefined || /^(mqtts|wss):\/\//.test(m.url), { path: ['tls'], message: 'tls needs an mqtts:// or wss:// url (this url does not use TLS)' });

export const SiteConfigSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION),
  site: z.strictObject({ id: name('site id'), name: z.string().min(1) }),
  gateway: z.strictObject({ id: name('gateway id'), name: z.string().optional() }),
  /**
   * When wall time counts as trustworthy: `ntp` — only once the system reports NTP
   * synchronisation; `always` — the operator vouches for the clock (an RTC, or a test rig).
   */
  clock: z.strictObject({
    trust: z.enum(['ntp', 'always']),
    /**
     * `ntp` only: files whose existence means "synchronised since boot", replacing the defaults
     * (gateway/clock/system-clock.ts DEFAULT_SYNC_MARKERS) — for a time daemon that marks
     * synchronisation elsewhere, and for a HIL rig that boots the gateway unsynchronised.
     */
    syncMarkers: z.array(z.string().regex(/^\//, 'an absolute path')).min(1).optional(),
  }).refine((c) => c.trust === 'ntp' || c.syncMarkers === undefined, { path: ['syncMarkers'], message: 'only with trust: ntp (with trust: always no marker is looked at)' }),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') }).default({ level: 'info' }),
  secrets: z.strictObject({ file: z.string().min(1) }).optional(),
  buses: z.array(BusSchema).min(1),
  devices: z.array(DeviceSchema).min(1),
  /** Without a cloud section the gateway runs offline-only: it still stores every reading within the budget. */
  cloud: z.strictObject({ mqtt: MqttSchema }).optional(),
  storage: z.strictObject({
    path: z.string().min(1),
    /** Outbox byte budget; telemetry is evicted oldest first beyond it, events never. */
    budgetBytes: z.number().int().min(1_048_576),
  }),
  api: z
    .strictObject({
      /** 127.0.0.1 unless you mean to expose it. */
      bind: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      /** People who may act on alarms (acknowledge, silence, shelve, reset) with a bearer token. */
      users: z.array(ApiUserSchema).optional(),
    })
    .default({ bind: '127.0.0.1', port: 8080 }),
  /** Site-level alarms (k-out-of-n votes across detectors); ids "site/<name>". */
  alarms: SiteAlarmsSchema.optional(),
  /** Local sounders, strobes, lamps and relays, and the physical acknowledge/reset inputs. */
  outputs: OutputsSchema.optional(),
  /** Safety interlocks (安全联锁) driven by alarms. */
  interlocks: z.array(InterlockSchema).optional(),
  schedules: SchedulesSchema.optional(),
  /** Fire alarm control panels speaking GB/T 26875.3 (docs/fire-panels.md, drivers/fire-panel/README.md). */
  firePanels: FirePanelsSchema.optional(),
  /**
   * The link to a fire remote-monitoring centre (Vigil as a user information transmission device,
   * GB/T 26875.3), independent of MQTT with its own durable queue (gateway/forward/uitd/README.md).
   */
  fireCentre: UitdConfigSchema.optional(),
  /** Electricity monitoring for production safety: 15-minute energy, shutdown windows, baseline (docs/electricity.md). */
  electricity: ElectricitySchema.optional(),
  /** Extra profile directories (site-specific models), searched before the built-in ones. */
  profileDirs: z.array(z.string().min(1)).optional(),
});

export type SiteConfig = z.infer<typeof SiteConfigSchema>;
export type BusConfig = z.infer<typeof BusSchema>;
export type RtuBusConfig = z.infer<typeof RtuBusSchema>;
export type TcpBusConfig = z.infer<typeof TcpBusSchema>;
export type DeviceConfig = z.infer<typeof DeviceSchema>;
export type MqttConfig = z.infer<typeof MqttSchema>;
export type MqttTlsConfig = z.infer<typeof MqttTlsSchema>;
export type PointOverride = z.infer<typeof PointOverrideSchema>;
export type SecretRef = z.infer<typeof SecretRefSchema>;
