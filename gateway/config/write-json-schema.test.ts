import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { siteJsonSchema, siteJsonSchemaPath, siteJsonSchemaText } from './write-json-schema.js';

describe('docs/site.schema.json', () => {
  it('is up to date with gateway/config/schema.ts', () => {
    const committed = readFileSync(siteJsonSchemaPath(), 'utf8');
    // toBe on a flag keeps the failure message short and says what to do.
    expect(committed === siteJsonSchemaText(), 'docs/site.schema.json is stale: run npm run schema').toBe(true);
  });

  it('describes what a person writes: keys with defaults are optional, unknown keys refused', () => {
    const schema = siteJsonSchema() as { $id: string; required: string[]; additionalProperties: boolean };
    expect(schema.$id).toBe('urn:vigil:site-config:v1');
    expect(schema.required.sort()).toEqual(['buses', 'clock', 'devices', 'gateway', 'site', 'storage', 'version']);
    expect(schema.additionalProperties).toBe(false);
  });
});
