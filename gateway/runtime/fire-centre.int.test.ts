import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it, onTestFinished } from 'vitest';
import { VirtualGpio } from '../../drivers/gpio/virtual-gpio.js';
import { DataType } from '../../drivers/gb26875/codes.js';
import { panelListening } from '../../hil-tests/virtual-rig/fire-panel/tcp.js';
import { startMonitoringCentre } from '../../hil-tests/virtual-rig/monitoring-centre/centre.js';
import { waitUntil } from '../forward/testing/broker.js';
import { uitdVersion } from './fire-centre.js';
import { siteWithBroker } from './testing/site-under-test.js';
import { VERSION } from './version.js';

/**
 * Vigil between a fire panel and a fire remote-monitoring centre, end to end on the virtual rig:
 * the panel's fire alarm reaches the centre (GB 26875.1: within 10 s) over the UITD link, and the
 * centre's 查岗 duty-check is answered only when a person acknowledges it. Requires dist/.
 */
describe('fire panel → gateway → fire monitoring centre', () => {
  it('relays a panel fire alarm to the centre well inside 10 s, and answers a duty-check only after a person acknowledges', async () => {
    const { site } = await siteWithBroker();
    const panel = await panelListening();
    onTestFinished(panel.close);
    const centre = await startMonitoringCentre();
    onTestFinished(centre.close);
    appendFileSync(
      site.siteFile,
      `outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: 17, failsafe: on }
firePanels:
  - name: panel-1
    transport: { type: tcp-client, host: 127.0.0.1, port: ${panel.port} }
fireCentre:
  centre: { host: 127.0.0.1, port: ${centre.port} }
  address: { uitd: 1001, centre: 2001 }
`,
    );
    const gw = await site.startGateway({ gpio: new VirtualGpio() });
    await panel.connected();
    await waitUntil(() => centre.connected(), 5_000, 'the gateway to connect to the centre');

    const sent = performance.now();
    expect(await panel.panel.component({ componentType: 42, zone: 3, position: 12, description: '1号楼3层烟感', flags: { fire: true } })).toBe('confirm');
    const fire = await centre.waitFor((f) => f.message?.data?.type === DataType.ComponentStatus, 10_000);
    const latencyMs = fire.arrivedMs - sent;
    expect(latencyMs).toBeLessThan(1_000); // GB 26875.1 allows 10 s; the relay is immediate
    expect(fire.reply).toBe('confirm');
    expect(JSON.stringify(fire.message?.data)).toContain('1号楼3层烟感');

    // The centre reads the component back, and the UITD's own version and configuration.
    const component = await centre.request({ type: DataType.ReadComponentStatus, objects: [{ systemType: 1, systemAddress: 1, componentAddress: { zone: 3, position: 12 } }] });
    expect(component.data).toMatchObject({ type: DataType.ComponentStatus, objects: [{ description: '1号楼3层烟感' }] });
    const version = await centre.request({ type: DataType.ReadUitdSoftwareVersion, objects: [{ reserved: 0 }] });
    expect(version.data).toEqual({ type: DataType.UitdSoftwareVersion, objects: [uitdVersion(VERSION)] });
    const uitdConfig = await centre.request({ type: DataType.ReadUitdConfig, objects: [{ reserved: 0 }] });
    expect(uitdConfig.data).toEqual({ type: DataType.UitdConfig, objects: [{ description: `Vigil ${VERSION} 用户信息传输装置: 1 台火灾报警控制器 (fire panels)` }] });

    // 查岗: the centre asks; the gateway sounds (a fault-class alarm) and waits for a person.
    const confirm = await centre.control({ type: DataType.DutyCheck, objects: [{ answerMinutes: 10 }] });
    expect(confirm.header.command).toBe(3);
    await waitUntil(() => gw.safety.engine.get('fire-centre/duty_check')?.state === 'unacknowledged', 3_000, 'the duty-check alarm');
    const before = centre.received.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(centre.received.slice(before).some((f) => f.message?.data?.type === DataType.UitdOperation)).toBe(false);
    // A person acknowledges it (the API, the button and the cloud all end here): the answer goes up.
    const ack = gw.safety.actions.command({ action: 'acknowledge', alarmId: 'fire-centre/duty_check', actor: { kind: 'api', name: 'duty.officer' } });
    expect(ack.ok).toBe(true);
    const answer = await centre.waitFor((f) => f.message?.data?.type === DataType.UitdOperation, 5_000);
    expect(answer.reply).toBe('confirm');
    await waitUntil(() => gw.safety.engine.get('fire-centre/duty_check')?.conditionActive === false, 3_000, 'the duty-check prompt to end');
  });

  it('relays a panel fire alarm even when the gateway clock is not set yet (a Pi without RTC boots in 1970)', async () => {
    const { site } = await siteWithBroker();
    const panel = await panelListening();
    onTestFinished(panel.close);
    const centre = await startMonitoringCentre();
    onTestFinished(centre.close);
    appendFileSync(
      site.siteFile,
      `firePanels:
  - name: panel-1
    transport: { type: tcp-client, host: 127.0.0.1, port: ${panel.port} }
fireCentre:
  centre: { host: 127.0.0.1, port: ${centre.port} }
  address: { uitd: 1001, centre: 2001 }
`,
    );
    const fiftySixYears = 56 * 365.25 * 86_400_000;
    const clock = { now: () => Date.now() - fiftySixYears, monotonic: () => performance.now(), isTrusted: () => false };
    await site.startGateway({ clock });
    await panel.connected();
    await waitUntil(() => centre.connected(), 5_000, 'the gateway to connect to the centre');
    expect(await panel.panel.component({ componentType: 42, zone: 1, position: 7, description: '2号楼烟感', flags: { fire: true } })).toBe('confirm');
    const fire = await centre.waitFor((f) => f.message?.data?.type === DataType.ComponentStatus, 10_000);
    expect(fire.reply).toBe('confirm');
  });

  it('centre unreachable: the failure shows locally (fault lamp, fire-centre/transmission), the fire is kept and delivered when the centre is back', async () => {
    const { site } = await siteWithBroker();
    const panel = await panelListening();
    onTestFinished(panel.close);
    const centre = await startMonitoringCentre();
    onTestFinished(centre.close);
    appendFileSync(
      site.siteFile,
      `outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: 17, failsafe: on }
    - { name: fault-lamp, kind: lamp, line: 22, failsafe: on, classes: [fault] }
firePanels:
  - name: panel-1
    transport: { type: tcp-client, host: 127.0.0.1, port: ${panel.port} }
fireCentre:
  centre: { host: 127.0.0.1, port: ${centre.port} }
  address: { uitd: 1001, centre: 2001 }
  timeouts: { fireMs: 300, statusMs: 300, otherMs: 300 }
  retries: 1
`,
    );
    const gw = await site.startGateway({ gpio: new VirtualGpio() });
    await panel.connected();
    await waitUntil(() => centre.connected(), 5_000, 'the gateway to connect to the centre');
    // The centre takes frames but confirms none: for the gateway, nothing gets through.
    centre.setSilent(true);
    expect(await panel.panel.component({ componentType: 42, zone: 2, position: 5, description: '2号楼2层烟感', flags: { fire: true } })).toBe('confirm');
    await waitUntil(() => gw.safety.engine.get('fire-centre/transmission')?.state === 'unacknowledged', 10_000, 'the transmission failure alarm');
    const lamp = () => gw.safety.annunciator?.status().outputs.find((o) => o.name === 'fault-lamp');
    expect(lamp()).toMatchObject({ on: true, pattern: expect.any(String) });
    expect(gw.safety.engine.get('panel-1/fire')?.state).toBe('unacknowledged'); // the fire itself sounds as a fire

    // The centre answers again: the kept fire frame is delivered, and the failure clears.
    const before = centre.received.length;
    centre.setSilent(false);
    const fire = await centre.waitFor((f) => centre.received.indexOf(f) >= before && f.reply === 'confirm' && JSON.stringify(f.message?.data ?? '').includes('2号楼2层烟感'), 30_000);
    expect(fire.message?.data?.type).toBe(DataType.ComponentStatus);
    await waitUntil(() => gw.safety.engine.get('fire-centre/transmission')?.conditionActive === false, 10_000, 'the transmission alarm condition to clear');
  });
});
