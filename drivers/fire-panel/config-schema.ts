/**
 * The site-file section for fire alarm panels (`firePanels:` at the top level, a list).
 * Exported for the lead to plug into gateway/config/schema.ts; nothing here is coerced or
 * clamped (DESIGN principle 7), and every default is named below and in README.md.
 */
import { z } from 'zod';

const deviceName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a device name is lower case letters, digits, - and _');
const port = z.number().int().min(1).max(65535);
/** GB/T 26875.3 addresses are 6-byte little-endian numbers (frame bytes 13–24). */
const address = z.number().int().min(0).max(2 ** 48 - 1);

export const FirePanelTransportSchema = z.discriminatedUnion('type', [
  /** Vigil connects to the panel's transmission card, which listens. */
  z.strictObject({ type: z.literal('tcp-client'), host: z.string().min(1), port, connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000) }),
  /** The card connects to Vigil (the usual arrangement: cards are built to dial a centre). */
  z.strictObject({ type: z.literal('tcp-server'), listen: z.string().min(1).describe('address to listen on, e.g. 0.0.0.0 or a LAN address'), port }),
  /** RS-232 straight, or RS-485 through an adapter. No default baud rate: a wrong guess is silence. */
  z.strictObject({
    type: z.literal('serial'),
    port: z.string().min(1),
    baudRate: z.literal([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd']),
    stopBits: z.union([z.literal(1), z.literal(2)]),
  }),
]);

export const FirePanelSchema = z
  .strictObject({
    /** The device name: points are `<name>/any_fire` …, alarms `<name>/fire` …; must not clash with a Modbus device. */
    name: deviceName,
    description: z.string().optional(),
    transport: FirePanelTransportSchema,
    /** The panel's address (source of its frames). Optional; a mismatch is counted and logged, never dropped. */
    panelAddress: address.optional(),
    /** Vigil's address on this link (destination of the panel's frames). Same policy. */
    gatewayAddress: address.optional(),
    /** No valid frame (heartbeat included) for this long → comm fault. Default 90 s = three missed 30 s heartbeats. */
    silenceTimeoutMs: z.number().int().min(5_000).max(3_600_000).default(90_000),
    /**
     * Framer partial-frame timeout. Default: 5 s on serial (a 1,054-byte frame takes 1.1 s at
     * 9600 baud, 4.4 s at 2400), 2 s on TCP. Set it ≥ the longest frame's time on the line.
     */
    partialTimeoutMs: z.number().int().min(100).max(60_000).optional(),
    reconnect: z
      .strictObject({ initialMs: z.number().int().min(100).max(600_000).default(1_000), maxMs: z.number().int().min(100).max(600_000).default(30_000) })
      .refine((r) => r.maxMs >= r.initialMs, { message: 'reconnect.maxMs must be ≥ reconnect.initialMs', path: ['maxMs'] })
      .default({ initialMs: 1_000, maxMs: 30_000 }),
  })
  .refine((p) => p.silenceTimeoutMs > (p.partialTimeoutMs ?? 0), { message: 'silenceTimeoutMs must be longer than partialTimeoutMs', path: ['silenceTimeoutMs'] });

export const FirePanelsSchema = z
  .array(FirePanelSchema)
  .superRefine((panels, ctx) => {
    const seen = new Map<string, number>();
    panels.forEach((p, i) => {
      const first = seen.get(p.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `fire panel "${p.name}" is already defined at firePanels[${first}]` });
      else seen.set(p.name, i);
    });
  })
  .default([]);

export type FirePanelConfig = z.infer<typeof FirePanelSchema>;
export type FirePanelTransportConfig = z.infer<typeof FirePanelTransportSchema>;

/** The partial-frame timeout a panel link uses. */
export function partialTimeoutFor(p: FirePanelConfig): number {
  return p.partialTimeoutMs ?? (p.transport.type === 'serial' ? 5_000 : 2_000);
}
