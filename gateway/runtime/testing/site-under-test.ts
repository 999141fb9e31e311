import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSiteConfig } from '../../config/load.js';
import { formatProblem } from '../../config/problems.js';
import { createLogger } from '../../log.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway.js';
import { startVirtualRig, type RigSpec, type VirtualRig } from '../../../hil-tests/virtual-rig/rig.js';
import { onTestFinished } from 'vitest';
import { startBroker, type TestBroker } from '../../forward/testing/broker.js';

/**
 * A small plant on the virtual rig for integration tests: three combustible-gas detectors on
 * one RTU line and a CO detector behind a Modbus TCP server, plus the site file a gateway
 * would run from. Polls are fast (250 ms) so the tests are short.
 */
export const TEST_RIG: RigSpec = {
  buses: [
    { name: 'rs485-1', type: 'rtu' },
    { name: 'plant-net', type: 'tcp' },
  ],
  devices: [
    { name: 'gas-1', bus: 'rs485-1', unitId: 1, profile: 'generic/combustible-gas', behaviours: { gas_lel: 12.5, status: 'normal' } },
    { name: 'gas-2', bus: 'rs485-1', unitId: 2, profile: 'generic/combustible-gas', behaviours: { gas_lel: 3.1, status: 'normal' } },
    { name: 'gas-3', bus: 'rs485-1', unitId: 3, profile: 'generic/combustible-gas', behaviours: { gas_lel: 0.4, status: 'normal' } },
    { name: 'co-1', bus: 'plant-net', unitId: 7, profile: 'generic/toxic-gas-co', behaviours: { co_ppm: 9, status: 'normal' } },
  ],
  tickMs: 0,
};

export function siteYaml(rig: VirtualRig, mqttUrl: string, opts: { pollMs?: number; timeoutMs?: number } = {}): string {
  const rtu = rig.buses['rs485-1'];
  const tcp = rig.buses['plant-net'];
  if (rtu?.type !== 'rtu' || tcp?.type !== 'tcp') throw new Error('test rig buses missing');
  const poll = opts.pollMs ?? 250;
  const timeout = opts.timeoutMs ?? 200;
  return `version: 1
site: { id: test-plant, name: Test plant }
gateway: { id: gw-test }
clock: { trust: always }
buses:
  - { name: rs485-1, type: rtu, port: ${rtu.gatewayPort}, baudRate: 9600, parity: even, stopBits: 1, timeoutMs: ${timeout}, retries: 1, backoff: { afterFailures: 2, initialMs: 2000, maxMs: 10000 } }
  - { name: plant-net, type: tcp, host: 127.0.0.1, port: ${tcp.port}, timeoutMs: ${timeout} }
devices:
  - { name: gas-1, bus: rs485-1, unitId: 1, profile: generic/combustible-gas, pollMs: ${poll} }
  - { name: gas-2, bus: rs485-1, unitId: 2, profile: generic/combustible-gas, pollMs: ${poll} }
  - { name: gas-3, bus: rs485-1, unitId: 3, profile: generic/combustible-gas, pollMs: ${poll} }
  - { name: co-1, bus: plant-net, unitId: 7, profile: generic/toxic-gas-co, pollMs: ${poll} }
cloud:
  mqtt: { url: ${mqttUrl}, clientId: gw-test, reconnect: { initialMs: 200, maxMs: 1000 } }
storage: { path: vigil.db, budgetBytes: 16777216 }
api: { bind: 127.0.0.1, port: 0 }
`;
}

export interface SiteUnderTest {
  rig: VirtualRig;
  dir: string;
  siteFile: string;
  /** Start a gateway from the site file; `overrides` replace options (a test store, a tiny hold …). */
  startGateway(overrides?: Partial<GatewayOptions>): Promise<RunningGateway>;
  stop(): Promise<void>;
}

export async function startSiteUnderTest(mqttUrl: string, opts: { pollMs?: number; timeoutMs?: number } = {}): Promise<SiteUnderTest> {
  const rig = await startVirtualRig(TEST_RIG);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-site-'));
  const siteFile = join(dir, 'site.yaml');
  writeFileSync(siteFile, siteYaml(rig, mqttUrl, opts));
  const gateways: RunningGateway[] = [];
  return {
    rig,
    dir,
    siteFile,
    startGateway: async (overrides = {}) => {
      const loaded = loadSiteConfig(siteFile);
      if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
      const gw = await startGateway({ config: loaded.config, configDir: loaded.configDir, secrets: loaded.secrets, profiles: loaded.profiles, logger: createLogger({ level: 'silent' }), ...overrides });
      gateways.push(gw);
      return gw;
    },
    stop: async () => {
      for (const g of gateways) await g.stop();
      await rig.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A broker and the test site for one test, both stopped (gateways first) when the test finishes. */
export async function siteWithBroker(opts: { pollMs?: number; timeoutMs?: number } = {}): Promise<{ broker: TestBroker; site: SiteUnderTest }> {
  const broker = await startBroker();
  const site = await startSiteUnderTest(broker.url, opts).catch(async (e: unknown) => {
    await broker.stop();
    throw e;
  });
  onTestFinished(async () => {
    await site.stop();
    await broker.stop();
  });
  return { broker, site };
}
