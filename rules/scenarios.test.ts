import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadScenario, runScenario } from './engine/testing/scenario.js';

/**
 * Every folder in rules/testcases/ is a scenario: alarm definitions, an input time series and
 * the transitions a person would see (format: engine/testing/scenario.ts). A new regression
 * test is a new folder; nothing here changes.
 */
const TESTCASES = join(dirname(fileURLToPath(import.meta.url)), 'testcases');
const names = readdirSync(TESTCASES).filter((n) => statSync(join(TESTCASES, n)).isDirectory()).sort();

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('alarm scenarios (rules/testcases)', () => {
  it('there are scenarios to run', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  it.each(names)('%s', (name) => {
    const scenario = loadScenario(join(TESTCASES, name), name);
    expect(runScenario(scenario)).toEqual(scenario.expected);
  });
});
