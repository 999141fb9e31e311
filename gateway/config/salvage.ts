import { BusSchema, DeviceSchema, SiteConfigSchema } from './schema.js';
import type { SemanticInput } from './semantic.js';
import type { SecretsInput } from './secrets.js';

/**
 * When the file as a whole fails the schema, the parts that pass on their own still go
 * through the semantic pass and the secrets check, so one run reports everything. Each part
 * is parsed with its own schema — the same one the whole-file parse uses — so nothing here
 * is accepted that the schema would reject. The result is only ever used for checking: a
 * file with any error never yields a config.
 */
export function salvage(data: Record<string, unknown>): SemanticInput & SecretsInput {
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  const buses = list(data.buses).map((b) => {
    const r = BusSchema.safeParse(b);
    return r.success ? r.data : undefined;
  });
  const unparsedBusNames = list(data.buses).flatMap((b, i) => {
    const n = b && typeof b === 'object' ? (b as Record<string, unknown>).name : undefined;
    return buses[i] === undefined && typeof n === 'string' ? [n] : [];
  });
  const devices = list(data.devices).map((d) => {
    const r = DeviceSchema.safeParse(d);
    return r.success ? r.data : undefined;
  });
  const rawName = (v: unknown): string | undefined => {
    const n = v && typeof v === 'object' ? (v as Record<string, unknown>).name : undefined;
    return typeof n === 'string' ? n : undefined;
  };
  const rawNames = { buses: list(data.buses).map(rawName), devices: list(data.devices).map(rawName) };
  const out: SemanticInput & SecretsInput = { buses, devices, unparsedBusNames, rawNames };
  const { shape } = SiteConfigSchema;
  const storage = shape.storage.safeParse(data.storage).data;
  const secrets = shape.secrets.safeParse(data.secrets).data;
  const api = shape.api.safeParse(data.api).data;
  const cloud = shape.cloud.safeParse(data.cloud).data;
  if (storage) out.storage = storage;
  if (secrets) out.secrets = secrets;
  if (api) out.api = api;
  if (cloud) out.cloud = cloud;
  // The safety sections are checked against the devices that did parse (semantic-safety.ts).
  const alarms = shape.alarms.safeParse(data.alarms).data;
  const outputs = shape.outputs.safeParse(data.outputs).data;
  const interlocks = shape.interlocks.safeParse(data.interlocks).data;
  const schedules = shape.schedules.safeParse(data.schedules).data;
  if (alarms) out.alarms = alarms;
  if (outputs) out.outputs = outputs;
  if (interlocks) out.interlocks = interlocks;
  if (schedules) out.schedules = schedules;
  const electricity = shape.electricity.safeParse(data.electricity).data;
  if (electricity) out.electricity = electricity;
  const firePanels = shape.firePanels.safeParse(data.firePanels).data;
  if (firePanels) out.firePanels = firePanels;
  const fireCentre = shape.fireCentre.safeParse(data.fireCentre).data;
  if (fireCentre) out.fireCentre = fireCentre;
  return out;
}
