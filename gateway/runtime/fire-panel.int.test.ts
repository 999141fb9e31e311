import { appendFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { VirtualGpio } from '../../drivers/gpio/virtual-gpio.js';
import { panelListening } from '../../hil-tests/virtual-rig/fire-panel/tcp.js';
import { waitUntil } from '../forward/testing/broker.js';
import { siteWithBroker } from './testing/site-under-test.js';

/**
 * A fire alarm panel on the gateway, end to end on the virtual rig: the simulated panel's
 * transmission card sends a component fire alarm over TCP; the gateway confirms it, the panel's
 * fire alarm activates, the sounder plays the fire pattern (continuous) and the event reaches the
 * broker. A lost panel link is a communication fault that holds the fire alarm. Requires dist/.
 */
describe('a GB/T 26875.3 fire panel on the gateway', () => {
  it('a panel fire alarm is a fire alarm at the gateway: confirmed, sounding, at the broker; link loss holds it', async () => {
    const { broker, site } = await siteWithBroker();
    const sim = await panelListening();
    onTestFinished(sim.close);
    appendFileSync(
      site.siteFile,
      `outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: 17, failsafe: on }
    - { name: strobe, kind: strobe, line: 27, failsafe: on }
firePanels:
  - name: panel-1
    transport: { type: tcp-client, host: 127.0.0.1, port: ${sim.port} }
`,
    );
    const gpio = new VirtualGpio();
    const gw = await site.startGateway({ gpio });
    await sim.connected();

    const sent = Date.now();
    expect(await sim.panel.component({ componentType: 42, zone: 3, position: 12, description: '1号楼3层烟感', flags: { fire: true } })).toBe('confirm');
    await waitUntil(() => gw.safety.engine.get('panel-1/fire')?.state === 'unacknowledged', 2_000, 'panel-1/fire unacknowledged');
    expect(gw.safety.engine.get('panel-1/fire')).toMatchObject({ class: 'fire', priority: 'critical', latch: true });
    // The fire pattern: the sounder goes on and stays on (continuous), the strobe flashes.
    expect(gpio.level(17)).toBe(1);
    await waitUntil(() => gpio.edges(27, sent) >= 3, 3_000, 'the strobe to flash');
    await waitUntil(() => broker.published.some((m) => m.topic.endsWith('/events') && m.text().includes('"panel-1/fire"')), 5_000, 'the fire alarm at the broker');
    const component = broker.published.find((m) => m.topic.endsWith('/events') && m.text().includes('panel.component'));
    expect(component?.text()).toContain('1号楼3层烟感');

    // The card goes away: a communication fault, and the fire alarm is held (never cleared by silence).
    await sim.close();
    await waitUntil(() => gw.safety.engine.get('panel-1/communication')?.state === 'unacknowledged', 5_000, 'panel-1/communication');
    expect(gw.safety.engine.get('panel-1/fire')?.conditionActive).toBe(true);
    const health = (await (await fetch(`${gw.apiUrl}/api/health`)).json()) as { status: string; reasons: string[] };
    expect(health.status).toBe('fault');
    expect(health.reasons).toContain('fire panel panel-1: link lost');
  });
});
