import type { ScenarioResult } from './rig-test.js';

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub test reporters): one testsuite, a
 * testcase per scenario with its time in seconds, <failure message=…> naming the failing step,
 * <skipped message=…> with the reason, and the steps and figures in <system-out>.
 */
export function junitXml(suite: { name: string; timestamp: string; hostname: string }, results: readonly ScenarioResult[]): string {
  const failures = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const total = results.reduce((s, r) => s + r.ms, 0);
  const cases = results.map((r) => {
    const body: string[] = [];
    if (r.status === 'failed') body.push(`    <failure message="${esc(r.message ?? 'failed')}" type="ScenarioFailed">${esc(stepLines(r))}</failure>`);
    if (r.status === 'skipped') body.push(`    <skipped message="${esc(r.message ?? 'skipped')}"/>`);
    if (r.status !== 'skipped') body.push(`    <system-out>${esc(stepLines(r))}</system-out>`);
    return `  <testcase classname="hil.${esc(suite.name)}" name="${esc(r.name)}" time="${secs(r.ms)}">\n${body.join('\n')}\n  </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="vigil-hil" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(total)}">
<testsuite name="${esc(suite.name)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(total)}" timestamp="${esc(suite.timestamp)}" hostname="${esc(suite.hostname)}">
${cases.join('\n')}
</testsuite>
</testsuites>
`;
}

function stepLines(r: ScenarioResult): string {
  const steps = r.steps.map((s) => `${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${Math.round(s.ms)} ms)${s.error ? `: ${s.error}` : ''}`);
  const figures = r.figures.map((f) => `figure: ${f.name} = ${Math.round(f.value)} ${f.unit}${f.bound ? ` (bound ${f.bound})` : ''}`);
  return [...steps, ...figures].join('\n');
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

/** XML attribute/text escaping; control characters other than tab/newline are not allowed in XML 1.0. */
export function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
