import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { createLogger, flushLogger } from '../../gateway/log.js';
import { startGateway } from '../../gateway/runtime/gateway.js';
import { startVirtualRig } from '../../hil-tests/virtual-rig/rig.js';
import { VirtualGpio } from '../../drivers/gpio/virtual-gpio.js';
import { DemoCommands } from '../demo/demo-commands.js';
import { writeDemoSecrets } from '../demo/demo-secrets.js';
import { DEMO, demoRigSpec, demoSiteYaml } from '../demo/demo-site.js';
import { startEmbeddedBroker } from '../demo/embedded-broker.js';
import { startFireSimulators } from '../demo/fire-scenario.js';
import { ElectricityWatcher, electricitySiteYaml } from '../demo/electricity-scenario.js';
import { banner, statusLine } from '../demo/console.js';
import { Narrator } from '../demo/narrator.js';
import { clockTime, readSafetyView, renderSafety } from '../demo/safety-view.js';
import { Screen } from '../demo/screen.js';

export interface DemoOptions {
  apiPort: number;
  mqttPort: number;
  controlPort: number;
  dataDir: string;
  duration?: number;
  rampEvery: number;
}

/** On a terminal the panel is redrawn this often; into a pipe the status line is appended every STATUS_EVERY_MS. */
const REFRESH_MS = 1_000;
const STATUS_EVERY_MS = 5_000;

/**
 * `vigil demo` (= `npm start`): the whole system on a laptop — a virtual rig of simulated
 * devices, an embedded MQTT broker standing in for the cloud, and a gateway running from an
 * ordinary site file, with its safety layer: alarms, a sounder, strobe, fault lamp and fan on
 * in-memory GPIO lines, and an interlock closing a gas valve; and a simulated fire panel whose
 * fire alarm the gateway relays to a simulated fire monitoring centre. Gateway logs go to
 * <data-dir>/gateway.log; the console shows the alarms, outputs and interlock, and how to act.
 */
export async function demoCommand(opts: DemoOptions): Promise<number> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const broker = await startEmbeddedBroker(opts.mqttPort);
    cleanups.push(() => broker.close());
    const rig = await startVirtualRig(demoRigSpec({ rampEverySec: opts.rampEvery, controlPort: opts.controlPort }));
    cleanups.push(() => rig.stop());
    const rtu = rig.buses['rs485-1'];
    const tcp = rig.buses['plant-net'];
    if (rtu?.type !== 'rtu' || tcp?.type !== 'tcp') throw new Error('the demo rig did not start its buses');

    // A fire panel and a fire monitoring centre, both simulated on 127.0.0.1 (ephemeral ports).
    const fire = await startFireSimulators();
    cleanups.push(() => fire.close());

    const siteFile = join(dataDir, 'site.yaml');
    const secrets = writeDemoSecrets(dataDir);
    const startedAt = Date.now();
    writeFileSync(siteFile, demoSiteYaml({ rtuPort: rtu.gatewayPort, tcpPort: tcp.port, mqttUrl: broker.url, apiPort: opts.apiPort }) + fire.siteYaml + electricitySiteYaml(startedAt));
    const loaded = loadSiteConfig(siteFile);
    if (!loaded.ok) {
      for (const p of loaded.problems) console.error(formatProblem(p));
      throw new Error('the demo site file is invalid (a bug in the demo)');
    }
    const logFile = join(dataDir, 'gateway.log');
    const logger = createLogger({ level: 'info', destination: { file: logFile } });
    // In-memory output lines the console can watch (the site file says driver: virtual as well).
    const gpio = new VirtualGpio();
    const gateway = await startGateway({ config: loaded.config, configDir: loaded.configDir, secrets: loaded.secrets, profiles: loaded.profiles, logger, gpio });
    cleanups.push(async () => {
      await gateway.stop();
      flushLogger(logger);
    });

    // A real detector raises its own status with the concentration; mirror that on gas-1
    // so the status point tells the same story as the value.
    const gas1 = rig.device('gas-1');
    const mirror = setInterval(() => {
      const lel = Number(gas1.get('gas_lel'));
      gas1.set('status', lel >= 50 ? 'alarm_level_2' : lel >= 25 ? 'alarm_level_1' : 'normal');
    }, 250);
    cleanups.push(async () => clearInterval(mirror));

    const commands = new DemoCommands(gateway.apiUrl, secrets.authHeaderFile, rig.controlApi?.url);
    const screen = new Screen(process.stdout);
    const style = { colour: screen.live && !process.env.NO_COLOR, live: screen.live };
    screen.print(
      banner({ rampEverySec: Math.max(60, opts.rampEvery), apiUrl: gateway.apiUrl, mqttPort: broker.port, controlUrl: rig.controlApi?.url, siteFile, secretsFile: secrets.secretsFile, logFile, rtuPort: rtu.gatewayPort, commands, fire }),
    );
    const fireScenario = fire.scenario(commands);
    fireScenario.start();
    cleanups.push(async () => fireScenario.stop());
    // The platform's view of electricity: what arrives at the broker (the topic base of docs/messages.md).
    const cloud = loaded.config.cloud;
    if (!cloud) throw new Error('the demo site file has no cloud section (a bug in the demo)');
    const electricity = new ElectricityWatcher(broker.url, `${cloud.mqtt.topicPrefix}/${loaded.config.site.id}/${loaded.config.gateway.id}`);
    electricity.start();
    cleanups.push(() => electricity.stop());

    // Events and hints every second; the panel redrawn every second on a terminal, or appended
    // every 5 s into a pipe — its safety lines then only when they changed, so a log stays short.
    const narrator = new Narrator(commands, DEMO.valve);
    let lastStatusAt = 0;
    let lastSafety = '';
    let busy = false;
    const refresh = async (final: boolean): Promise<void> => {
      const view = readSafetyView(gateway, gpio, DEMO.valve);
      const events = [...fireScenario.lines(view.nowMs), ...narrator.next(view), ...electricity.lines()];
      const safety = renderSafety(view, style);
      const statusDue = screen.live || final || view.nowMs - lastStatusAt >= STATUS_EVERY_MS;
      if (!statusDue) return screen.update(events, null);
      lastStatusAt = view.nowMs;
      // The health route answering badly is itself worth seeing; the events must still show.
      const status = await statusLine(gateway).catch((e: unknown) => `${clockTime(view.nowMs)}  health not available: ${e instanceof Error ? e.message : String(e)}`);
      const changed = safety.join('\n') !== lastSafety;
      lastSafety = safety.join('\n');
      screen.update(events, screen.live || final || changed ? [status, ...safety] : [status]);
    };
    const ticker = setInterval(() => {
      if (busy) return;
      busy = true;
      refresh(false)
        .catch((e: unknown) => screen.update([`console: ${e instanceof Error ? e.message : String(e)}`], null))
        .finally(() => (busy = false));
    }, REFRESH_MS);
    cleanups.push(async () => clearInterval(ticker));

    await new Promise<void>((resolveRun) => {
      process.once('SIGINT', () => resolveRun());
      process.once('SIGTERM', () => resolveRun());
      if (opts.duration !== undefined) setTimeout(resolveRun, opts.duration * 1_000).unref();
    });
    clearInterval(ticker);
    while (busy) await new Promise((r) => setTimeout(r, 20));
    await refresh(true);
    screen.print(['stopping the demo …']);
    await cleanup();
    console.log('stopped.');
    return 0;
  } catch (e) {
    console.error(`vigil demo: ${e instanceof Error ? e.message : String(e)}`);
    await cleanup();
    return 1;
  }
}
