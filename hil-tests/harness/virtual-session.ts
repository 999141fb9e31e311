import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Behaviour } from '../virtual-rig/behaviours.js';
import { panelListening } from '../virtual-rig/fire-panel/tcp.js';
import { startMonitoringCentre, type MonitoringCentre } from '../virtual-rig/monitoring-centre/centre.js';
import { isFireReport } from './fire-frames.js';
import { startVirtualRig, type VirtualRig } from '../virtual-rig/rig.js';
import type { VirtualRigFile } from '../rig-file/schema.js';
import { startCloud, type Cloud } from './cloud.js';
import { GatewayProcess } from './gateway-process.js';
import type { Operator } from './operator.js';
import { installFakeGpiod, type OutputProbe } from './output-probe.js';
import { RigSession, type FireTrigger, type SessionNeeds } from './rig.js';
import { writeSiteFile } from './site-file.js';
import { waitUntilReady } from './ready.js';

/** Quiet, healthy values per profile: a plant at rest, so an alarm is the scenario's doing. */
const VALVE_TRAVEL_MS = 800;
export const BASELINES: Record<string, Record<string, Behaviour | number | string | boolean>> = {
  'generic/combustible-gas': { gas_lel: 2, status: 'normal', alarm_1_setpoint: 25, alarm_2_setpoint: 50 },
  'generic/electrical-fire-monitor': { residual_current: 120, cable_temperature_1: 35, cable_temperature_2: 34, cable_temperature_3: 36, cable_temperature_4: 33 },
  // The limit switches follow the close coil the interlock writes, after the valve's travel.
  'generic/gas-valve-actuator': {
    closed_feedback: { kind: 'follows', point: 'close_command', delayMs: VALVE_TRAVEL_MS },
    open_feedback: { kind: 'follows', point: 'close_command', delayMs: VALVE_TRAVEL_MS, invert: true },
    actuator_fault: false,
  },
};

/** The smoke detector the simulated panel reports (as in the demo, docs/fire-panels.md). */
const DETECTOR = { componentType: 42, zone: 3, position: 12, description: '1号楼3层烟感' };
const CENTRE_ADDRESS = { uitd: 1001, centre: 2001 };

type Panel = Awaited<ReturnType<typeof panelListening>>;

export class VirtualSession extends RigSession {
  readonly kind = 'virtual' as const;

  private constructor(
    file: VirtualRigFile,
    operator: Operator,
    gw: GatewayProcess,
    cloud: Cloud,
    probes: Map<string, OutputProbe>,
    private readonly rig: VirtualRig,
    private readonly panel: Panel | null,
    private readonly centre: MonitoringCentre | null,
    private readonly clockMarker: string,
  ) {
    super(file, operator, gw, cloud, probes);
  }

  static async open(file: VirtualRigFile, operator: Operator, needs: SessionNeeds, dir: string): Promise<VirtualSession> {
    const undo: Array<() => Promise<void>> = [];
    try {
      const rig = await startVirtualRig({
        buses: file.buses.map((b) => ({ name: b.name, type: b.type })),
        devices: file.devices.map((d) => ({ name: d.name, bus: d.bus, unitId: d.unitId, profile: d.profile, behaviours: { ...(BASELINES[d.profile] ?? {}) } })),
        tickMs: 100,
      });
      undo.push(() => rig.stop());
      const cloud = await startCloud(file.broker.mode);
      undo.push(() => cloud.close());
      let panel: Panel | null = null;
      let centre: MonitoringCentre | null = null;
      if (file.fire) {
        panel = await panelListening();
        const p = panel;
        undo.push(() => p.close());
        centre = await startMonitoringCentre({ address: CENTRE_ADDRESS.centre });
        const c = centre;
        undo.push(() => c.close());
        keepPanelAlive(panel);
      }
      const gpio = installFakeGpiod(dir);
      const clockMarker = join(dir, 'clock-synchronized');
      if (!needs.unsynchronisedClock) writeFileSync(clockMarker, '');
      const { siteFile, token } = writeSiteFile(dir, file, {
        buses: Object.fromEntries(
          Object.entries(rig.buses).map(([name, b]) => [name, b.type === 'rtu' ? { port: b.gatewayPort } : { host: b.host, tcpPort: b.port }]),
        ),
        mqttUrl: cloud.gatewayUrl,
        gpioChip: gpio.chip,
        ...(panel && file.fire ? { firePanel: { name: file.fire.panel, transportYaml: `{ type: tcp-client, host: 127.0.0.1, port: ${panel.port} }` } } : {}),
        ...(centre ? { centre: { host: '127.0.0.1', port: centre.port, ...CENTRE_ADDRESS } } : {}),
        clock: { trust: 'ntp', syncMarkers: [clockMarker] },
      });
      const gw = new GatewayProcess(siteFile, token, gpio.env);
      undo.push(() => gw.kill());
      await gw.start();
      await waitUntilReady(gw.api, file.devices.map((d) => d.name));
      const probes = new Map(file.outputs.map((o) => [o.name, gpio.probe(o.line, o.activeLow)]));
      return new VirtualSession(file, operator, gw, cloud, probes, rig, panel, centre, clockMarker);
    } catch (e) {
      for (const u of undo.reverse()) await u().catch(() => undefined);
      throw e;
    }
  }

  get firePanel(): string | undefined {
    return (this.file as VirtualRigFile).fire?.panel;
  }

  protected async stimulate(device: string, point: string, value: number): Promise<void> {
    const d = this.rig.device(device);
    d.set(point, value);
    // A real combustible-gas detector raises its own alarm status with the concentration.
    if (point === 'gas_lel' && this.file.devices.find((x) => x.name === device)?.profile === 'generic/combustible-gas') {
      d.set('status', value >= 50 ? 'alarm_level_2' : value >= 25 ? 'alarm_level_1' : 'normal');
    }
  }

  async cut(device: string): Promise<void> {
    this.rig.inject(device, 'dead');
  }

  async reconnect(device: string): Promise<void> {
    this.rig.clear(device);
  }

  async powerCycle(): Promise<void> {
    await this.gw.kill();
    await this.gw.start();
    await waitUntilReady(this.gw.api, this.file.devices.map((d) => d.name));
  }

  async synchroniseClock(): Promise<void> {
    writeFileSync(this.clockMarker, '');
  }

  async fire(): Promise<FireTrigger> {
    if (!this.panel) throw new Error('this rig has no fire panel (rig file: fire.panel)');
    const sentAt = performance.now();
    const reply = await this.panel.panel.component({ ...DETECTOR, flags: { fire: true } });
    if (reply !== 'confirm') throw new Error(`the gateway did not confirm the panel's fire frame (${reply})`);
    return { sentAt, measuredFrom: "the panel simulator's fire frame" };
  }

  async centreReceivedFire(since: FireTrigger, timeoutMs: number): Promise<number | null> {
    if (!this.centre) throw new Error('this rig has no monitoring centre');
    const frame = await this.centre.waitFor((f) => f.arrivedMs >= since.sentAt && isFireReport(f), timeoutMs);
    return frame.arrivedMs;
  }

  async resetFirePanel(): Promise<void> {
    if (!this.panel) throw new Error('this rig has no fire panel');
    await this.panel.panel.reset();
  }

  protected readingTimeoutMs(): number {
    return 10_000;
  }

  protected operatorTimeoutMs(): number {
    return 1_000;
  }

  async close(): Promise<void> {
    await this.stopGateway().catch(() => undefined);
    await this.panel?.close().catch(() => undefined);
    await this.centre?.close().catch(() => undefined);
    await this.cloud.close().catch(() => undefined);
    await this.rig.stop();
  }
}

/** The card says hello on every connection, as a real one does, so the link is judged at once. */
function keepPanelAlive(panel: Panel): void {
  const greet = async (): Promise<void> => {
    await panel.connected();
    await panel.panel.heartbeat().catch(() => undefined);
    await panel.panel.systemStatus({}).catch(() => undefined);
    void greet();
  };
  void greet();
}
