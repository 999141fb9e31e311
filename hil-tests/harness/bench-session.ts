import { GpiodGpio } from '../../drivers/gpio/gpiod-gpio.js';
import type { GpioOutputLine } from '../../drivers/gpio/gpio.js';
import { startMonitoringCentre, type MonitoringCentre } from '../virtual-rig/monitoring-centre/centre.js';
import type { BenchRigFile } from '../rig-file/schema.js';
import { startCloud, type Cloud } from './cloud.js';
import { GatewayProcess } from './gateway-process.js';
import type { Operator } from './operator.js';
import { gpioInputProbe, type OutputProbe } from './output-probe.js';
import { waitUntilReady } from './ready.js';
import { RigSession, type FireTrigger, type SessionNeeds } from './rig.js';
import { writeSiteFile } from './site-file.js';
import { isFireReport } from './fire-frames.js';

/**
 * A bench rig (docs/hil.md): real detectors on real RS-485 adapters, the gateway run on this
 * machine by the harness, outputs read back through wired inputs or confirmed by a person, and
 * every physical act — test gas, pulling an A/B pair, cycling the field supply — either
 * commanded (a solenoid on a relay) or asked of the operator with a timeout. Whatever the
 * person says, the result is checked through the gateway's API.
 */
const CENTRE_ADDRESS = { uitd: 1001, centre: 2001 };

export class BenchSession extends RigSession {
  readonly kind = 'bench' as const;
  private readonly solenoids = new Map<string, { out: GpioOutputLine; activeLow: boolean }>();

  private constructor(
    private readonly bench: BenchRigFile,
    operator: Operator,
    gw: GatewayProcess,
    cloud: Cloud,
    probes: Map<string, OutputProbe | 'operator'>,
    private readonly centre: MonitoringCentre | null,
    private readonly chips: Map<string, GpiodGpio>,
  ) {
    super(bench, operator, gw, cloud, probes);
  }

  static async open(file: BenchRigFile, operator: Operator, needs: SessionNeeds, dir: string, env: NodeJS.ProcessEnv = process.env): Promise<BenchSession> {
    const undo: Array<() => Promise<void>> = [];
    try {
      const cloud = await startCloud(file.broker.mode);
      undo.push(() => cloud.close());
      let centre: MonitoringCentre | null = null;
      if (file.monitoringCentre?.kind === 'simulated') {
        const c = await startMonitoringCentre({ address: CENTRE_ADDRESS.centre });
        centre = c;
        undo.push(() => c.close());
      }
      const mc = file.monitoringCentre;
      const panel = file.firePanel;
      if (needs.unsynchronisedClock) {
        await operator.instruct(
          'Make sure this machine boots the gateway with an UNSYNCHRONISED clock: stop NTP (sudo systemctl stop systemd-timesyncd) and remove /run/systemd/timesync/synchronized and /run/vigil/clock-synchronized',
          file.operatorTimeoutMs,
        );
      }
      const { siteFile, token } = writeSiteFile(dir, file, {
        buses: Object.fromEntries(file.buses.map((b) => [b.name, { port: b.port }])),
        mqttUrl: cloud.gatewayUrl,
        gpioChip: file.gpioChip,
        ...(panel ? { firePanel: { name: panel.name, transportYaml: panelTransportYaml(panel.transport) } } : {}),
        ...(mc?.kind === 'external' ? { centre: { host: mc.host, port: mc.port, uitd: mc.uitd, centre: mc.centre } } : centre ? { centre: { host: '127.0.0.1', port: centre.port, ...CENTRE_ADDRESS } } : {}),
        // The bench vouches for its clock, except in the scenario that boots unsynchronised.
        clock: needs.unsynchronisedClock ? { trust: 'ntp' } : { trust: 'always' },
      });
      const gw = new GatewayProcess(siteFile, token, env);
      undo.push(() => gw.kill());
      await gw.start();
      await waitUntilReady(gw.api, file.devices.map((d) => d.name));
      const probes = new Map<string, OutputProbe | 'operator'>();
      for (const o of file.outputs) {
        const rb = o.readBack;
        if (rb?.kind === 'gpio') {
          const p = await gpioInputProbe(rb.chip, rb.line, rb.activeLow);
          undo.push(() => p.close());
          probes.set(o.name, p);
        } else probes.set(o.name, 'operator');
      }
      return new BenchSession(file, operator, gw, cloud, probes, centre, new Map());
    } catch (e) {
      for (const u of undo.reverse()) await u().catch(() => undefined);
      throw e;
    }
  }

  get firePanel(): string | undefined {
    return this.bench.firePanel?.name;
  }

  protected async stimulate(device: string, point: string, value: number, before: number | null): Promise<void> {
    const d = this.bench.devices.find((x) => x.name === device);
    if (!d) throw new Error(`the rig has no device ${device}`);
    const s = d.stimuli?.[point];
    if (s?.kind === 'solenoid' && (value === s.restValue || value <= s.value)) {
      // Open: the reading climbs towards the cylinder's value and passes `value` on the way.
      const line = await this.solenoid(s.chip, s.line, s.activeLow);
      line.write((value !== s.restValue) !== s.activeLow ? 1 : 0);
      this.operator.note(`${device}: solenoid ${value === s.restValue ? 'closed (fresh air)' : `open (${s.value} from the cylinder)`}; waiting for the reading`);
      return;
    }
    const unit = (await this.gateway.points(device)).find((p) => p.point === point)?.unit ?? '';
    const rising = before === null || value >= before;
    const what =
      point === 'gas_lel'
        ? rising
          ? `apply ${value} %LEL test gas to detector ${device} (unit ${d.unitId})`
          : `remove the test gas from detector ${device} and let it fall to ${value} %LEL`
        : `make ${device} (unit ${d.unitId}) read ${value} ${unit} on ${point}`;
    await this.operator.instruct(`${what}. The suite then waits for the gateway to read it.`, this.bench.operatorTimeoutMs);
  }

  async cut(device: string): Promise<void> {
    const d = this.bench.devices.find((x) => x.name === device)!;
    await this.operator.instruct(`Disconnect the RS-485 A/B pair of ${device} (unit ${d.unitId} on ${d.bus}) at its terminal block`, this.bench.operatorTimeoutMs);
  }

  async reconnect(device: string): Promise<void> {
    await this.operator.instruct(`Reconnect the RS-485 A/B pair of ${device}`, this.bench.operatorTimeoutMs);
  }

  /**
   * The gateway process is killed (SIGKILL: nothing flushed, as in a power cut) while a person
   * cycles the rig's supply (field devices, relay board); then it is started again.
   */
  async powerCycle(): Promise<void> {
    await this.gw.kill();
    await this.operator.instruct('The gateway was killed as by a power cut. Switch the rig supply (24 V field devices and the relay board) OFF, wait 5 s, switch it ON again', this.bench.operatorTimeoutMs);
    await this.gw.start();
    await waitUntilReady(this.gw.api, this.bench.devices.map((d) => d.name));
  }

  async synchroniseClock(): Promise<void> {
    await this.operator.instruct('Let the clock synchronise (sudo systemctl start systemd-timesyncd); wait until `timedatectl` says "System clock synchronized: yes"', this.bench.operatorTimeoutMs);
  }

  /** Timed from the gateway's activation of the fire alarm: the panel's own frame is not visible from here. */
  async fire(): Promise<FireTrigger> {
    const panel = this.bench.firePanel;
    if (!panel) throw new Error('the rig file has no firePanel');
    await this.operator.instruct(`At the fire panel: ${panel.fireAction}`, this.bench.operatorTimeoutMs);
    const detectedTs = await this.waitFor(
      `${panel.name}/fire to activate`,
      async () => (await this.gateway.alarm(`${panel.name}/fire`))?.occurrence?.detectedTs,
      this.bench.operatorTimeoutMs,
    );
    return { sentAt: performance.now() - Math.max(0, Date.now() - detectedTs), measuredFrom: "the gateway's fire alarm activation" };
  }

  async centreReceivedFire(since: FireTrigger, timeoutMs: number): Promise<number | null> {
    if (this.centre) return (await this.centre.waitFor((f) => f.arrivedMs >= since.sentAt - 1_000 && isFireReport(f), timeoutMs)).arrivedMs;
    const yes = await this.operator.confirm('Does the monitoring centre show the fire alarm?', this.bench.operatorTimeoutMs);
    if (!yes) throw new Error('the operator says the monitoring centre did not receive the fire alarm');
    return null;
  }

  async resetFirePanel(): Promise<void> {
    const panel = this.bench.firePanel;
    if (!panel) throw new Error('the rig file has no firePanel');
    await this.operator.instruct(`At the fire panel: ${panel.resetAction}`, this.bench.operatorTimeoutMs);
  }

  protected readingTimeoutMs(): number {
    return this.bench.operatorTimeoutMs;
  }

  protected operatorTimeoutMs(): number {
    return this.bench.operatorTimeoutMs;
  }

  async close(): Promise<void> {
    // Gas off first: a cylinder left open would fill the test chamber.
    for (const s of this.solenoids.values()) s.out.write(s.activeLow ? 1 : 0);
    await this.stopGateway().catch(() => undefined);
    for (const p of this.probes.values()) if (p !== 'operator') await p.close().catch(() => undefined);
    for (const chip of this.chips.values()) await chip.close().catch(() => undefined);
    await this.centre?.close().catch(() => undefined);
    await this.cloud.close().catch(() => undefined);
  }

  private async solenoid(chip: string, line: number, activeLow: boolean): Promise<GpioOutputLine> {
    const key = `${chip}:${line}`;
    const have = this.solenoids.get(key);
    if (have) return have.out;
    let gpio = this.chips.get(chip);
    if (!gpio) {
      gpio = new GpiodGpio({ chip });
      await gpio.open();
      this.chips.set(chip, gpio);
    }
    const out = gpio.output(line, activeLow ? 1 : 0);
    this.solenoids.set(key, { out, activeLow });
    return out;
  }
}

function panelTransportYaml(t: NonNullable<BenchRigFile['firePanel']>['transport']): string {
  return t.type === 'serial' ? `{ type: serial, port: ${t.port}, baudRate: ${t.baudRate}, parity: ${t.parity}, stopBits: ${t.stopBits} }` : `{ type: tcp-client, host: ${t.host}, port: ${t.port} }`;
}
