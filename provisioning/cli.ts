#!/usr/bin/env -S node --max-old-space-size=96 --max-semi-space-size=1 --optimize-for-size
import { Command, InvalidArgumentError } from 'commander';
import { VERSION } from '../gateway/runtime/version.js';
import { deferSignals } from './signals.js';

// `vigil run` captures SIGINT/SIGTERM from its first statement, before the gateway's modules
// load (see signals.ts); Node's own bootstrap before this line cannot be covered.
const runSignals = process.argv[2] === 'run' ? deferSignals() : undefined;

/**
 * The `vigil` command. Each sub-command imports its module lazily so `vigil validate` on a
 * Pi does not pay for loading the MQTT client, SQLite and fastify.
 */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`a port is a whole number 0–65535, not "${value}"`);
  const n = Number(value);
  if (n > 65535) throw new InvalidArgumentError(`a port is a whole number 0–65535, not ${value}`);
  return n;
}

export function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`a duration is a positive number of seconds, not "${value}"`);
  return Number(value);
}

const program = new Command('vigil')
  .description('Vigil — edge gateway for industrial safety monitoring')
  .version(VERSION, '-V, --version')
  .showHelpAfterError();

program
  .command('run')
  .description('run a gateway from a site file')
  .requiredOption('-c, --config <file>', 'the site file (YAML)')
  .option('--pretty', 'human-readable logs instead of JSON lines')
  .action(async (opts: { config: string; pretty?: boolean }) => {
    const { runCommand } = await import('./commands/run.js');
    process.exitCode = await runCommand(opts.config, { pretty: opts.pretty === true, signals: runSignals ?? deferSignals() });
  });

program
  .command('validate')
  .description('check a site file: schema, then semantic checks; prints every problem with its place')
  .argument('<file>', 'the site file (YAML)')
  .action(async (file: string) => {
    const { validateCommand } = await import('../gateway/config/validate.js');
    process.exitCode = validateCommand(file, { log: (l) => console.log(l), error: (l) => console.error(l) });
  });

program
  .command('init')
  .description('write a commented site file from a template (and its secrets file), by flags or by questions on a terminal')
  .argument('[file]', 'the site file to write', 'site.yaml')
  .option('-t, --template <name>', 'small-gas, major-hazard, electrical-fire or fire-panel-bridge (without it: asks on a terminal)')
  .option('--site-id <id>', 'site id (lower case letters, digits, - and _)')
  .option('--site-name <text>', 'site name, as shown in reports')
  .option('--gateway-id <id>', 'gateway id')
  .option('--port <path>', 'serial port of the RS-485 line (default /dev/ttyUSB0)')
  .option('--port2 <path>', 'serial port of the second RS-485 line, major-hazard only (default /dev/ttyUSB1)')
  .option('--baud <rate>', 'baud rate of the RS-485 line(s) (default 9600)')
  .option('--broker <url>', 'MQTT broker URL, e.g. mqtts://broker.example.com:8883 (default: none, offline-only)')
  .option('--centre <host:port>', 'fire remote-monitoring centre, fire-panel-bridge only')
  .option('--force', 'overwrite the site file and its secrets file if they exist')
  .action(async (file: string, opts: import('./commands/init.js').InitFlags) => {
    const { initCommand } = await import('./commands/init.js');
    process.exitCode = await initCommand(file, opts, { log: (l) => console.log(l), error: (l) => console.error(l), interactive: process.stdin.isTTY === true && process.stdout.isTTY === true });
  });

program
  .command('demo')
  .description('run the whole system on a virtual rig: simulated devices, an embedded MQTT broker and a gateway')
  .option('--api-port <port>', 'local API port of the gateway', parsePort, 8080)
  .option('--mqtt-port <port>', 'port of the embedded MQTT broker', parsePort, 1883)
  .option('--control-port <port>', 'port of the virtual rig control API', parsePort, 8081)
  .option('--data-dir <dir>', 'where the demo keeps its site file and database', 'run/demo')
  .option('--duration <seconds>', 'stop by itself after this long (default: run until Ctrl-C)', parseSeconds)
  .option('--ramp-every <seconds>', 'how often gas-1 ramps up to a leak (at least 60)', parseSeconds, 60)
  .action(async (opts: { apiPort: number; mqttPort: number; controlPort: number; dataDir: string; duration?: number; rampEvery: number }) => {
    const { demoCommand } = await import('./commands/demo.js');
    process.exitCode = await demoCommand(opts);
  });

function parseWholeMs(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`a time in whole milliseconds (≥ 1), not "${value}"`);
  return Number(value);
}

program
  .command('scan')
  .description('find Modbus devices: sweep line settings and unit ids (RTU) or unit ids (TCP), identify models; read-only')
  .option('--port <path>', 'serial port of the RS-485 adapter, e.g. /dev/ttyUSB0')
  .option('--tcp <host[:port]>', 'a Modbus TCP device or gateway (port 502 by default)')
  .option('--baud <list>', 'baud rates to try, e.g. 9600,19200, or "all"', 'all')
  .option('--parity <list>', 'parities to try: even,none,odd or "all"', 'all')
  .option('--units <list>', 'unit ids, e.g. 1-247 or 1-10,200', '1-247')
  .option('--timeout <ms>', 'wait per unit, ms (RTU: at 9600 baud, slower rates add their wire time; default 80 RTU, 300 TCP)', parseWholeMs)
  .option('--all-settings', 'keep trying other line settings after devices answered (a line with mixed settings)')
  .option('--device-id', 'also ask each device found for FC43/14 Read Device Identification (read-only; many devices lack it)')
  .option('--profile-dir <dir>', 'extra profile directory (repeatable), searched before the built-in profiles', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--write-to <site.yaml>', 'add the identified devices to this site file, then validate it')
  .option('--bus <name>', 'with --write-to: the bus they go on (created from the scan if the file has none of that name)')
  .option('--poll-ms <ms>', 'with --write-to: pollMs of the devices written', parseWholeMs, 1000)
  .action(async (opts: { port?: string; tcp?: string; baud: string; parity: string; units: string; timeout?: number; allSettings?: boolean; deviceId?: boolean; profileDir: string[]; writeTo?: string; bus?: string; pollMs: number }) => {
    const { scanCommand } = await import('./commands/scan.js');
    process.exitCode = await scanCommand(opts);
  });

program
  .command('report')
  .description('write the commissioning report (HTML; PDF with --pdf when Chromium is installed): site, devices, register maps, thresholds, walk test, bus budget, signatures')
  .requiredOption('-c, --config <file>', 'the site file (YAML)')
  .option('--walk-test <file>', 'the walk-test record (JSON) that `vigil walk-test` wrote')
  .option('-o, --out <file>', 'the HTML file to write', 'report.html')
  .option('--pdf', 'also print it to PDF beside the HTML (needs Chromium)')
  .action(async (opts: { config: string; walkTest?: string; out: string; pdf?: boolean }) => {
    const { reportCommand } = await import('./commands/report.js');
    process.exitCode = await reportCommand(opts);
  });

program
  .command('register')
  .description("the gateway's cloud identity: key pair and certificate request, then the signed certificate; tests the TLS connection to the broker")
  .requiredOption('-c, --config <file>', 'the site file (YAML)')
  .option('--dir <dir>', 'where the credentials are kept (default: the directory of cloud.mqtt.tls.key, else tls/ beside the site file)')
  .option('--cert <file>', 'the certificate the cloud operator signed from gateway.csr (with --ca)')
  .option('--ca <file>', 'the CA certificate that signed it and the broker (with --cert)')
  .option('--new-key', 'make a new key pair and CSR although one exists (the stored certificate is removed: it belongs to the old key)')
  .option('--no-test', 'do not connect to the broker')
  .option('--timeout <seconds>', 'connection test time limit', parseSeconds, 10)
  .action(async (opts: { config: string; dir?: string; cert?: string; ca?: string; newKey?: boolean; test: boolean; timeout: number }) => {
    const { registerCommand } = await import('./commands/register.js');
    process.exitCode = await registerCommand(
      { config: opts.config, ...(opts.dir !== undefined ? { dir: opts.dir } : {}), ...(opts.cert !== undefined ? { cert: opts.cert } : {}), ...(opts.ca !== undefined ? { ca: opts.ca } : {}), newKey: opts.newKey === true, test: opts.test, timeoutSec: opts.timeout },
      { log: (l) => console.log(l), error: (l) => console.error(l) },
    );
  });

program
  .command('walk-test')
  .description('commissioning walk-test of a running gateway: switch each sounder, strobe and relay for the installer to confirm, bump-test each detector; writes a record (docs/walk-test.md)')
  .option('--api <url>', 'the gateway\'s local API (default: the site file\'s api address with --config, else http://127.0.0.1:8080)')
  .option('--config <file>', 'the site file: with --user, your token is read from its secrets file')
  .option('--user <name>', 'your api.users name (outputs are switched and alarms reset in your name)')
  .option('--token-file <file>', 'instead of --config/--user: a file holding your api.users token')
  .requiredOption('--installer <name>', 'your name, as it goes into the commissioning record')
  .option('--out <file>', 'the commissioning record (JSON)', 'walk-test.json')
  .option('--answers <file>', 'answers to the output questions (YAML/JSON), for a run without a terminal')
  .option('--yes', 'answer yes to every output question (CI)')
  .option('--only <names>', 'only these outputs and detector devices, comma-separated')
  .option('--output-seconds <s>', 'how long each output is held on at most (≤ 30)', parseSeconds, 5)
  .option('--detector-timeout <s>', 'how long to wait for a detector\'s alarm after the prompt', parseSeconds, 120)
  .action(async (opts: import('./commands/walk-test.js').WalkTestFlags) => {
    const { walkTestCommand } = await import('./commands/walk-test.js');
    process.exitCode = await walkTestCommand(opts, { log: (l) => console.log(l), error: (l) => console.error(l), interactive: process.stdin.isTTY === true && process.stdout.isTTY === true });
  });

program
  .command('live')
  .description('a terminal view of a running gateway: status, alarms, points with trends, bus health; refreshes in place (q quits)')
  .option('--api <url>', 'the gateway\'s local API', 'http://127.0.0.1:8080')
  .option('--interval <s>', 'seconds between refreshes', parseSeconds, 1)
  .option('--once', 'print one frame and exit (also what a pipe gets each interval)')
  .action(async (opts: { api: string; interval: number; once?: boolean }) => {
    const { liveCommand } = await import('./commands/live.js');
    process.exitCode = await liveCommand(opts);
  });

await program.parseAsync(process.argv);
