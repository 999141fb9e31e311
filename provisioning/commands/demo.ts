import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { createLogger, flushLogger } from '../../gateway/log.js';
import { startGateway } from '../../gateway/runtime/gateway.js';
import { startVirtualRig } from '../../hil-tests/virtual-rig/rig.js';
import { demoRigSpec, demoSiteYaml } from '../demo/demo-site.js';
import { startEmbeddedBroker } from '../demo/embedded-broker.js';
import { printBanner, statusLine } from '../demo/console.js';

export interface DemoOptions {
  apiPort: number;
  mqttPort: number;
  controlPort: number;
  dataDir: string;
  duration?: number;
  rampEvery: number;
}

/**
 * `vigil demo` (= `npm start`): the whole system on a laptop — a virtual rig of simulated
 * devices, an embedded MQTT broker standing in for the cloud, and a gateway running from an
 * ordinary site file. Gateway logs go to <data-dir>/gateway.log; the console shows where to look.
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

    const siteFile = join(dataDir, 'site.yaml');
    writeFileSync(siteFile, demoSiteYaml({ rtuPort: rtu.gatewayPort, tcpPort: tcp.port, mqttUrl: broker.url, apiPort: opts.apiPort }));
    const loaded = loadSiteConfig(siteFile);
    if (!loaded.ok) {
      for (const p of loaded.problems) console.error(formatProblem(p));
      throw new Error('the demo site file is invalid (a bug in the demo)');
    }
    const logFile = join(dataDir, 'gateway.log');
    const logger = createLogger({ level: 'info', destination: { file: logFile } });
    const gateway = await startGateway({ config: loaded.config, configDir: loaded.configDir, secrets: loaded.secrets, profiles: loaded.profiles, logger });
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

    printBanner({ rampEverySec: Math.max(60, opts.rampEvery), apiUrl: gateway.apiUrl, mqttUrl: broker.url, mqttPort: broker.port, controlUrl: rig.controlApi?.url, siteFile, logFile, rtuPort: rtu.gatewayPort });
    const ticker = setInterval(() => {
      void statusLine(gateway).then((line) => console.log(line));
    }, 5_000);
    cleanups.push(async () => clearInterval(ticker));

    await new Promise<void>((resolveRun) => {
      process.once('SIGINT', () => resolveRun());
      process.once('SIGTERM', () => resolveRun());
      if (opts.duration !== undefined) setTimeout(resolveRun, opts.duration * 1_000).unref();
    });
    console.log(await statusLine(gateway));
    console.log('stopping the demo …');
    await cleanup();
    console.log('stopped.');
    return 0;
  } catch (e) {
    console.error(`vigil demo: ${e instanceof Error ? e.message : String(e)}`);
    await cleanup();
    return 1;
  }
}
