import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { packageRoot } from '../paths.js';
import { CONFIG_VERSION, SiteConfigSchema } from './schema.js';

/**
 * docs/site.schema.json is generated from the zod schema (the single source of truth), for
 * editors: with `# yaml-language-server: $schema=…` at the top of a site file, VS Code and
 * others complete keys and flag mistakes as the installer types. `io: 'input'` describes
 * what a person writes (keys with defaults are optional), not what the loader returns.
 * A test fails when the committed file is stale: run `npm run schema`.
 */
/** A URN: stable, absolute (as $id must be) and not tied to where the docs are hosted. */
export const SITE_SCHEMA_ID = `urn:vigil:site-config:v${CONFIG_VERSION}`;

export function siteJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(SiteConfigSchema, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: SITE_SCHEMA_ID, title: 'Vigil site file', description: 'Configuration of one Vigil gateway (docs/configuration.md).', ...rest };
}

/** The file's exact text: stable key order, two-space indent, final newline. */
export function siteJsonSchemaText(): string {
  return `${JSON.stringify(siteJsonSchema(), null, 2)}\n`;
}

export function siteJsonSchemaPath(): string {
  return join(packageRoot(), 'docs', 'site.schema.json');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(siteJsonSchemaPath(), siteJsonSchemaText());
  console.log(`wrote ${siteJsonSchemaPath()}`);
}
