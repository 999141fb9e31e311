import { existsSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (no browser download: toolchain.md). The console
 * is tested in a real browser because what a person on duty sees is rendered DOM, not JSON.
 */

export const CHROMIUM_MISSING_HINT = 'install it with `sudo apt-get install -y chromium` (or run `node scripts/ensure-system-tools.mjs`, which `npm test` runs first)';

/** VIGIL_CHROMIUM overrides the path (another distribution's binary); otherwise Debian's. */
const CANDIDATES = [process.env.VIGIL_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(): string | undefined {
  return CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

/**
 * Why the browser test may be skipped here, or undefined when it must run. Chromium missing is a
 * failure on CI and for root (ensure-system-tools.mjs installs it there, so missing means that
 * step broke); only a non-root developer without it may skip, and is told how to install it.
 */
export function chromiumSkipReason(): string | undefined {
  if (findChromium() !== undefined) return undefined;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env.CI || isRoot) return undefined;
  return `the console browser test needs Chromium, which is not installed: ${CHROMIUM_MISSING_HINT}`;
}

/** Headless Chromium, closed when the test finishes (also when it fails). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    throw new Error(`Chromium not found (looked for ${CANDIDATES.filter(Boolean).join(', ')}): ${CHROMIUM_MISSING_HINT}`);
  }
  // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
  const browser = await chromium.launch({ executablePath, headless: true, timeout: 30_000, args: ['--no-sandbox'] });
  onTestFinished(async () => {
    await browser.close().catch(() => undefined);
  });
  return browser;
}
