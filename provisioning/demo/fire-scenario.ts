import { COMPONENT_STATUS_BITS, DataType, flagsOf, type ComponentStatus } from '../../drivers/gb26875/index.js';
import { panelListening } from '../../hil-tests/virtual-rig/fire-panel/tcp.js';
import { startMonitoringCentre, type MonitoringCentre, type ReceivedFrame } from '../../hil-tests/virtual-rig/monitoring-centre/centre.js';
import type { DemoCommands } from './demo-commands.js';
import { clockTime } from './safety-view.js';

/**
 * The fire part of the demo (docs/fire-panels.md): a simulated fire alarm control panel that the
 * gateway dials (transport tcp-client — the simpler way round, the panel's port is known before the
 * site file is written) and a simulated fire remote-monitoring centre that the gateway dials as a
 * UITD. Both listen on 127.0.0.1 on ephemeral ports. A timer plays the story: a smoke detector's
 * fire, the centre's 查岗 duty-check, the panel's reset. The console reads what the centre
 * simulator received to tell how long the fire alarm took (GB 26875.1: within 10 s).
 */

/** The names the site file, the console and the demo test share. */
export const FIRE_DEMO = {
  panel: 'fire-panel',
  detector: { componentType: 42, zone: 3, position: 12, description: '1号楼3层烟感' },
  /** After the gas story's interlock has tripped (~21 s), so each part can be seen on its own. */
  fireAtMs: 35_000,
  dutyCheckAtMs: 45_000,
  /** The panel is reset (detector clear); the gateway's latched fire alarm then waits for a person. */
  panelResetAtMs: 65_000,
  /** A real card heartbeats every 20–30 s; the gateway calls the link lost after 90 s of silence. */
  heartbeatMs: 30_000,
  /** GB 26875.1 [C*]: a fire alarm reaches the centre within 10 s. */
  fireDeadlineMs: 10_000,
} as const;

export const FIRE_CENTRE_DUTY_CHECK = 'fire-centre/duty_check';

export interface FireSimulators {
  panelPort: number;
  centre: MonitoringCentre;
  /** The site-file sections for the panel and the centre link. */
  siteYaml: string;
  scenario(commands: DemoCommands): FireScenario;
  close(): Promise<void>;
}

export async function startFireSimulators(): Promise<FireSimulators> {
  const panel = await panelListening();
  const centre = await startMonitoringCentre().catch(async (e: unknown) => {
    await panel.close();
    throw e;
  });
  return {
    panelPort: panel.port,
    centre,
    siteYaml: fireSiteYaml(panel.port, centre.port),
    scenario: (commands) => new FireScenario(panel, centre, commands),
    close: async () => {
      await panel.close();
      await centre.close();
    },
  };
}

/** The `firePanels:` and `fireCentre:` sections of the demo site file. */
export function fireSiteYaml(panelPort: number, centrePort: number): string {
  return `# A fire alarm control panel speaking GB/T 26875.3 (simulated: its card listens, the gateway
# dials it) and the link to a fire remote-monitoring centre (simulated), see docs/fire-panels.md.
firePanels:
  - name: ${FIRE_DEMO.panel}
    description: Building 1 fire alarm control panel (simulated)
    transport: { type: tcp-client, host: 127.0.0.1, port: ${panelPort} }
fireCentre:
  centre: { host: 127.0.0.1, port: ${centrePort} }
  address: { uitd: 1001, centre: 2001 }
`;
}

type PanelHandle = Awaited<ReturnType<typeof panelListening>>;

/**
 * Plays the fire story on timers and turns what happened into console lines, in the narrator's
 * style. The centre's frames are looked at when the console asks (once a second), so no wait
 * outlives the demo; the latency is still exact — it comes from the frames' arrival times.
 */
export class FireScenario {
  private readonly pending: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private fireSent: { at: number; index: number } | null = null;
  private dutyAsked: { at: number; index: number } | null = null;
  private stopped = false;

  constructor(
    private readonly panel: PanelHandle,
    private readonly centre: MonitoringCentre,
    private readonly commands: DemoCommands,
  ) {}

  /** `startedAt` (Date.now()) is the demo's time zero, which the timeline is counted from. */
  start(startedAt = Date.now()): void {
    const at = (ms: number, run: () => Promise<void>): void => {
      this.timers.push(setTimeout(() => void run().catch((e: unknown) => this.say(`fire demo: ${e instanceof Error ? e.message : String(e)}`)), Math.max(0, startedAt + ms - Date.now())));
    };
    // The gateway dials the panel as it starts; the card says hello at once so the gateway's
    // health does not wait for the first 30 s heartbeat.
    void this.panel.connected().then(async () => {
      if (this.stopped) return;
      await this.panel.panel.heartbeat();
      await this.panel.panel.systemStatus({});
    });
    this.timers.push(setInterval(() => void this.panel.panel.heartbeat().catch(() => undefined), FIRE_DEMO.heartbeatMs));
    at(FIRE_DEMO.fireAtMs, () => this.fire());
    at(FIRE_DEMO.dutyCheckAtMs, () => this.dutyCheck());
    at(FIRE_DEMO.panelResetAtMs, () => this.panelReset());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
  }

  /** What happened since the last call. */
  lines(nowMs = Date.now()): string[] {
    const time = clockTime(nowMs);
    if (this.fireSent) {
      const got = this.receivedSince(this.fireSent.index, isFireReport);
      const waited = performance.now() - this.fireSent.at;
      if (got) {
        this.pending.push(`${time}  → centre received fire alarm in ${Math.round(got.arrivedMs - this.fireSent.at)} ms from the panel's frame (GB 26875.1: within 10 s)${got.reply === 'confirm' ? ' and confirmed it' : `; its reply: ${got.reply}`}`);
        this.fireSent = null;
      } else if (waited > FIRE_DEMO.fireDeadlineMs) {
        this.pending.push(`${time}  ✖ the monitoring centre has NOT received the fire alarm after 10 s; the gateway keeps resending it and sounds fire-centre/transmission`);
        this.fireSent = null;
      }
    }
    if (this.dutyAsked) {
      const got = this.receivedSince(this.dutyAsked.index, (f) => f.message?.data?.type === DataType.UitdOperation);
      if (got) {
        this.pending.push(`${time}  ✔ 查岗 answered: the answer reached the monitoring centre ${((got.arrivedMs - this.dutyAsked.at) / 1000).toFixed(1)} s after it asked`);
        this.dutyAsked = null;
      }
    }
    return this.pending.splice(0);
  }

  private async fire(): Promise<void> {
    const d = FIRE_DEMO.detector;
    // Told before the frame goes, so it reads before the alarm the gateway raises from it.
    this.say(`${clockTime(Date.now())}  ${FIRE_DEMO.panel} (simulated) reports a FIRE: smoke detector ${d.description}, zone ${d.zone} position ${d.position}`);
    this.fireSent = { at: performance.now(), index: this.centre.received.length };
    const reply = await this.panel.panel.component({ ...d, flags: { fire: true } });
    // A confirm is the normal case and needs no line; anything else is worth seeing.
    if (reply !== 'confirm') this.say(`${clockTime(Date.now())}  ✖ ${FIRE_DEMO.panel}: the gateway ${replyText(reply)} with the fire alarm`);
  }

  private async dutyCheck(): Promise<void> {
    const index = this.centre.received.length;
    const at = performance.now();
    // 10 minutes to answer: GB 26875.1 [C*].
    const answer = await this.centre.control({ type: DataType.DutyCheck, objects: [{ answerMinutes: 10 }] });
    if (answer.header.command !== 3) return this.say(`${clockTime(Date.now())}  查岗: the gateway denied the monitoring centre's duty-check`);
    this.dutyAsked = { at, index };
    this.say(`${clockTime(Date.now())}  查岗: the monitoring centre asks whether someone is on duty. The gateway beeps and flashes until a person answers:`);
    this.say(`          ${this.commands.acknowledge(FIRE_CENTRE_DUTY_CHECK)}`);
  }

  private async panelReset(): Promise<void> {
    const reply = await this.panel.panel.reset();
    this.say(`${clockTime(Date.now())}  ${FIRE_DEMO.panel} (simulated) was reset on the panel: ${FIRE_DEMO.detector.description} back to normal — the gateway ${replyText(reply)}`);
  }

  private say(line: string): void {
    if (!this.stopped) this.pending.push(line);
  }

  private receivedSince(index: number, match: (f: ReceivedFrame) => boolean): ReceivedFrame | undefined {
    return this.centre.received.slice(index).find(match);
  }
}

function replyText(reply: 'confirm' | 'deny' | 'no-reply'): string {
  return reply === 'confirm' ? 'confirmed the frame' : reply === 'deny' ? 'DENIED the frame' : 'did not answer the frame';
}

/** A type 2 component status from the gateway with the fire bit set. */
function isFireReport(f: ReceivedFrame): boolean {
  const data = f.message?.data;
  if (data?.type !== DataType.ComponentStatus) return false;
  return (data.objects as readonly ComponentStatus[]).some((o) => flagsOf(COMPONENT_STATUS_BITS, o.status).fire);
}
