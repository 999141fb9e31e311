import { z } from 'zod';
import { CommandPayloadSchema, CommandReplySchema } from './command-payloads.js';
import { EventsPayloadSchema, StatePayloadSchema, TelemetryPayloadSchema } from './payloads.js';

/**
 * The JSON Schema files in docs/schemas, generated from the zod payload schemas. A test
 * (json-schemas.test.ts) fails when the files differ; regenerate them with
 * `UPDATE_SCHEMAS=1 npx vitest run gateway/forward/json-schemas` or, after a build,
 * `node dist/gateway/forward/write-json-schemas.js`.
 */
/** Stable identifiers, not URLs: the files ship in the package under docs/schemas. */
export const SCHEMA_ID_PREFIX = 'urn:vigil:schema:';

export function messageJsonSchemas(): Record<string, object> {
  const make = (file: string, title: string, schema: z.ZodType): object => ({
    $id: `${SCHEMA_ID_PREFIX}${file.replace('.schema.json', '')}:v1`,
    title,
    ...(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>),
  });
  return {
    'telemetry.schema.json': make('telemetry.schema.json', 'Vigil telemetry message (v1)', TelemetryPayloadSchema),
    'events.schema.json': make('events.schema.json', 'Vigil events message (v1)', EventsPayloadSchema),
    'state.schema.json': make('state.schema.json', 'Vigil gateway state: birth / death (v1)', StatePayloadSchema),
    'command.schema.json': make('command.schema.json', 'Vigil cloud command (v1)', CommandPayloadSchema),
    'command-reply.schema.json': make('command-reply.schema.json', 'Vigil cloud command reply (v1)', CommandReplySchema),
  };
}

export function renderSchemaFile(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
