import { chmodSync, copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { packageRoot } from '../paths.js';
import { loadSiteConfig } from './load.js';
import { formatProblem } from './problems.js';

/**
 * Every site file in examples/ must load with the real built-in profile catalog. The examples
 * are copied to a scratch directory with secrets.example.yaml as secrets.yaml (mode 0600),
 * which is exactly what the installer guide tells people to do.
 */
const examples = join(packageRoot(), 'examples');
const siteFiles = readdirSync(examples).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('secrets'));

describe('examples/', () => {
  it('has the small gas site', () => {
    expect(siteFiles).toContain('small-gas-site.yaml');
  });

  it('has the electricity-monitoring site (docs/electricity.md)', () => {
    expect(siteFiles).toContain('electricity-site.yaml');
  });

  it.each(siteFiles)('%s loads without errors or warnings', (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-examples-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(examples, dir, { recursive: true });
    copyFileSync(join(examples, 'secrets.example.yaml'), join(dir, 'secrets.yaml'));
    chmodSync(join(dir, 'secrets.yaml'), 0o600);
    const r = loadSiteConfig(join(dir, name), { env: {} });
    const shown = [...(r.ok ? [] : r.problems), ...r.warnings].map((p) => formatProblem(p).replace(`${dir}/`, ''));
    expect(shown).toEqual([]);
  });
});
