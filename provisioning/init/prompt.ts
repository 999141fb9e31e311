/**
 * The questions `vigil init` asks on a terminal: the template, then the few values a template
 * needs (identity, serial port(s), baud rate, broker, fire centre). Each answer is checked with
 * the same rule as its flag and asked again until it passes; Enter takes the default shown.
 * `ask` is injected so the questions are tested without a terminal.
 */
import { CHECKS, DEFAULTS, TEMPLATE_NAMES, TEMPLATES, type RawAnswers, type TemplateName } from './answers.js';

export type Ask = (question: string) => Promise<string>;

/** Asks until the answer passes `check`; '' takes `def` (when there is one). */
async function askChecked(ask: Ask, say: (l: string) => void, label: string, def: string | undefined, check: (v: string) => string | undefined): Promise<string | undefined> {
  for (;;) {
    const raw = (await ask(`${label}${def !== undefined ? ` [${def}]` : ''}: `)).trim();
    const value = raw === '' ? def : raw;
    if (value === undefined) return undefined;
    const why = check(value);
    if (!why) return value;
    say(`  ${why}`);
  }
}

async function askTemplate(ask: Ask, say: (l: string) => void, given: string | undefined): Promise<TemplateName> {
  say('Which kind of site?');
  TEMPLATE_NAMES.forEach((t, i) => say(`  ${i + 1}. ${t} — ${TEMPLATES[t]}`));
  const def = given !== undefined && given in TEMPLATES ? given : undefined;
  const byNumber = (v: string): string => (/^\d+$/.test(v) ? (TEMPLATE_NAMES[Number(v) - 1] ?? v) : v);
  for (;;) {
    const value = await askChecked(ask, say, `Template (1–${TEMPLATE_NAMES.length} or a name)`, def, (v) => CHECKS.template(byNumber(v)));
    if (value !== undefined) return byNumber(value) as TemplateName;
    say('  a template is needed');
  }
}

/** Prompts for every answer, offering the flags' values (or the defaults) as defaults. */
export async function promptAnswers(ask: Ask, say: (l: string) => void, given: RawAnswers): Promise<RawAnswers> {
  const template = await askTemplate(ask, say, given.template);
  const siteId = await askChecked(ask, say, 'Site id (lower case, digits, - and _)', given.siteId ?? DEFAULTS.siteId, CHECKS.siteId);
  const out: RawAnswers = { template, ...(siteId !== undefined ? { siteId } : {}) };
  const siteName = await askChecked(ask, say, 'Site name', given.siteName ?? `Site ${siteId ?? DEFAULTS.siteId}`, CHECKS.siteName);
  if (siteName !== undefined) out.siteName = siteName;
  const gatewayId = await askChecked(ask, say, 'Gateway id', given.gatewayId ?? DEFAULTS.gatewayId, CHECKS.gatewayId);
  if (gatewayId !== undefined) out.gatewayId = gatewayId;
  const portLabel = template === 'major-hazard' ? 'Serial port of RS-485 line 1 (combustible gas)' : 'Serial port of the RS-485 line';
  const port = await askChecked(ask, say, portLabel, given.port ?? DEFAULTS.port, CHECKS.port);
  if (port !== undefined) out.port = port;
  if (template === 'major-hazard') {
    const port2 = await askChecked(ask, say, 'Serial port of RS-485 line 2 (toxic gas)', given.port2 ?? DEFAULTS.port2, (v) => CHECKS.port(v) ?? (v === port ? 'line 2 needs its own serial port' : undefined));
    if (port2 !== undefined) out.port2 = port2;
  }
  const baud = await askChecked(ask, say, 'Baud rate (as set on the devices)', given.baud ?? DEFAULTS.baud, CHECKS.baud);
  if (baud !== undefined) out.baud = baud;
  const broker = await askChecked(ask, say, 'MQTT broker URL (Enter: none, offline-only for now)', given.broker, CHECKS.broker);
  if (broker !== undefined) out.broker = broker;
  if (template === 'fire-panel-bridge') {
    const centre = await askChecked(ask, say, 'Fire monitoring centre host:port', given.centre ?? DEFAULTS.centre, CHECKS.centre);
    if (centre !== undefined) out.centre = centre;
  }
  return out;
}
