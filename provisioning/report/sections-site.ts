/**
 * Report sections about what is installed: the identity block, the buses, the devices and each
 * device's register map with the read plan the gateway polls it with.
 */
import { resolvePoints, type ResolvedPoint } from '../../drivers/modbus/codecs.js';
import { FUNCTION_CODES } from '../../drivers/modbus/planner.js';
import { planDevice } from '../../gateway/config/bus-budget.js';
import type { BusConfig, DeviceConfig } from '../../gateway/config/schema.js';
import { html, table, type Html } from './html.js';
import type { ReportData } from './report-data.js';

export const formatDateTime = (d: Date): string => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export function identitySection(d: ReportData): Html {
  const { site, gateway } = d.config;
  const wt = d.walkTest?.record;
  const rows: [string, string][] = [
    ['Site', `${site.name} (${site.id})`],
    ['Gateway', gateway.name ? `${gateway.name} (${gateway.id})` : gateway.id],
    ['Report generated', formatDateTime(d.generatedAt)],
    ['Vigil version', d.vigilVersion],
    ['Site file', d.siteFile],
    ['Walk test', wt ? `${formatDateTime(new Date(wt.startedAt))} by ${wt.installer} (${d.walkTest!.file})` : 'not included in this report'],
  ];
  return html`<section id="identity"><h1>Commissioning report — ${site.name}</h1>
<dl class="identity">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`;
}

export function busDescription(b: BusConfig): string {
  if (b.type === 'tcp') return `Modbus TCP ${b.host}:${b.port}`;
  return `Modbus RTU ${b.port}, ${b.baudRate} baud ${b.dataBits}${b.parity[0]!.toUpperCase()}${b.stopBits}`;
}

export function busesSection(d: ReportData): Html {
  const rows = d.config.buses.map((b) => [b.name, busDescription(b), `${b.timeoutMs} ms`, String(b.retries), `${b.interRequestDelayMs} ms`, b.description ?? '']);
  return html`<section id="buses"><h2>Buses</h2>${table(['bus', 'line', 'timeout', 'retries', 'inter-request delay', 'description'], rows)}</section>`;
}

export const pollPeriod = (ms: number): string => (ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

export function devicesSection(d: ReportData): Html {
  const rows = d.config.devices.map((dev) => {
    const p = d.profiles.get(dev.profile);
    return [dev.name, dev.bus, String(dev.unitId), dev.profile, p ? `${p.vendor} ${p.model}` : '', pollPeriod(dev.pollMs), dev.description ?? ''];
  });
  return html`<section id="devices"><h2>Devices</h2>${table(['device', 'bus', 'unit', 'profile', 'model', 'poll period', 'description'], rows)}</section>`;
}

function scaleCell(p: ResolvedPoint): string {
  if (p.type === 'bool' || p.enum) return '';
  const parts = [p.scale !== 1 ? `× ${p.scale}` : '', p.offset !== 0 ? `${p.offset > 0 ? '+' : '−'} ${Math.abs(p.offset)}` : ''].filter(Boolean);
  return parts.join(' ');
}

function typeCell(p: ResolvedPoint): string {
  const bit = p.bit !== undefined ? ` bit ${p.bit}` : '';
  const order = p.width === 2 ? ` ${p.byteOrder}` : '';
  return `${p.type}${bit}${order}`;
}

function meaningCell(p: ResolvedPoint): string {
  const range = p.range ? `range ${p.range.min}–${p.range.max}` : '';
  const en = p.enum ? Object.entries(p.enum).map(([k, v]) => `${k}=${v}`).join(', ') : '';
  return [p.description ?? '', range, en].filter(Boolean).join('; ');
}

function registerMap(dev: DeviceConfig, index: number, d: ReportData): Html {
  const profile = d.profiles.get(dev.profile);
  if (!profile) return html`<p class="problem">Profile ${dev.profile} not found.</p>`;
  const points = resolvePoints(profile, dev.points);
  const disabled = profile.points.filter((p) => dev.points?.[p.name]?.enabled === false).map((p) => p.name);
  const rows = points.map((p) => [p.name, p.table, String(p.address), typeCell(p), scaleCell(p), p.unit ?? '', p.access ?? 'read', meaningCell(p)]);
  const plan = planDevice(dev, index, d.profiles)?.plan ?? [];
  const planRows = plan.map((r, i) => [
    String(i + 1),
    `FC${String(FUNCTION_CODES[r.table]).padStart(2, '0')}`,
    r.table,
    r.count === 1 ? String(r.address) : `${r.address}–${r.address + r.count - 1}`,
    String(r.count),
    r.items.map((it) => it.key).join(', '),
  ]);
  return html`<section class="device"><h3>${dev.name} <span class="sub">— ${profile.vendor} ${profile.model}, unit ${dev.unitId} on ${dev.bus}</span></h3>
${table(['point', 'table', 'address', 'type', 'scale', 'unit', 'access', 'meaning'], rows, 'registers')}
${disabled.length > 0 ? html`<p class="note">Disabled in the site file (not polled): ${disabled.join(', ')}.</p>` : ''}
<h4>Read plan: ${plan.length} ${plan.length === 1 ? 'request' : 'requests'} per poll, every ${pollPeriod(dev.pollMs)}</h4>
${table(['#', 'function', 'table', 'addresses', 'count', 'points'], planRows, 'plan')}</section>`;
}

export function registerMapsSection(d: ReportData): Html {
  return html`<section id="register-maps" class="page-break"><h2>Register maps</h2>
<p class="note">Addresses are protocol (0-based) addresses as sent on the wire. The read plan is the one the gateway polls with (adjacent registers coalesced, at most 125 registers or 2000 bits per request).</p>
${d.config.devices.map((dev, i) => registerMap(dev, i, d))}</section>`;
}
