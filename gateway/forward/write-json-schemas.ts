import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageJsonSchemas, renderSchemaFile } from './json-schemas.js';

/** Writes docs/schemas/{telemetry,events,state}.schema.json from the zod payload schemas. */
export function writeMessageJsonSchemas(dir: string): string[] {
  const written: string[] = [];
  for (const [file, schema] of Object.entries(messageJsonSchemas())) {
    const path = join(dir, file);
    writeFileSync(path, renderSchemaFile(schema));
    written.push(path);
  }
  return written;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Works from the source tree (gateway/forward) and from dist (dist/gateway/forward): find docs/ upwards.
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.includes('/dist/') ? join(here, '../../..') : join(here, '../..');
  for (const p of writeMessageJsonSchemas(join(root, 'docs/schemas'))) console.log(`wrote ${p}`);
}
