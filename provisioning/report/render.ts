/**
 * The commissioning report as one self-contained HTML page: inline CSS and SVG, no script, no
 * external asset, every name escaped (html.ts). The order follows a handover: who and where,
 * what is installed, how it is read, what raises an alarm, what the alarm drives, whether the
 * lines keep up, whether it was all shown to work — and the signatures.
 */
import { html, Html } from './html.js';
import type { ReportData } from './report-data.js';
import { busBudgetSection } from './sections-budget.js';
import { interlocksSection, outputsSection, thresholdsSection } from './sections-safety.js';
import { busesSection, devicesSection, identitySection, registerMapsSection } from './sections-site.js';
import { REPORT_CSS } from './styles.js';
import { walkTestSection } from './sections-walk-test.js';

function warningsSection(d: ReportData): Html {
  if (d.warnings.length === 0) return html``;
  return html`<section id="warnings" class="warnings"><h2>Warnings from the site file check</h2><ul>${d.warnings.map((w) => html`<li>${w}</li>`)}</ul></section>`;
}

function signatureSection(): Html {
  const block = (role: string) =>
    html`<div class="signature"><h3>${role}</h3><p>Name</p><p>Signature</p><p>Date</p></div>`;
  return html`<section id="signatures"><h2>Signatures</h2>
<p>The installer confirms that the gateway was installed and configured as described in this report and that the walk-test results are true. The site representative accepts the installation.</p>
<div class="signatures">${block('Installer')}${block('Site representative')}</div></section>`;
}

export function renderReport(d: ReportData): string {
  const body: Html[] = [
    identitySection(d),
    warningsSection(d),
    busesSection(d),
    devicesSection(d),
    registerMapsSection(d),
    thresholdsSection(d),
    outputsSection(d),
    interlocksSection(d),
    busBudgetSection(d),
    walkTestSection(d),
    signatureSection(),
  ];
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Vigil ${d.vigilVersion}">
<title>Commissioning report — ${d.config.site.name} — ${d.config.gateway.id}</title>
<style>${new Html(REPORT_CSS)}</style></head>
<body>
${body.map((s) => html`${s}\n`)}</body></html>
`.text;
}
