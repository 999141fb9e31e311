import { describe, expect, it } from 'vitest';
import { applyInputAction } from './input-actions.js';
import { FakeEngine } from './testing/fake-engine.js';

function engine() {
  const e = new FakeEngine()
    .define('gd-01/gas_high', 'gas', { latch: true })
    .define('gd-02/gas_high', 'gas', { latch: true })
    .define('gd-01/comm_lost', 'fault');
  e.activate('gd-01/gas_high');
  e.activate('gd-02/gas_high');
  e.activate('gd-01/comm_lost');
  e.clear('gd-01/comm_lost'); // rtn-unacknowledged
  return e;
}

describe('applyInputAction: what a panel button does', () => {
  it('silence-acknowledge silences and acknowledges every unacknowledged alarm, as the button', () => {
    const e = engine();
    const silencedBy: unknown[] = [];
    const out = applyInputAction('silence-acknowledge', 'ack-button', { engine: e, silence: (actor) => (silencedBy.push(actor), { silenced: ['sounder'] }) });
    expect(silencedBy).toEqual([{ kind: 'button', name: 'ack-button' }]);
    expect(out).toEqual({
      action: 'silence-acknowledge',
      input: 'ack-button',
      silenced: ['sounder'],
      acknowledged: ['gd-01/gas_high', 'gd-02/gas_high', 'gd-01/comm_lost'],
      reset: [],
      refused: [],
    });
    expect(e.snapshot().map((a) => a.state)).toEqual(['acknowledged', 'acknowledged', 'normal']);
  });

  it('silence alone acknowledges nothing', () => {
    const e = engine();
    const out = applyInputAction('silence', 'btn', { engine: e, silence: () => ({ silenced: [] }) });
    expect(out.acknowledged).toEqual([]);
    expect(e.get('gd-01/gas_high')?.state).toBe('unacknowledged');
  });

  it('reset resets latched alarms whose condition is gone and reports the ones refused', () => {
    const e = engine();
    applyInputAction('acknowledge', 'btn', { engine: e, silence: () => ({ silenced: [] }) });
    e.clear('gd-01/gas_high'); // → latched, condition gone
    e.clear('gd-02/gas_high');
    e.activate('gd-02/gas_high'); // latched → unacknowledged again: not latched, not reset
    const out = applyInputAction('reset', 'reset-key', { engine: e, silence: () => ({ silenced: [] }) });
    expect(out.reset).toEqual(['gd-01/gas_high']);
    expect(e.get('gd-01/gas_high')?.state).toBe('normal');
  });

  it('a reset while the gas is still present is refused and says so', () => {
    const e = new FakeEngine().define('gd-01/gas_high', 'gas', { latch: true, state: 'latched', conditionActive: true });
    const out = applyInputAction('reset', 'reset-key', { engine: e, silence: () => ({ silenced: [] }) });
    expect(out.reset).toEqual([]);
    expect(out.refused).toEqual([{ alarmId: 'gd-01/gas_high', message: 'gd-01/gas_high: the condition is still present' }]);
  });
});
