/**
 * What `vigil init` needs to know, from flags or prompts, and the checks each answer gets before
 * anything is written: the same rules the site file schema applies (gateway/config/schema.ts),
 * so a file `vigil init` writes never fails `vigil validate` on a value the installer typed.
 * Nothing is defaulted silently: every default is named here and shown in the prompt.
 */
import { UitdConfigSchema } from '../../gateway/forward/uitd/config-schema.js';
import { MqttSchema, RtuBusSchema, SiteConfigSchema } from '../../gateway/config/schema.js';

export const TEMPLATES = {
  'small-gas': 'small gas site: combustible and CO detectors on one RS-485 line, sounder, strobe, a gas shut-off valve interlock',
  'major-hazard': 'hazardous-chemical major hazard: combustible and toxic detectors on two RS-485 lines, two-level alarms, a 2-out-of-3 vote closing an emergency shut-off valve',
  'electrical-fire': 'electrical-fire monitoring: residual-current and cable-temperature monitors on one RS-485 line, sounder and strobe, no tripping',
  'fire-panel-bridge': 'fire-panel bridge: a fire alarm control panel (GB/T 26875.3) to a fire monitoring centre, plus an electrical-fire monitor',
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export interface InitAnswers {
  template: TemplateName;
  siteId: string;
  siteName: string;
  gatewayId: string;
  /** The (first) RS-485 line's serial port. */
  port: string;
  /** The second RS-485 line (major-hazard only). */
  port2: string;
  baudRate: number;
  /** MQTT broker URL; absent: the site runs offline-only until a cloud section is added. */
  broker?: string;
  /** The fire monitoring centre as host:port (fire-panel-bridge only). */
  centre: { host: string; port: number };
  /** The secrets file's name, relative to the site file. */
  secretsFile: string;
}

/** Flag values as commander hands them over: text, or absent. */
export interface RawAnswers {
  template?: string;
  siteId?: string;
  siteName?: string;
  gatewayId?: string;
  port?: string;
  port2?: string;
  baud?: string;
  broker?: string;
  centre?: string;
}

/** The defaults the prompts offer and the flags fall back to. */
export const DEFAULTS = {
  siteId: 'my-site',
  gatewayId: 'gw-1',
  port: '/dev/ttyUSB0',
  port2: '/dev/ttyUSB1',
  baud: '9600',
  // `.invalid` never resolves (RFC 6761 §6.4): until it is edited the centre link shows a
  // transmission fault that sounds, instead of sending fire alarms to a stranger.
  centre: 'fire-centre.invalid:5000',
} as const;

type Check = (value: string) => string | undefined;

const ID_RULE = SiteConfigSchema.shape.site.shape.id;
const BAUD_RATES = [...RtuBusSchema.shape.baudRate.values].sort((a, b) => a - b);

/** One check per answer; each returns the problem, or undefined when the value is fine. */
export const CHECKS = {
  template: (v: string) => (v in TEMPLATES ? undefined : `"${v}" is not a template; choose one of ${TEMPLATE_NAMES.join(', ')}`),
  siteId: (v: string) => (ID_RULE.safeParse(v).success ? undefined : `"${v}" is not a site id: lower case letters, digits, - and _, starting with a letter or digit`),
  siteName: (v: string) => (v.trim() !== '' && !/[\n\r]/.test(v) ? undefined : 'a site name is one line of text, not empty'),
  gatewayId: (v: string) => (ID_RULE.safeParse(v).success ? undefined : `"${v}" is not a gateway id: lower case letters, digits, - and _, starting with a letter or digit`),
  port: (v: string) => (/^\/\S+$/.test(v) ? undefined : `"${v}" is not a serial port path such as /dev/ttyUSB0 or /dev/serial/by-id/usb-…`),
  baud: (v: string) =>
    /^\d+$/.test(v) && BAUD_RATES.includes(Number(v) as (typeof BAUD_RATES)[number]) ? undefined : `"${v}" is not a baud rate; one of ${BAUD_RATES.join(', ')}`,
  broker: (v: string) => (MqttSchema.shape.url.safeParse(v).success ? undefined : `"${v}" is not an MQTT URL such as mqtts://broker.example.com:8883`),
  centre: (v: string) => (parseCentre(v) ? undefined : `"${v}" is not host:port (port 1–65535), e.g. 10.0.0.7:5000`),
} satisfies Record<string, Check>;

function parseCentre(v: string): { host: string; port: number } | undefined {
  const m = /^([^\s:]+):(\d{1,5})$/.exec(v);
  if (!m) return undefined;
  const port = Number(m[2]);
  const centre = UitdConfigSchema.shape.centre.safeParse({ host: m[1], port });
  return centre.success ? { host: centre.data.host, port: centre.data.port } : undefined;
}

/** The flag each answer comes from, for messages. */
const FLAG: Record<keyof typeof CHECKS, string> = {
  template: '--template',
  siteId: '--site-id',
  siteName: '--site-name',
  gatewayId: '--gateway-id',
  port: '--port',
  baud: '--baud',
  broker: '--broker',
  centre: '--centre',
};

/**
 * Flags (or prompt answers) → checked answers, or every problem, each naming its flag.
 * `secretsFile` is derived from the site file's name by the caller.
 */
export function checkAnswers(raw: RawAnswers, secretsFile: string): { ok: true; answers: InitAnswers } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const take = (key: keyof typeof CHECKS, value: string | undefined, flag = FLAG[key]): string | undefined => {
    if (value === undefined) return undefined;
    const why = CHECKS[key](value);
    if (why) problems.push(`${flag}: ${why}`);
    return value;
  };
  const template = take('template', raw.template);
  if (template === undefined) problems.push(`--template: required; one of ${TEMPLATE_NAMES.join(', ')}`);
  const siteId = take('siteId', raw.siteId) ?? DEFAULTS.siteId;
  const siteName = take('siteName', raw.siteName) ?? `Site ${siteId}`;
  const gatewayId = take('gatewayId', raw.gatewayId) ?? DEFAULTS.gatewayId;
  const port = take('port', raw.port) ?? DEFAULTS.port;
  const port2 = take('port', raw.port2, '--port2') ?? DEFAULTS.port2;
  const baud = take('baud', raw.baud) ?? DEFAULTS.baud;
  const broker = take('broker', raw.broker);
  const centre = take('centre', raw.centre) ?? DEFAULTS.centre;
  const known = template !== undefined && template in TEMPLATES ? template : undefined;
  if (port === port2 && template === 'major-hazard') problems.push(`--port2: "${port2}" is also --port; the two RS-485 lines need two serial ports`);
  // A flag the template has no place for is refused, not dropped: the installer meant something by it.
  if (raw.port2 !== undefined && known !== undefined && known !== 'major-hazard') problems.push(`--port2: only the major-hazard template has a second RS-485 line`);
  if (raw.centre !== undefined && known !== undefined && known !== 'fire-panel-bridge') problems.push(`--centre: only the fire-panel-bridge template has a fire monitoring centre`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    answers: {
      template: template as TemplateName,
      siteId,
      siteName,
      gatewayId,
      port,
      port2,
      baudRate: Number(baud),
      ...(broker !== undefined ? { broker } : {}),
      centre: parseCentre(centre)!,
      secretsFile,
    },
  };
}
