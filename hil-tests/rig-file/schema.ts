import { z } from 'zod';
import { RtuBusSchema } from '../../gateway/config/schema.js';
import { OutputSchema } from '../../gateway/config/safety-schema.js';

/**
 * A rig file (docs/hil.md §3): what the HIL suite runs on. `kind: virtual` maps every name onto
 * the virtual rig (simulators, pty pairs, fake GPIO read-back); `kind: bench` names the real
 * serial ports, devices, GPIO read-back wiring, commandable signal sources and what needs an
 * operator. Both carry the same names (buses, devices, outputs), so one scenario runs on either.
 * The loader (load.ts) adds a semantic pass; errors name the path and quote the value.
 */

export const RIG_FILE_VERSION = 1;

const name = (what: string) => z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, `a ${what} is lower case letters, digits, - and _`);

/** A profile id as the site file uses it: "<vendor>/<model>". */
const profileId = z.string().regex(/^[a-z0-9-]+\/[a-z0-9._-]+$/, 'a profile id such as generic/combustible-gas');

/** Where a GPIO line is, as libgpiod names it (same chip forms as the site file's outputs.driver.chip). */
const GpioLineSchema = z.strictObject({
  chip: z.string().min(1),
  line: z.number().int().min(0).max(511),
  activeLow: z.boolean().default(false),
});

/**
 * How the harness learns what an output does. `gpio`: the output's relay contact is wired back
 * to an (opto-isolated) input the harness reads; `operator`: a person looks and answers.
 * On the virtual rig every output is read back from the gateway's GPIO lines themselves.
 */
export const ReadBackSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gpio'), ...GpioLineSchema.shape }),
  z.strictObject({ kind: z.literal('operator') }),
]);

/**
 * How a point's physical quantity is changed on a bench rig. `operator`: a person applies test
 * gas / heats the sensor and the harness waits for the reading to show it. `solenoid`: a gas
 * cylinder's solenoid valve on a relay the harness switches; the cylinder holds one
 * concentration, so only that value (or fresh air, `restValue`) can be applied.
 */
export const StimulusSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('operator') }),
  z.strictObject({
    kind: z.literal('solenoid'),
    ...GpioLineSchema.shape,
    /** What the detector reads with the solenoid open (the cylinder's concentration). */
    value: z.number(),
    /** What it reads with the solenoid closed (fresh air). */
    restValue: z.number(),
  }),
]);

export const RigOutputSchema = OutputSchema.extend({
  /** Required on a bench rig (the semantic pass says so); not used on the virtual rig. */
  readBack: ReadBackSchema.optional(),
});

const busCommon = { name: name('bus name'), description: z.string().optional() };

/** A virtual line: a socat pty pair (rtu) or a Modbus TCP server on 127.0.0.1 (tcp). */
export const VirtualBusSchema = z.strictObject({ ...busCommon, type: z.enum(['rtu', 'tcp']) });

/** A real RS-485 line on a USB adapter: the serial settings have no defaults (a wrong guess is silence). */
export const BenchBusSchema = z.strictObject({
  ...busCommon,
  type: z.literal('rtu'),
  port: RtuBusSchema.shape.port,
  baudRate: RtuBusSchema.shape.baudRate,
  parity: RtuBusSchema.shape.parity,
  stopBits: RtuBusSchema.shape.stopBits,
});

const deviceCommon = {
  name: name('device name'),
  description: z.string().optional(),
  bus: z.string().min(1),
  unitId: z.number().int().min(1).max(247),
  profile: profileId,
};

export const VirtualDeviceSchema = z.strictObject(deviceCommon);

export const BenchDeviceSchema = z.strictObject({
  ...deviceCommon,
  /** Per point: how the harness changes it. A point not listed needs an operator. */
  stimuli: z.record(z.string(), StimulusSchema).optional(),
});

/** The interlock the gas scenario checks: trip on the detector's second level, close the valve, start the fan. */
export const InterlockSchema = z.strictObject({
  name: name('interlock name'),
  detector: z.string().min(1),
  valve: z.string().min(1),
  fan: z.string().min(1).optional(),
  confirmWithinMs: z.number().int().min(100).max(120_000),
});

export const BrokerSchema = z.strictObject({
  /** aedes in the harness process, or in a process of its own (bench/support/broker-process.ts). */
  mode: z.enum(['in-process', 'process']),
});

const GB26875_BAUD = z.literal([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]);

export const BenchFirePanelSchema = z.strictObject({
  name: name('fire panel name'),
  transport: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('serial'), port: z.string().min(1), baudRate: GB26875_BAUD, parity: z.enum(['none', 'even', 'odd']), stopBits: z.union([z.literal(1), z.literal(2)]) }),
    z.strictObject({ type: z.literal('tcp-client'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  ]),
  /** What the operator does to put the panel into fire, e.g. "press manual call point MCP-3". */
  fireAction: z.string().min(1),
  resetAction: z.string().min(1),
});

export const CentreSchema = z.discriminatedUnion('kind', [
  /** The harness runs the simulated monitoring centre and times every frame it receives. */
  z.strictObject({ kind: z.literal('simulated') }),
  /** A real centre: arrival is confirmed by the operator watching the centre's console. */
  z.strictObject({ kind: z.literal('external'), host: z.string().min(1), port: z.number().int().min(1).max(65535), uitd: z.number().int().min(0), centre: z.number().int().min(0) }),
]);

const GatewaySchema = z.strictObject({
  /** Poll period of every device (short on the virtual rig so the suite is quick). */
  pollMs: z.number().int().min(100).max(60_000),
  timeoutMs: z.number().int().min(50).max(10_000),
});

const common = {
  version: z.literal(RIG_FILE_VERSION),
  name: name('rig name'),
  description: z.string().optional(),
  gateway: GatewaySchema,
  broker: BrokerSchema,
  interlock: InterlockSchema.optional(),
  outputs: z.array(RigOutputSchema).min(1),
};

export const VirtualRigFileSchema = z.strictObject({
  ...common,
  kind: z.literal('virtual'),
  buses: z.array(VirtualBusSchema).min(1),
  devices: z.array(VirtualDeviceSchema).min(1),
  /** A simulated fire panel (GB/T 26875.3 over TCP) and a simulated monitoring centre. */
  fire: z.strictObject({ panel: name('fire panel name') }).optional(),
});

export const BenchRigFileSchema = z.strictObject({
  ...common,
  kind: z.literal('bench'),
  /** The gateway's GPIO chip for its outputs (outputs.driver in the site file). */
  gpioChip: z.string().min(1),
  buses: z.array(BenchBusSchema).min(1),
  devices: z.array(BenchDeviceSchema).min(1),
  firePanel: BenchFirePanelSchema.optional(),
  monitoringCentre: CentreSchema.optional(),
  /** How long a person gets for one instruction before the step fails. */
  operatorTimeoutMs: z.number().int().min(5_000).max(3_600_000),
});

export const RigFileSchema = z.discriminatedUnion('kind', [VirtualRigFileSchema, BenchRigFileSchema]);

export type RigFile = z.infer<typeof RigFileSchema>;
export type VirtualRigFile = z.infer<typeof VirtualRigFileSchema>;
export type BenchRigFile = z.infer<typeof BenchRigFileSchema>;
export type RigOutput = z.infer<typeof RigOutputSchema>;
export type ReadBack = z.infer<typeof ReadBackSchema>;
export type Stimulus = z.infer<typeof StimulusSchema>;
