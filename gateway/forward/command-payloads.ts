import { z } from 'zod';
import { ALARM_ACTIONS, DurationMinutesSchema, NoteSchema } from '../api/alarm-actions.js';
import { PAYLOAD_VERSION } from './payloads.js';
import { CloudShutdownWindowsSchema } from '../../rules/electricity/config-schema.js';

/**
 * Cloud commands (inbound, `<base>/commands`) and their replies (outbound,
 * `<base>/commands/reply`). Like payloads.ts, these zod schemas are the single source:
 * command-auth.ts parses with them and docs/schemas/command*.schema.json are generated from
 * them (json-schemas.ts). docs/messages.md explains the signature and the refusals.
 */

const AlarmId = z
  .string()
  .regex(/^[^/\s]+\/[^/\s]+$/, 'an alarm id is "<device>/<alarm>" (site-level alarms: "site/<alarm>")')
  .describe('Alarm id: "<device>/<alarm>", or "site/<alarm>" for a site-level alarm');

const Common = {
  id: z.string().min(1).max(128).describe('Unique per command (a UUID); a repeated id is refused as a replay'),
  ts: z.number().int().describe('When the cloud issued it, ms since the Unix epoch; must be within ±maxSkewMs of a trusted gateway clock'),
  user: z.string().min(1).max(128).describe('The person who issued it; journaled as the actor {kind: "cloud", name: user}'),
  note: NoteSchema.optional(),
  site: z.string().min(1).optional().describe('Target site id; when present it must be this gateway\'s (binds the signature to one gateway)'),
  gateway: z.string().min(1).optional().describe('Target gateway id; when present it must be this gateway\'s'),
  hmac: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (HMAC-SHA256)')
    .describe('Hex HMAC-SHA256, under cloud.mqtt.commands.key, of the RFC 8785 canonical JSON of every other field'),
};

const SINGLE_ALARM = ALARM_ACTIONS.filter((a) => a !== 'shelve') as [Exclude<(typeof ALARM_ACTIONS)[number], 'shelve'>, ...Exclude<(typeof ALARM_ACTIONS)[number], 'shelve'>[]];

export const CommandPayloadSchema = z
  .discriminatedUnion('action', [
    z.strictObject({ ...Common, action: z.enum(SINGLE_ALARM), alarm: AlarmId }),
    z.strictObject({ ...Common, action: z.literal('shelve'), alarm: AlarmId, durationMinutes: DurationMinutesSchema }),
    z.strictObject({ ...Common, action: z.enum(['silence', 'acknowledge-all']) }),
    z.strictObject({ ...Common, action: z.literal('reset-interlock'), interlock: z.string().min(1).describe('Interlock name') }),
    // Ordered shutdowns pushed by the platform (electricity monitoring, docs/electricity.md): the
    // whole list replaces the last one pushed.
    z.strictObject({ ...Common, action: z.literal('set-shutdown-windows'), windows: CloudShutdownWindowsSchema.shape.windows }),
  ])
  .describe('Vigil cloud command (topic <prefix>/<site>/<gateway>/commands, QoS 1), signed with HMAC-SHA256');

export type CommandPayload = z.infer<typeof CommandPayloadSchema>;

/**
 * Why a command was not carried out. Authentication: not-enabled, bad-signature, stale, replay,
 * wrong-gateway; reading: bad-request; the engine's refusals: unknown-alarm, unknown-interlock,
 * condition-present, not-applicable; the gateway: unavailable (engine not running), internal.
 */
export const COMMAND_ERRORS = [
  'not-enabled',
  'bad-request',
  'bad-signature',
  'stale',
  'replay',
  'wrong-gateway',
  'unavailable',
  'unknown-alarm',
  'unknown-interlock',
  'condition-present',
  'not-applicable',
  'internal',
] as const;
export type CommandError = (typeof COMMAND_ERRORS)[number];

export const CommandReplySchema = z
  .strictObject({
    v: z.literal(PAYLOAD_VERSION).describe('Payload format version'),
    site: z.string().min(1).describe('Site id'),
    gateway: z.string().min(1).describe('Gateway id'),
    id: z.string().nullable().describe('The command\'s id; null when the command could not be read far enough to find one'),
    ok: z.boolean().describe('true: carried out; false: refused, nothing changed'),
    error: z.enum(COMMAND_ERRORS).optional().describe('Present when ok is false'),
    message: z.string().describe('For people: what happened or why not'),
    state: z.string().optional().describe('The alarm\'s or interlock\'s state afterwards (or the state that caused a refusal)'),
    ts: z.number().int().describe('Gateway wall clock when it answered, ms since the Unix epoch'),
  })
  .describe('Vigil cloud command reply (topic <prefix>/<site>/<gateway>/commands/reply, QoS 1, not retained, not persisted)');

export type CommandReply = z.infer<typeof CommandReplySchema>;
