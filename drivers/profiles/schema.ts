import { z } from 'zod';
import { AlarmOverrideSchema, DeviceAlarmSchema } from '../../rules/definitions/schema.js';

/**
 * The device-profile format: a device model is data (a YAML file under drivers/profiles/
 * <vendor>/<model>.yaml), validated by this schema and then by the loader's semantic pass.
 * Adding a detector model must not need a code change (DESIGN.md principle 5).
 */

export const REGISTER_TABLES = ['coil', 'discrete', 'holding', 'input'] as const;
export const VALUE_TYPES = ['u16', 'i16', 'u32', 'i32', 'f32', 'bool'] as const;
/**
 * Byte orders of a value, naming the bytes of the big-endian value A B C D as they appear on
 * the wire. For 16-bit types only the byte swap matters: ABCD/CDAB are "AB", BADC/DCBA are "BA".
 */
export const BYTE_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;

export type RegisterTableName = (typeof REGISTER_TABLES)[number];
export type ValueType = (typeof VALUE_TYPES)[number];
export type ByteOrder = (typeof BYTE_ORDERS)[number];

/** How many 16-bit registers a value of this type occupies (bits occupy one coil each). */
export function registerWidth(type: ValueType): number {
  return type === 'u32' || type === 'i32' || type === 'f32' ? 2 : 1;
}

const pointName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a point name is lower case letters, digits and _ , starting with a letter');

export const PointSchema = z
  .strictObject({
    name: pointName,
    description: z.string().optional(),
    table: z.enum(REGISTER_TABLES),
    /** Protocol (0-based) address, as sent on the wire. */
    address: z.number().int().min(0).max(65535),
    type: z.enum(VALUE_TYPES),
    /** Overrides the profile's modbus.byteOrder for this point. */
    byteOrder: z.enum(BYTE_ORDERS).optional(),
    /** Extract one bit (0 = least significant) of a 16-bit register as a boolean point. */
    bit: z.number().int().min(0).max(15).optional(),
    /** engineering value = raw × scale + offset (applied to numeric types only). */
    scale: z.number().refine((v) => v !== 0, 'scale must not be 0').optional(),
    offset: z.number().optional(),
    unit: z.string().optional(),
    /** Raw integer → label. The reading's value is the label; an unknown raw value is bad quality. */
    enum: z.record(z.string().regex(/^-?\d+$/, 'enum keys are integers'), z.string()).optional(),
    /** The valid measuring range in engineering units; a value outside it has bad quality. */
    range: z.strictObject({ min: z.number(), max: z.number() }).optional(),
    /** Writable points may be the target of writes (interlocks, issue 3). */
    access: z.enum(['read', 'readwrite']).optional(),
  })
  .superRefine((p, ctx) => {
    const bitTable = p.table === 'coil' || p.table === 'discrete';
    if (bitTable && p.type !== 'bool') {
      ctx.addIssue({ code: 'custom', path: ['type'], message: `a ${p.table} point has type bool, not ${p.type}` });
    }
    if (!bitTable && p.type === 'bool' && p.bit === undefined) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'a bool point in a register table needs `bit`' });
    }
    if (p.bit !== undefined && (bitTable || p.type !== 'bool')) {
      ctx.addIssue({ code: 'custom', path: ['bit'], message: '`bit` applies to a holding/input register point of type bool' });
    }
    if (p.enum && (p.type === 'f32' || p.type === 'bool')) {
      ctx.addIssue({ code: 'custom', path: ['enum'], message: `an enumeration needs an integer type, not ${p.type}` });
    }
    if ((p.scale !== undefined || p.offset !== undefined) && (p.type === 'bool' || p.enum)) {
      ctx.addIssue({ code: 'custom', path: ['scale'], message: 'scale/offset apply to numeric points only' });
    }
    if (p.range && p.range.min >= p.range.max) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: `range.min (${p.range.min}) must be below range.max (${p.range.max})` });
    }
    if (p.address <= 65535 && p.address + registerWidth(p.type) - 1 > 65535) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: `a value of type ${p.type} at ${p.address} runs past register 65535` });
    }
  });

/**
 * One identification check (`identify.checks[]`, used by `vigil scan`): read a point of this
 * profile (decoded as the gateway would: type, byte order, scale, offset) or a register that is
 * not a point (e.g. a model-code register), and compare it. `equals` lists accepted RAW integer
 * values (before scale); `range` bounds the ENGINEERING value of a point, or the decoded value
 * of a `register`. Only holding/input registers: the scan reads with FC03/FC04 only.
 */
export const IdentifyCheckSchema = z
  .strictObject({
    point: pointName.optional(),
    register: z
      .strictObject({
        table: z.enum(['holding', 'input']),
        address: z.number().int().min(0).max(65535),
        type: z.enum(['u16', 'i16', 'u32', 'i32', 'f32']),
        byteOrder: z.enum(BYTE_ORDERS).optional(),
      })
      .optional(),
    equals: z.array(z.number().int()).min(1).optional(),
    range: z.strictObject({ min: z.number(), max: z.number() }).optional(),
    /** Why this check says "this model": shown in the scan's table and cited from the manual. */
    why: z.string().min(1),
  })
  .superRefine((c, ctx) => {
    if ((c.point === undefined) === (c.register === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['point'], message: 'a check names exactly one of `point` or `register`' });
    }
    if ((c.equals === undefined) === (c.range === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['equals'], message: 'a check has exactly one of `equals` (raw values) or `range` (engineering values)' });
    }
    if (c.range && c.range.min > c.range.max) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: `range.min (${c.range.min}) must not be above range.max (${c.range.max})` });
    }
    if (c.equals && c.register?.type === 'f32') {
      ctx.addIssue({ code: 'custom', path: ['equals'], message: 'an f32 is not compared for equality; use `range`' });
    }
  });

/**
 * How `vigil scan` recognises this model. `by: model-code` — a register that names the model
 * (at least one `equals` check), a confident match; `by: plausibility` — values that fit this
 * map (e.g. a voltage of 180–260 V as f32), a hint the installer must confirm. Every check must
 * pass for a match.
 */
export const IdentifySchema = z.strictObject({
  by: z.enum(['model-code', 'plausibility']),
  checks: z.array(IdentifyCheckSchema).min(1).max(16),
});

export const ProfileSchema = z.strictObject({
  /** "<vendor>/<model>", equal to the file's path under drivers/profiles without .yaml. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9._-]*$/, 'id is "<vendor>/<model>" in lower case'),
  vendor: z.string().min(1),
  model: z.string().min(1),
  category: z.enum(['gas-combustible', 'gas-toxic', 'gas-oxygen', 'electrical-fire', 'power-meter', 'fire-panel', 'other']),
  description: z.string().min(1),
  /**
   * Where the register map comes from. A profile is either `generic: true` (a typical map,
   * not one vendor's) or cites the manual it was taken from.
   */
  source: z.union([
    z.strictObject({ generic: z.literal(true), notes: z.string().min(1) }),
    z.strictObject({ generic: z.literal(false), manual: z.string().min(1), notes: z.string().optional() }),
  ]),
  modbus: z.strictObject({
    /** Default byte order of 16/32-bit values; points may override. */
    byteOrder: z.enum(BYTE_ORDERS).default('ABCD'),
    /** Some devices cap requests below the protocol's 125 registers. */
    maxRegistersPerRequest: z.number().int().min(1).max(125).default(125),
    maxBitsPerRequest: z.number().int().min(1).max(2000).default(2000),
    /**
     * Gap allowance: the planner may read up to this many unused registers (or bits) to join
     * two ranges into one request. 0 joins only adjacent ranges. Only set it where the
     * device answers unmapped registers without an exception.
     */
    maxGap: z.number().int().min(0).max(124).default(0),
  })
    // Every field has a default, so a profile may leave the section out.
    .prefault({}),
  points: z.array(PointSchema).min(1),
  /**
   * The model's default alarms (rules/definitions/schema.ts): limits, rate, stale, quality and
   * status alarms on this profile's points. A site file overrides them by name per device
   * (devices[].alarms). The communication fault alarm is not listed: every device gets one.
   */
  alarms: z.array(DeviceAlarmSchema).optional(),
  /**
   * How this model's automatic communication fault alarm ("<device>/communication") is
   * announced, where the default (priority high, class fault, not latched) does not fit — e.g.
   * a power meter whose silence is a data gap, not a safety fault. The site file can still
   * override it per device.
   */
  /** How `vigil scan` recognises this model (optional; a model without it is never guessed). */
  identify: IdentifySchema.optional(),
  communicationAlarm: AlarmOverrideSchema.pick({ description: true, priority: true, class: true, latch: true, onDelayMs: true, offDelayMs: true }).optional(),
});

export type PointDef = z.infer<typeof PointSchema>;
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;
export type IdentifyDef = z.infer<typeof IdentifySchema>;
export type IdentifyCheck = z.infer<typeof IdentifyCheckSchema>;
