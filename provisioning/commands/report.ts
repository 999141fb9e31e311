/**
 * `vigil report --config site.yaml [--walk-test walk-test.json] [--out report.html] [--pdf]`:
 * the commissioning report (docs/report.md). The site file must load as the gateway would load
 * it (the report documents a configuration that runs); a walk-test record, when given, must be
 * valid. The HTML is written first; the PDF is printed from it by Chromium when present.
 *
 * Exit codes: 0 written; 1 nothing written (the site file or the record is wrong, or the output
 * cannot be written); 2 the HTML was written but the PDF was not (no Chromium, or it failed).
 */
import { writeFileSync } from 'node:fs';
import { loadSiteConfig, type LoadOptions } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { VERSION } from '../../gateway/runtime/version.js';
import { findChromium, printPdf, PdfError, CHROMIUM_CANDIDATES } from '../report/pdf.js';
import { renderReport } from '../report/render.js';
import { buildReportData } from '../report/report-data.js';
import { otherInstallation, readWalkTestRecord, WalkTestInputError, type WalkTestRecord } from '../report/walk-test-input.js';

export interface ReportOptions {
  config: string;
  walkTest?: string;
  out: string;
  pdf?: boolean;
}

export interface ReportIo {
  log(line: string): void;
  error(line: string): void;
  now(): Date;
  /** Where to look for Chromium; tests pass [] to see the no-Chromium path. */
  chromiumCandidates?: readonly string[];
  load?: LoadOptions;
}

export const consoleReportIo: ReportIo = { log: (l) => console.log(l), error: (l) => console.error(l), now: () => new Date() };

export function pdfPathFor(htmlFile: string): string {
  return /\.html?$/i.test(htmlFile) ? htmlFile.replace(/\.html?$/i, '.pdf') : `${htmlFile}.pdf`;
}

export async function reportCommand(opts: ReportOptions, io: ReportIo = consoleReportIo): Promise<number> {
  const loaded = loadSiteConfig(opts.config, io.load ?? {});
  if (!loaded.ok) {
    for (const p of loaded.problems) io.error(formatProblem(p));
    io.error(`${opts.config}: the site file does not load (${loaded.problems.length} error(s)); fix it (vigil validate ${opts.config}) — no report written`);
    return 1;
  }
  let walkTest: { file: string; record: WalkTestRecord } | undefined;
  if (opts.walkTest !== undefined) {
    try {
      const record = readWalkTestRecord(opts.walkTest);
      const other = otherInstallation(record, loaded.config.site.id, loaded.config.gateway.id);
      if (other) throw new WalkTestInputError(`${opts.walkTest}: ${other} — give the record of this gateway's walk test`);
      walkTest = { file: opts.walkTest, record };
    } catch (e) {
      if (!(e instanceof WalkTestInputError)) throw e;
      io.error(e.message);
      io.error('no report written');
      return 1;
    }
  }
  const data = buildReportData({
    siteFile: opts.config,
    config: loaded.config,
    profiles: loaded.profiles,
    warnings: loaded.warnings,
    formatProblem,
    generatedAt: io.now(),
    vigilVersion: VERSION,
    ...(walkTest ? { walkTest } : {}),
  });
  for (const m of data.walkTest?.mismatches ?? []) io.error(`${opts.walkTest}: ${m} [warning, shown in the report]`);
  try {
    writeFileSync(opts.out, renderReport(data));
  } catch (e) {
    io.error(`${opts.out}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    return 1;
  }
  io.log(`wrote ${opts.out}`);
  if (!opts.pdf) return 0;

  const candidates = io.chromiumCandidates ?? CHROMIUM_CANDIDATES;
  const chromium = findChromium(candidates);
  if (!chromium) {
    io.error(`no PDF: printing to PDF needs Chromium (looked for ${candidates.join(', ') || 'nothing'}; install it with: sudo apt-get install chromium). The HTML report was written to ${opts.out} — open it in any browser and print it.`);
    return 2;
  }
  const pdf = pdfPathFor(opts.out);
  try {
    await printPdf(chromium, opts.out, pdf);
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    io.error(`no PDF: ${e.message}. The HTML report was written to ${opts.out}.`);
    return 2;
  }
  io.log(`wrote ${pdf}`);
  return 0;
}
