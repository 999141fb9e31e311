/**
 * Report sections about what the gateway does with the readings: the thresholds (every alarm
 * as the engine runs it, after profile defaults and site overrides), the local outputs and
 * inputs, and the interlocks.
 */
import { resolvePoints } from '../../drivers/modbus/codecs.js';
import { PRIORITY_COLOUR, type AlarmDef } from '../../rules/definitions/schema.js';
import type { ResolvedAlarm } from '../../rules/model.js';
import { html, table, type Html } from './html.js';
import type { ReportData } from './report-data.js';

/** "<device>/<point>" → the point's unit after overrides, for the set point column. */
export function pointUnits(d: ReportData): Map<string, string> {
  const out = new Map<string, string>();
  for (const dev of d.config.devices) {
    const profile = d.profiles.get(dev.profile);
    if (!profile) continue;
    for (const p of resolvePoints(profile, dev.points)) if (p.unit) out.set(`${dev.name}/${p.name}`, p.unit);
  }
  return out;
}

const ms = (v: number): string => (v === 0 ? '0' : v % 1000 === 0 ? `${v / 1000} s` : `${v} ms`);

/** What makes the alarm active, in the point's units. */
export function condition(def: AlarmDef, unit: string): string {
  const u = unit ? ` ${unit}` : '';
  switch (def.kind) {
    case 'high':
      return `≥ ${def.setpoint}${u}${def.deadband ? ` (returns below ${def.setpoint - def.deadband}${u})` : ''}`;
    case 'low':
      return `≤ ${def.setpoint}${u}${def.deadband ? ` (returns above ${def.setpoint + def.deadband}${u})` : ''}`;
    case 'rate':
      return `${def.direction === 'either' ? 'changes' : def.direction === 'rise' ? 'rises' : 'falls'} faster than ${def.perMinute}${u}/min (over ${ms(def.windowMs)})`;
    case 'stale':
      return `no reading for ${ms(def.afterMs)}`;
    case 'quality':
      return 'reading not good (bad value, over range, no answer)';
    case 'state':
      return `value is ${def.activeWhen.map(String).join(' or ')}`;
    case 'communication':
      return 'device does not answer';
    case 'vote':
      return `${def.k} of ${def.of.length}: ${def.of.join(', ')}${def.faultCounts ? ' (a detector in fault counts as tripped)' : ''}`;
  }
}

function alarmRow(a: ResolvedAlarm, units: Map<string, string>): Html[] {
  const def = a.def;
  const point = 'point' in def && def.point !== undefined ? def.point : '';
  const unit = a.device && point ? (units.get(`${a.device}/${point}`) ?? '') : '';
  const colour = PRIORITY_COLOUR[def.priority];
  return [
    html`${def.name}`,
    html`${def.kind}`,
    html`${point}`,
    html`${condition(def, unit)}`,
    html`${ms(def.onDelayMs)} / ${ms(def.offDelayMs)}`,
    html`<span class="prio prio-${colour}">${def.priority} (${colour})</span>`,
    html`${def.class}`,
    html`${def.latch ? 'latched' : 'no'}`,
  ];
}

const ALARM_HEADER = ['alarm', 'kind', 'point', 'condition', 'on / off delay', 'priority', 'class', 'latch'];

export function thresholdsSection(d: ReportData): Html {
  const units = pointUnits(d);
  const groups = [...d.config.devices.map((dev) => dev.name), undefined].map((device) => ({ device, alarms: d.alarms.filter((a) => a.device === device) }));
  return html`<section id="thresholds" class="page-break"><h2>Thresholds and alarms</h2>
<p class="note">Every alarm the gateway evaluates (ids "&lt;device&gt;/&lt;alarm&gt;"), with the profile's defaults and this site file's changes applied. Priorities map to the red/orange/yellow/blue risk colours. A latched alarm stays on after its condition clears until a person resets it (GB/T 50493-2019 §5).</p>
${groups
  .filter((g) => g.alarms.length > 0)
  .map((g) => html`<h3>${g.device ?? 'Site-level alarms (site/…)'}</h3>${table(ALARM_HEADER, g.alarms.map((a) => alarmRow(a, units)), 'alarms')}`)}</section>`;
}

export function outputsSection(d: ReportData): Html {
  const outputs = d.config.outputs;
  if (!outputs) return html`<section id="outputs"><h2>Local outputs and inputs</h2><p class="none">The site file has no local outputs.</p></section>`;
  const driver = outputs.driver.kind === 'gpiod' ? `gpiod, ${outputs.driver.chip}` : 'virtual (nothing is switched)';
  const lines = outputs.lines.map((o) => [
    o.name,
    o.kind,
    `${o.line}${o.activeLow ? ' (active low)' : ''}`,
    o.failsafe,
    o.classes ? o.classes.join(', ') : o.kind === 'relay' || o.kind === 'watchdog' ? '—' : 'all but process',
    o.minPriority ?? (o.kind === 'relay' || o.kind === 'watchdog' ? '—' : 'low'),
    o.description ?? '',
  ]);
  const inputs = (outputs.inputs ?? []).map((i) => [i.name, i.action, `${i.line}${i.activeLow ? ' (active low)' : ''}`, i.bias, `${i.debounceMs} ms`, i.description ?? '']);
  return html`<section id="outputs"><h2>Local outputs and inputs</h2><p>GPIO driver: ${driver}.</p>
${table(['output', 'kind', 'line', 'failsafe', 'alarm classes', 'lowest priority', 'description'], lines)}
<h3>Inputs</h3>${table(['input', 'action', 'line', 'bias', 'debounce', 'description'], inputs)}</section>`;
}

export function interlocksSection(d: ReportData): Html {
  const rows = (d.config.interlocks ?? []).map((il) => [
    html`<strong>${il.name}</strong><br>${il.description}`,
    html`${il.when.join(', ')}`,
    html`${il.actions.map((a) =>
      'write' in a
        ? html`<div>write ${a.write.device}.${a.write.point} = ${String(a.write.value)}${a.write.releaseValue !== undefined ? `; on reset ${String(a.write.releaseValue)}` : '; stays on reset'}</div>`
        : html`<div>output ${a.output.name} ${a.output.value}${a.output.releaseOnReset ? '; released on reset' : '; stays on reset'}</div>`,
    )}`,
    html`${il.confirm ? `${il.confirm.device}.${il.confirm.point} = ${String(il.confirm.value)} within ${ms(il.confirm.withinMs)}` : 'read-back of each written point'}`,
    html`${String(il.retries)}`,
  ]);
  return html`<section id="interlocks"><h2>Interlocks</h2>${table(['interlock', 'tripped by', 'actions', 'confirmed by', 'retries'], rows)}</section>`;
}
