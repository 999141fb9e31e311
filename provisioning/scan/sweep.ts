/**
 * The sweep: probe each unit id at each line setting with one read-only request (FC03, 1
 * register), identify every unit that answers, and report progress. The link is injected
 * (a ModbusTransport per setting), so the order and the stop rules are tested with a fake.
 *
 * Stop rules (Modbus over Serial Line V1.02 §2.1: every device of a multidrop line shares its
 * settings): once any unit answers at a setting, that is the line's setting, and no other setting
 * is tried — unless `allSettings`, for a line that is (wrongly) mixed; even then a unit already
 * found is not probed again.
 */
import type { ModbusTransport } from '../../drivers/transport/modbus-transport.js';
import { isVigilError, VigilError } from '../../gateway/errors.js';
import { identifyDevice, type Identification, type IdentifyPlan } from './identify.js';
import type { LineSetting } from './plan.js';

/** The probe: holding register 0, the one address nearly every map starts at. */
const PROBE = { table: 'holding', address: 0, count: 1 } as const;

/** A transport that may also ask a device for its identification (FC43/14). */
export interface ScanTransport extends ModbusTransport {
  readDeviceIdentification?(unitId: number, timeoutMs: number): Promise<Record<number, string>>;
}

export interface FoundDevice {
  unit: number;
  /** undefined on TCP. */
  setting: LineSetting | undefined;
  /** Round trip of the probe, ms. */
  answerMs: number;
  /** What the probe got: data, or a Modbus exception (the device is there either way). */
  probe: 'data' | `exception ${string}`;
  identification: Identification;
  /** With `deviceId`: what FC43/14 returned ("Eastron · SDM630 · 1.02") or why not ("exception 01"). */
  deviceId?: string;
}

export interface SettingTally {
  setting: LineSetting | undefined;
  probed: number;
  answered: number;
  /** Frames that arrived but failed CRC or framing: something talks, maybe at another setting. */
  garbled: number;
}

export interface SweepProgress {
  done: number;
  /** Upper bound: the sweep may stop early when the line's setting is found. */
  total: number;
  found: number;
  setting: LineSetting | undefined;
  unit: number;
  elapsedMs: number;
}

export interface SweepOptions {
  /** Settings in the order to try; `[undefined]` for TCP (no line settings). */
  settings: ReadonlyArray<LineSetting | undefined>;
  units: readonly number[];
  timeoutFor(setting: LineSetting | undefined): number;
  /** A transport opened at this setting (a fresh one per setting: parity needs a reopen). */
  connect(setting: LineSetting | undefined): ScanTransport;
  /** Also ask each device found for FC43/14 Read Device Identification (read-only; not every device has it). */
  deviceId?: boolean;
  identify: IdentifyPlan;
  allSettings?: boolean;
  onProgress?(p: SweepProgress): void;
  /** Monotonic ms (default performance.now). */
  now?: () => number;
}

export interface SweepResult {
  found: FoundDevice[];
  tallies: SettingTally[];
  /** The settings that were not tried because the line's setting was already known. */
  skipped: Array<LineSetting | undefined>;
  elapsedMs: number;
}

type ProbeOutcome = { kind: 'answered'; probe: FoundDevice['probe'] } | { kind: 'silent' } | { kind: 'garbled' };

/**
 * Any Modbus exception is an answer — the device is there, it just has no holding register 0 or
 * no FC03 — except a gateway's 10/11 ("path unavailable", "target did not respond"), which says
 * nobody is at that unit id behind it.
 */
function classify(e: unknown): ProbeOutcome {
  if (!isVigilError(e)) throw e;
  const code = e.details['modbusCode'];
  if (typeof code === 'number') {
    return code === 10 || code === 11 ? { kind: 'silent' } : { kind: 'answered', probe: `exception ${String(code).padStart(2, '0')}` };
  }
  switch (e.code) {
    case 'DEVICE_ILLEGAL_ADDRESS':
    case 'DEVICE_FAILURE':
    case 'DEVICE_BUSY':
      return { kind: 'answered', probe: 'exception ?' };
    case 'DEVICE_GATEWAY_PATH':
      return { kind: 'silent' };
    case 'COMM_CRC':
    case 'COMM_BAD_FRAME':
      return { kind: 'garbled' };
    case 'COMM_TIMEOUT':
      return { kind: 'silent' };
    default:
      throw e;
  }
}

/** FC43/14 basic objects, joined; a refusal or silence is reported, not thrown. */
async function readDeviceId(link: ScanTransport, unit: number, timeoutMs: number): Promise<string> {
  if (!link.readDeviceIdentification) return 'not available on this transport';
  try {
    const objects = await link.readDeviceIdentification(unit, timeoutMs);
    const text = [0, 1, 2].map((id) => objects[id]).filter((v): v is string => typeof v === 'string' && v.length > 0);
    return text.length > 0 ? text.join(' · ') : 'empty answer';
  } catch (e) {
    if (!isVigilError(e)) throw e;
    const code = e.details['modbusCode'];
    if (typeof code === 'number') return `not supported (exception ${String(code).padStart(2, '0')})`;
    if (e.code === 'COMM_TIMEOUT') return 'no answer';
    throw e;
  }
}

async function probe(link: ModbusTransport, unit: number, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    await link.readRegisters(unit, PROBE.table, PROBE.address, PROBE.count, timeoutMs);
    return { kind: 'answered', probe: 'data' };
  } catch (e) {
    return classify(e);
  }
}

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const now = o.now ?? (() => performance.now());
  const start = now();
  const found: FoundDevice[] = [];
  const tallies: SettingTally[] = [];
  const skipped: SweepResult['skipped'] = [];
  const total = o.settings.length * o.units.length;
  let done = 0;

  for (const [i, setting] of o.settings.entries()) {
    if (found.length > 0 && !o.allSettings) {
      skipped.push(...o.settings.slice(i));
      break;
    }
    const tally: SettingTally = { setting, probed: 0, answered: 0, garbled: 0 };
    tallies.push(tally);
    const timeoutMs = o.timeoutFor(setting);
    const link = o.connect(setting);
    await link.open();
    try {
      for (const unit of o.units) {
        done++;
        o.onProgress?.({ done, total, found: found.length, setting, unit, elapsedMs: now() - start });
        if (found.some((f) => f.unit === unit)) continue;
        if (!link.isOpen()) await link.open();
        tally.probed++;
        const t0 = now();
        let outcome: ProbeOutcome;
        try {
          outcome = await probe(link, unit, timeoutMs);
        } catch (e) {
          if (!isVigilError(e) || e.code !== 'COMM_PORT_CLOSED') throw e;
          // The port dropped (a USB adapter's hiccup, a TCP peer closing): reopen once and probe
          // again; if it cannot be reopened, the open() error ends the scan.
          await link.open();
          outcome = await probe(link, unit, timeoutMs);
        }
        if (outcome.kind === 'garbled') {
          // A garbled reply may be noise, or the late answer of the unit probed before, landing
          // in this unit's window: ask once more before passing over this unit.
          tally.garbled++;
          outcome = await probe(link, unit, timeoutMs);
        }
        const answerMs = now() - t0;
        if (outcome.kind !== 'answered') continue;
        tally.answered++;
        const identification = await identifyDevice(o.identify, (s) => link.readRegisters(unit, s.table, s.address, s.count, timeoutMs));
        const device: FoundDevice = { unit, setting, answerMs, probe: outcome.probe, identification };
        if (o.deviceId) device.deviceId = await readDeviceId(link, unit, timeoutMs);
        found.push(device);
      }
    } catch (e) {
      if (isVigilError(e) && e.code === 'COMM_PORT_CLOSED') {
        throw new VigilError('COMM_PORT_CLOSED', `${link.description}: the port closed during the scan (${e.message}); is the adapter still plugged in?`, {}, { cause: e });
      }
      throw e;
    } finally {
      await link.close();
    }
  }
  return { found, tallies, skipped, elapsedMs: now() - start };
}
