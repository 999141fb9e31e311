/**
 * The report's one stylesheet, inlined in the page: no external asset, so the file can be mailed,
 * archived and opened years later. Print rules keep tables and plots from splitting across
 * pages and start the big sections on a new page.
 */
export const REPORT_CSS = `
:root { --fg: #1a1a1a; --muted: #555; --line: #bbb; --pass: #1b7a2e; --fail: #b3161b; --warn: #9a6200; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", Arial, sans-serif; color: var(--fg); margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 .5em; }
h2 { font-size: 14pt; border-bottom: 2px solid var(--fg); padding-bottom: .2em; margin-top: 1.6em; }
h3 { font-size: 11.5pt; margin: 1.2em 0 .4em; }
h4 { font-size: 10.5pt; margin: .8em 0 .3em; }
.sub { font-weight: normal; color: var(--muted); }
.note, .none { color: var(--muted); }
dl.identity { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1.2em; }
dl.identity dt { font-weight: bold; }
dl.identity dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; font-size: 9.5pt; }
th, td { border: 1px solid var(--line); padding: .2em .4em; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #eee; }
tr, figure, .device h3, .device h4 { break-inside: avoid; page-break-inside: avoid; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
.verdict { font-weight: bold; }
.verdict.pass { color: var(--pass); } .verdict.fail { color: var(--fail); } .verdict.warn { color: var(--warn); }
.prio { font-weight: bold; padding: 0 .3em; border-radius: 2px; }
.prio-red { background: #d32f2f; color: #fff; } .prio-orange { background: #f57c00; color: #fff; }
.prio-yellow { background: #fbc02d; color: #000; } .prio-blue { background: #1976d2; color: #fff; }
.warnings { border: 1px solid var(--warn); padding: .3em .8em; margin: .6em 0; }
figure.detector { margin: 1em 0; }
figure.detector figcaption { margin-bottom: .3em; }
svg.plot { max-width: 100%; height: auto; font-size: 10px; }
svg.plot .axes line { stroke: #333; stroke-width: 1; }
svg.plot .axes line.grid { stroke: #ddd; }
svg.plot text { fill: #333; }
svg.plot .series { fill: none; stroke: #1565c0; stroke-width: 1.8; }
svg.plot .series-dot { fill: #1565c0; }
svg.plot .threshold line { stroke: var(--fail); stroke-width: 1.2; stroke-dasharray: 6 4; }
svg.plot .threshold text { fill: var(--fail); }
svg.plot .alarm-at line { stroke: var(--warn); stroke-width: 1; stroke-dasharray: 2 3; }
svg.plot .alarm-at text { fill: var(--warn); }
svg.plot .empty { fill: var(--muted); font-size: 14px; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 2em; margin-top: 1em; break-inside: avoid; page-break-inside: avoid; }
.signature p { margin: 1.6em 0 0; border-top: 1px solid var(--fg); padding-top: .2em; color: var(--muted); }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  .page-break { break-before: page; page-break-before: always; }
  a { color: inherit; text-decoration: none; }
}
`;
