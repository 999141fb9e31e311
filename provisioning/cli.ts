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

await program.parseAsync(process.argv);
