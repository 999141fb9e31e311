import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import { AlarmEngine } from '../../rules/engine/alarm-engine.js';
import type { ComponentStatus } from '../gb26875/index.js';
import { firePanelAlarms } from './alarms.js';
import { PanelState } from './panel-state.js';

const T = { second: 0, minute: 0, hour: 12, day: 1, month: 6, year: 26 };
const smoke = (status: number): ComponentStatus => ({ systemType: 1, systemAddress: 1, componentType: 42, componentAddress: { zone: 3, position: 12 }, status, description: '烟感', time: T });

describe('firePanelAlarms with the real alarm engine', () => {
  it('a panel fire is a latched critical fire alarm; a lost link raises communication and holds the fire', () => {
    const clock = new FakeClock();
    const engine = new AlarmEngine({ alarms: firePanelAlarms('panel-1'), clock, persist: () => undefined });
    engine.start();
    const state = new PanelState('panel-1');
    const stamp = () => ({ device: 'panel-1', ts: clock.now(), clockTrusted: true });

    engine.onReadings(state.apply({ type: 2, objects: [smoke(0x0002)] }, stamp()).readings);
    expect(engine.get('panel-1/fire')).toMatchObject({ state: 'unacknowledged' });
    expect(firePanelAlarms('panel-1').find((a) => a.id === 'panel-1/fire')?.def).toMatchObject({ class: 'fire', priority: 'critical', latch: true });

    clock.advance(1_000);
    engine.onReadings(state.commFault(stamp()));
    expect(engine.get('panel-1/communication')).toMatchObject({ state: 'unacknowledged' });
    expect(engine.get('panel-1/fire')).toMatchObject({ state: 'unacknowledged', conditionActive: true });

    clock.advance(1_000);
    engine.onReadings(state.restate(stamp()));
    engine.onReadings(state.apply({ type: 2, objects: [smoke(0x0001)] }, stamp()).readings);
    // The panel cleared it; the gateway's fire alarm is latched: it waits for a person (rtn-unacknowledged).
    expect(engine.get('panel-1/fire')).toMatchObject({ state: 'rtn-unacknowledged', conditionActive: false });
    engine.stop();
  });
});
