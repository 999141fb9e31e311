/**
 * The walk-test results: each output confirmed by the installer or not, each detector's time to
 * alarm, peak and verdict, and a plot of its readings during the test with the alarm's set
 * points (from the site file's resolved alarms, so the line is the threshold the gateway used).
 */
import type { ResolvedAlarm } from '../../rules/model.js';
import { html, table, type Html } from './html.js';
import type { ReportData } from './report-data.js';
import { formatDateTime } from './sections-site.js';
import { readingsPlot, type PlotLine } from './svg-plot.js';
import type { WalkTestDetector } from './walk-test-input.js';

const verdict = (ok: boolean, yes: string, no: string): Html => html`<span class="verdict ${ok ? 'pass' : 'fail'}">${ok ? yes : no}</span>`;

/**
 * The set points to draw: every high/low alarm of the device on the tested point (a gas
 * detector's first and second level) as the site file resolves them, the tested one first. When
 * the site file no longer has the tested alarm, the set point the record carries is drawn.
 */
export function thresholdLines(detector: WalkTestDetector, alarms: readonly ResolvedAlarm[]): PlotLine[] {
  const lines = alarms
    .filter((a) => a.device === detector.device && (a.def.kind === 'high' || a.def.kind === 'low') && a.def.point === detector.point)
    .sort((a, b) => (a.id === detector.alarmId ? -1 : b.id === detector.alarmId ? 1 : 0))
    .map((a) => ({ label: a.id.slice(a.id.indexOf('/') + 1), value: (a.def as { setpoint: number }).setpoint }));
  if (lines.length > 0 || detector.setpoint === null) return lines;
  return [{ label: `${detector.alarmId.slice(detector.alarmId.indexOf('/') + 1)} (from the record)`, value: detector.setpoint }];
}

function outputResult(confirmed: boolean | null): Html {
  if (confirmed === null) return html`<span class="verdict fail">NOT tested</span>`;
  return verdict(confirmed, 'confirmed', 'NOT confirmed');
}

const seconds = (v: number | null): string => (v === null ? 'no alarm' : `${(v / 1000).toFixed(1)} s`);

function detectorBlock(det: WalkTestDetector, alarms: readonly ResolvedAlarm[]): Html {
  const unit = det.unit ?? '';
  return html`<figure class="detector"><figcaption><strong>${det.device}</strong> — ${det.alarmId}: ${verdict(det.passed, 'PASS', 'FAIL')}, ${det.timeToAlarmMs === null ? 'no alarm' : `time to alarm ${seconds(det.timeToAlarmMs)}`}, peak ${
    det.peak === null ? 'none' : `${det.peak}${unit ? ` ${unit}` : ''}`
  }${det.reason ? ` — ${det.reason}` : ''}</figcaption>
${readingsPlot({ readings: det.readings, thresholds: thresholdLines(det, alarms), unit, alarmAtMs: det.timeToAlarmMs, title: `${det.device}: readings during its walk test` })}</figure>`;
}

export function walkTestSection(d: ReportData): Html {
  if (!d.walkTest) {
    return html`<section id="walk-test" class="page-break"><h2>Walk test</h2><p class="none">No walk-test record was given (vigil report --walk-test walk-test.json). Outputs and detectors have not been shown to work in this report.</p></section>`;
  }
  const { record, mismatches, file } = d.walkTest;
  const outputs = record.outputs.map((o) => [o.name, o.kind, outputResult(o.confirmed), o.note ?? '']);
  const detectors = record.detectors.map((det) => [
    det.device,
    det.point,
    det.alarmId,
    seconds(det.timeToAlarmMs),
    det.peak === null ? '—' : `${det.peak}${det.unit ? ` ${det.unit}` : ''}`,
    verdict(det.passed, 'PASS', 'FAIL'),
    det.reason ?? '',
  ]);
  const failed = record.outputs.filter((o) => o.confirmed !== true).length + record.detectors.filter((x) => !x.passed).length;
  return html`<section id="walk-test" class="page-break"><h2>Walk test</h2>
<p>Started ${formatDateTime(new Date(record.startedAt))}, finished ${formatDateTime(new Date(record.endedAt))}, by ${record.installer} (record: ${file}). ${verdict(failed === 0, 'Every step passed.', `${failed} ${failed === 1 ? 'step' : 'steps'} did not pass.`)}</p>
${mismatches.length > 0 ? html`<div class="warnings"><p><strong>The record does not match this site file:</strong></p><ul>${mismatches.map((m) => html`<li>${m}</li>`)}</ul></div>` : ''}
<h3>Outputs</h3>${table(['output', 'kind', 'installer', 'note'], outputs)}
<h3>Detectors</h3>${table(['device', 'point', 'alarm', 'time to alarm', 'peak', 'result', 'reason'], detectors)}
${record.detectors.map((det) => detectorBlock(det, d.alarms))}</section>`;
}
