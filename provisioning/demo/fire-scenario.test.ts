import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bitsOf, Command, COMPONENT_STATUS_BITS, DataType, type Gb26875Message } from '../../drivers/gb26875/index.js';
import type { MonitoringCentre, ReceivedFrame } from '../../hil-tests/virtual-rig/monitoring-centre/centre.js';
import { DemoCommands } from './demo-commands.js';
import { FIRE_DEMO, FireScenario } from './fire-scenario.js';

/** The panel and the centre as the scenario uses them: what the panel sent, what the centre got. */
function setUp() {
  const sent: string[] = [];
  const panel = {
    connected: () => Promise.resolve(),
    panel: {
      heartbeat: vi.fn(async () => (sent.push('heartbeat'), 'confirm' as const)),
      systemStatus: vi.fn(async () => (sent.push('system'), 'confirm' as const)),
      component: vi.fn(async (r: { description: string; flags: { fire?: boolean } }) => (sent.push(`component ${r.description} fire=${r.flags.fire}`), 'confirm' as const)),
      reset: vi.fn(async () => (sent.push('reset'), 'confirm' as const)),
    },
  };
  const received: ReceivedFrame[] = [];
  const centre = {
    received,
    control: vi.fn(async () => ({ header: { command: Command.Confirm } }) as Gb26875Message),
  };
  const commands = new DemoCommands('http://127.0.0.1:8080', '/run/demo/api-auth.header', undefined);
  const scenario = new FireScenario(panel as never, centre as unknown as MonitoringCentre, commands);
  /** A frame from the gateway arriving at the centre `afterMs` from now. */
  const arrive = (data: Gb26875Message['data'], afterMs = 0): void => {
    received.push({ message: { header: { command: Command.Send }, data } as unknown as Gb26875Message, bytes: Buffer.alloc(0), arrivedMs: performance.now() + afterMs, connection: 1, reply: 'confirm' });
  };
  const component = (flags: Partial<Record<keyof typeof COMPONENT_STATUS_BITS, boolean>>) =>
    ({ type: DataType.ComponentStatus, objects: [{ systemType: 1, systemAddress: 1, componentType: 42, componentAddress: { zone: 3, position: 12 }, status: bitsOf(COMPONENT_STATUS_BITS, flags), description: '1号楼3层烟感', time: {} }] }) as unknown as Gb26875Message['data'];
  return { sent, scenario, arrive, component, centre };
}

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] }));
afterEach(() => vi.useRealTimers());

describe('the demo fire story', () => {
  it('reports the panel fire at 35 s and tells how long the centre took to get it — only a fire report counts', async () => {
    const { sent, scenario, arrive, component } = setUp();
    scenario.start();
    await vi.advanceTimersByTimeAsync(FIRE_DEMO.fireAtMs - 1);
    expect(sent.slice(0, 2)).toEqual(['heartbeat', 'system']); // the card says hello when the gateway dials in
    expect(sent.filter((x) => x.startsWith('component'))).toEqual([]);
    expect(scenario.lines()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.at(-1)).toBe('component 1号楼3层烟感 fire=true');
    expect(scenario.lines()).toEqual([expect.stringMatching(/fire-panel \(simulated\) reports a FIRE: smoke detector 1号楼3层烟感, zone 3 position 12$/)]);

    arrive(component({ fault: true }), 5); // a fault report is not the fire alarm
    expect(scenario.lines()).toEqual([]);
    arrive(component({ fire: true }), 42);
    expect(scenario.lines()).toEqual([expect.stringMatching(/→ centre received fire alarm in 42 ms from the panel's frame \(GB 26875\.1: within 10 s\) and confirmed it$/)]);
    expect(scenario.lines()).toEqual([]); // told once
    scenario.stop();
  });

  it('says so when the centre has not got the fire alarm after 10 s', async () => {
    const { scenario } = setUp();
    scenario.start();
    await vi.advanceTimersByTimeAsync(FIRE_DEMO.fireAtMs);
    scenario.lines();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(scenario.lines()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_001);
    expect(scenario.lines()).toContainEqual(expect.stringContaining('✖ the monitoring centre has NOT received the fire alarm after 10 s'));
    scenario.stop();
  });

  it('sends a 查岗 at 45 s, prints the acknowledge command, and tells when the answer reached the centre', async () => {
    const { scenario, arrive, centre, component } = setUp();
    scenario.start();
    await vi.advanceTimersByTimeAsync(FIRE_DEMO.fireAtMs);
    arrive(component({ fire: true }), 10);
    await vi.advanceTimersByTimeAsync(FIRE_DEMO.dutyCheckAtMs - FIRE_DEMO.fireAtMs - 1);
    expect(centre.control).not.toHaveBeenCalled();
    scenario.lines();
    await vi.advanceTimersByTimeAsync(1);
    expect(centre.control).toHaveBeenCalledWith({ type: DataType.DutyCheck, objects: [{ answerMinutes: 10 }] });
    expect(scenario.lines()).toEqual([
      expect.stringMatching(/查岗: the monitoring centre asks whether someone is on duty/),
      '          curl -s -X POST http://127.0.0.1:8080/api/alarms/fire-centre/duty_check/acknowledge -H @/run/demo/api-auth.header',
    ]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(scenario.lines()).toEqual([]); // no answer until a person acknowledges
    arrive({ type: DataType.UitdOperation, objects: [] } as unknown as Gb26875Message['data']);
    expect(scenario.lines()).toEqual([expect.stringMatching(/✔ 查岗 answered: the answer reached the monitoring centre 3\.0 s after it asked$/)]);
    scenario.stop();
  });

  it('resets the panel at 65 s, and nothing more happens after stop()', async () => {
    const { sent, scenario, arrive, component } = setUp();
    scenario.start();
    await vi.advanceTimersByTimeAsync(FIRE_DEMO.fireAtMs);
    arrive(component({ fire: true }), 10);
    await vi.advanceTimersByTimeAsync(FIRE_DEMO.panelResetAtMs - FIRE_DEMO.fireAtMs);
    expect(sent.at(-1)).toBe('reset');
    expect(scenario.lines()).toContainEqual(expect.stringMatching(/fire-panel \(simulated\) was reset on the panel: 1号楼3层烟感 back to normal/));
    scenario.stop();
    const count = sent.length;
    await vi.advanceTimersByTimeAsync(5 * FIRE_DEMO.heartbeatMs);
    expect(sent.length).toBe(count);
  });
});
