/**
 * PDF from the HTML report with headless Chromium's own print-to-PDF (no npm dependency: the
 * page is already print-ready, see styles.ts). Chromium is optional: without it the HTML is the
 * report and the caller says how to get a PDF.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where Debian and Raspberry Pi OS put Chromium (`apt-get install chromium`). */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

export function findChromium(candidates: readonly string[] = CHROMIUM_CANDIDATES): string | undefined {
  return candidates.find((c) => existsSync(c));
}

/** A Pi 4 renders a report of a few pages in a few seconds; this bounds a hung browser. */
export const PDF_TIMEOUT_MS = 90_000;

export class PdfError extends Error {}

/** Prints `htmlFile` to `pdfFile` with Chromium; throws PdfError saying what went wrong. */
export async function printPdf(chromium: string, htmlFile: string, pdfFile: string, timeoutMs = PDF_TIMEOUT_MS): Promise<void> {
  // Its own profile directory: a second Chromium (the console tests, a desktop session) must not
  // share or lock it, and nothing of the run is left behind.
  const profile = mkdtempSync(join(tmpdir(), 'vigil-report-chromium-'));
  const args = [
    '--headless',
    // Root on a gateway or in CI cannot use Chromium's sandbox; the page is our own file, with no script.
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${resolve(pdfFile)}`,
    pathToFileURL(resolve(htmlFile)).href,
  ];
  try {
    await new Promise<void>((ok, fail) => {
      execFile(chromium, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => {
        if (err) {
          const why = err.killed ? `did not finish within ${timeoutMs / 1000} s` : `exited with ${err.code ?? err.signal ?? err.message}`;
          const detail = stderr.trim().split('\n').slice(-3).join(' | ');
          fail(new PdfError(`${chromium} ${why}${detail ? `: ${detail}` : ''}`));
        } else ok();
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  if (!existsSync(pdfFile) || statSync(pdfFile).size === 0) throw new PdfError(`${chromium} ran but wrote no PDF to ${pdfFile}`);
}
