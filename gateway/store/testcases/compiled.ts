import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../paths.js';

/**
 * Tests that cross a thread or process boundary (the worker entry, the SIGKILL child) run
 * the compiled code in dist/, because Node 20 cannot execute .ts. This makes sure that code
 * exists and is not older than the sources it was built from, so a test never passes or
 * fails against a stale build. `npm test` builds first (pretest); by hand: `npx tsc -p tsconfig.json`.
 */
export function compiledPath(distRelative: string): string {
  const root = packageRoot();
  const file = join(root, 'dist', distRelative);
  const howTo = 'run `npm run build` (or `npx tsc -p tsconfig.json`) first';
  if (!existsSync(file)) throw new Error(`${file} does not exist: ${howTo}`);
  const built = statSync(file).mtimeMs;
  const storeDir = join(root, 'gateway', 'store');
  const sources = [
    ...readdirSync(storeDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(storeDir, f)),
    ...['readings.ts', 'errors.ts', 'paths.ts'].map((f) => join(root, 'gateway', f)),
    join(root, 'rules', 'model.ts'), // ALARM_STATES, used by validate-alarms.ts
  ];
  const newer = sources.filter((s) => statSync(s).mtimeMs > built);
  if (newer.length > 0) throw new Error(`${file} is older than ${newer.join(', ')}: ${howTo}`);
  return file;
}

export async function importCompiled<T>(distRelative: string): Promise<T> {
  return (await import(pathToFileURL(compiledPath(distRelative)).href)) as T;
}
