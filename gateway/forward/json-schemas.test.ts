import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messageJsonSchemas, renderSchemaFile } from './json-schemas.js';
import {
  EventsPayloadSchema,
  StatePayloadSchema,
  TelemetryPayloadSchema,
  eventsPayload,
  offlineState,
  onlineState,
  telemetryPayload,
} from './payloads.js';
import { writeMessageJsonSchemas } from './write-json-schemas.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../docs/schemas/', import.meta.url));
const origin = { site: 'plant-7', gateway: 'gw-a' };

describe('docs/schemas', () => {
  if (process.env.UPDATE_SCHEMAS === '1') writeMessageJsonSchemas(SCHEMA_DIR);

  it.each(Object.entries(messageJsonSchemas()))('%s is up to date with payloads.ts', (file, schema) => {
    const onDisk = readFileSync(join(SCHEMA_DIR, file), 'utf8');
    // If this fails: UPDATE_SCHEMAS=1 npx vitest run gateway/forward/json-schemas
    expect(onDisk).toBe(renderSchemaFile(schema));
  });

  it('describe the exact payload shapes (no undeclared fields, required ones required)', () => {
    const tel = JSON.parse(readFileSync(join(SCHEMA_DIR, 'telemetry.schema.json'), 'utf8')) as {
      required: string[];
      additionalProperties: boolean;
      properties: { readings: { items: { required: string[] } } };
    };
    expect(tel.additionalProperties).toBe(false);
    expect([...tel.required].sort()).toEqual(['gateway', 'historical', 'readings', 'site', 'v']);
    expect([...tel.properties.readings.items.required].sort()).toEqual(
      ['clockTrusted', 'device', 'point', 'quality', 'seq', 'ts', 'value'],
    );
  });
});

describe('payload builders', () => {
  it('produce payloads that satisfy the schemas', () => {
    const t = telemetryPayload(origin, true, [
      { seq: 3, device: 'gd-01', point: 'lel', value: 12.5, unit: '%LEL', quality: 'good', ts: 1, clockTrusted: true },
      { seq: 4, device: 'gd-01', point: 'fault', value: null, quality: 'comm-fault', ts: 2, clockTrusted: false },
    ]);
    expect(TelemetryPayloadSchema.parse(t)).toEqual(t);
    expect(t.readings[1]).not.toHaveProperty('unit'); // absent, not undefined/null
    const e = eventsPayload(origin, false, [{ seq: 9, type: 'gateway.started', severity: 'info', ts: 3, clockTrusted: true, message: 'up' }]);
    expect(EventsPayloadSchema.parse(e)).toEqual(e);
    const on = onlineState(origin, { bdSeq: 2, ts: 5, clockTrusted: true, version: '1.2.3' });
    expect(StatePayloadSchema.parse(on)).toEqual(on);
    const will = offlineState(origin, { bdSeq: 2, reason: 'connection-lost' });
    expect(StatePayloadSchema.parse(will)).toEqual(will);
    expect(will).not.toHaveProperty('ts');
  });

  it('never emits NaN or Infinity as a value (JSON cannot carry them)', () => {
    const t = telemetryPayload(origin, false, [
      { seq: 1, device: 'd', point: 'p', value: Number.NaN, quality: 'bad', ts: 1, clockTrusted: true },
    ]);
    expect(JSON.parse(JSON.stringify(t)).readings[0].value).toBeNull();
    expect(t.readings[0]!.value).toBeNull();
  });

  it('reject payloads that break the contract', () => {
    const t = telemetryPayload(origin, false, [{ seq: 1, device: 'd', point: 'p', value: 1, quality: 'good', ts: 1, clockTrusted: true }]);
    expect(TelemetryPayloadSchema.safeParse({ ...t, readings: [] }).success).toBe(false);
    expect(TelemetryPayloadSchema.safeParse({ ...t, extra: 1 }).success).toBe(false);
    expect(TelemetryPayloadSchema.safeParse({ ...t, readings: [{ ...t.readings[0], quality: 'meh' }] }).success).toBe(false);
  });
});
