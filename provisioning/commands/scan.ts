/**
 * `vigil scan`: find the Modbus devices on an RS-485 line (sweeping line settings and unit ids)
 * or behind a Modbus TCP address (sweeping unit ids), identify their models from the profiles'
 * `identify:` sections, print a table, and — only with --write-to — add them to a site file and
 * validate it. Read-only on the wire: FC03/FC04, plus FC43/14 only when asked (docs/scan.md).
 */
import { formatProblem } from '../../gateway/config/problems.js';
import { validateCommand } from '../../gateway/config/validate.js';
import type { RtuBusConfig, TcpBusConfig } from '../../gateway/config/schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { ModbusSerialTransport } from '../../drivers/modbus/modbus-serial-transport.js';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import type { Profile } from '../../drivers/profiles/schema.js';
import { planIdentification } from '../scan/identify.js';
import { parseBauds, parseParities, parseTcpTarget, parseUnits, ScanOptionError } from '../scan/options.js';
import { describeSetting, probeTimeoutMs, sweepSettings, worstCaseMs, type LineSetting } from '../scan/plan.js';
import { createProgress, formatDuration } from '../scan/progress.js';
import { deadLineMessage, describeUnits, formatResult } from '../scan/report.js';
import { SiteWriteError, writeDevicesToSite, type ScanTarget } from '../scan/site-writer.js';
import { runSweep, type SweepResult } from '../scan/sweep.js';

export interface ScanCommandOptions {
  port?: string;
  tcp?: string;
  baud: string;
  parity: string;
  units: string;
  /** Per-unit timeout in ms, for 9600 baud on RTU (slower rates add their wire time). */
  timeout?: number;
  allSettings?: boolean;
  /** Also ask each device found for FC43/14 Read Device Identification. */
  deviceId?: boolean;
  profileDir?: string[];
  writeTo?: string;
  bus?: string;
  pollMs: number;
}

export interface ScanIo {
  out(line: string): void;
  err(line: string): void;
  /** Progress output (stderr); a TTY gets a bar redrawn in place. */
  progress: { write(text: string): void; readonly isTTY: boolean };
  today(): string;
}

/** Defaults, documented in docs/scan.md: see plan.ts probeTimeoutMs for the RTU figure. */
export const DEFAULT_RTU_TIMEOUT_MS = 80;
/** A LAN round trip plus a device's turnaround; a Modbus TCP-to-RTU gateway adds its serial line. */
export const DEFAULT_TCP_TIMEOUT_MS = 300;
/** How long to wait for the TCP connection itself. */
const TCP_CONNECT_TIMEOUT_MS = 3_000;

const SCAN_BUS = { name: 'scan', retries: 0, interRequestDelayMs: 0, backoff: { afterFailures: 3, initialMs: 5_000, maxMs: 300_000 } } as const;

export const consoleIo: ScanIo = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
  progress: { write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
  today: () => new Date().toISOString().slice(0, 10),
};

function loadProfiles(dirs: readonly string[], io: ScanIo): Profile[] {
  const { catalog, problems } = loadProfileCatalog([...dirs, builtinProfilesDir()]);
  for (const p of problems) io.err(`${formatProblem(p)} [profile not used by the scan]`);
  return catalog.ids().map((id) => catalog.get(id)!);
}

export async function scanCommand(o: ScanCommandOptions, io: ScanIo = consoleIo): Promise<number> {
  let plan: { target: ScanTarget; label: string; settings: Array<LineSetting | undefined>; units: number[]; timeoutFor(s: LineSetting | undefined): number };
  try {
    if ((o.port === undefined) === (o.tcp === undefined)) throw new ScanOptionError('give exactly one of --port <serial port> or --tcp <host[:port]>');
    if ((o.writeTo === undefined) !== (o.bus === undefined)) throw new ScanOptionError('--write-to and --bus go together: the site file, and the bus (new or existing) the devices go on');
    if (o.port !== undefined) {
      const timeout = o.timeout ?? DEFAULT_RTU_TIMEOUT_MS;
      plan = {
        target: { type: 'rtu', port: o.port },
        label: o.port,
        settings: sweepSettings(parseBauds(o.baud), parseParities(o.parity)),
        units: parseUnits(o.units, 247),
        timeoutFor: (s) => probeTimeoutMs(timeout, s!),
      };
    } else {
      const t = parseTcpTarget(o.tcp!);
      const timeout = o.timeout ?? DEFAULT_TCP_TIMEOUT_MS;
      plan = { target: { type: 'tcp', ...t }, label: `${t.host}:${t.port}`, settings: [undefined], units: parseUnits(o.units, 255), timeoutFor: () => timeout };
    }
  } catch (e) {
    if (e instanceof ScanOptionError) {
      io.err(`vigil scan: ${e.message}`);
      return 2;
    }
    throw e;
  }

  const identify = planIdentification(loadProfiles(o.profileDir ?? [], io));
  const target = plan.target;
  const connect = (s: LineSetting | undefined) =>
    new ModbusSerialTransport(
      target.type === 'rtu'
        ? ({ ...SCAN_BUS, type: 'rtu', port: target.port, baudRate: s!.baudRate, parity: s!.parity, stopBits: s!.stopBits, dataBits: 8, timeoutMs: plan.timeoutFor(s) } satisfies RtuBusConfig)
        : ({ ...SCAN_BUS, type: 'tcp', host: target.host, port: target.port, timeoutMs: TCP_CONNECT_TIMEOUT_MS } satisfies TcpBusConfig),
    );

  const settingsText = target.type === 'rtu' ? `${plan.settings.length} line setting(s) (${plan.settings.map((s) => describeSetting(s!)).join(', ')}) × ` : '';
  const worst = target.type === 'rtu' ? worstCaseMs(plan.settings as LineSetting[], plan.units.length, o.timeout ?? DEFAULT_RTU_TIMEOUT_MS) : plan.units.length * plan.timeoutFor(undefined);
  io.err(
    `Scanning ${plan.label}: ${settingsText}units ${describeUnits(plan.units)}, read-only (FC03/FC04${o.deviceId ? ', FC43/14' : ''}); ` +
      `${identify.profiles.length} profile(s) can identify a model. At most ${formatDuration(worst)}${target.type === 'rtu' && !o.allSettings ? ', less once the line answers' : ''}.`,
  );

  const progress = createProgress(io.progress);
  let result: SweepResult;
  try {
    result = await runSweep({ settings: plan.settings, units: plan.units, timeoutFor: plan.timeoutFor, connect, identify, allSettings: o.allSettings === true, deviceId: o.deviceId === true, onProgress: progress.update });
  } catch (e) {
    io.err(`vigil scan: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    progress.end();
  }

  if (result.found.length === 0) {
    io.err(deadLineMessage(result, plan.label, plan.units, target.type === 'rtu'));
    return 1;
  }
  io.out(formatResult(result, plan.label));
  if (target.type === 'tcp' && plan.units.length >= 3 && result.found.length === plan.units.length) {
    io.out('Every unit id answered: this device most likely ignores the unit id (a plain Modbus TCP device); use unit 1, or 255 if its manual says so.');
  }
  if (o.writeTo === undefined) return 0;
  return writeResult(o.writeTo, o.bus!, target, result, o.pollMs, io);
}

function writeResult(file: string, bus: string, target: ScanTarget, result: SweepResult, pollMs: number, io: ScanIo): number {
  try {
    const outcome = writeDevicesToSite({ file, bus, target, found: result.found, pollMs, date: io.today() });
    io.out('');
    if (outcome.written.length === 0) io.out(`${file}: nothing written — no device was identified as exactly one model.`);
    else io.out(`${file}: added ${outcome.written.map((w) => `${w.name} (unit ${w.unit}, ${w.profile})`).join(', ')}${outcome.busAdded ? ` on a new bus "${bus}"` : ` on bus "${bus}"`}; pollMs ${pollMs} — adjust per device.`);
    for (const n of outcome.notWritten) io.out(`  not written: unit ${n.unit}: ${n.reason}`);
    if (outcome.written.length === 0) return 0;
  } catch (e) {
    if (e instanceof SiteWriteError) {
      io.err(`vigil scan: ${e.message}`);
      return 2;
    }
    throw e;
  }
  io.out(`Checking ${file} (vigil validate):`);
  return validateCommand(file, { log: io.out, error: io.err });
}
