import { describe, expect, it } from 'vitest';
import { alarm, interlock, TS } from '../../gateway/api/testing/alarm-fixtures.js';
import type { PointSnapshot } from '../../gateway/api/types.js';
import { clockTime, MAX_ALARM_LINES, renderSafety, valveState, type SafetyView, type ShownOutput } from './safety-view.js';

const plain = { colour: false, live: false };

function output(name: string, kind: ShownOutput['kind'], line: number, over: Partial<ShownOutput> = {}): ShownOutput {
  return { name, kind, line, on: false, level: 0, pattern: kind === 'relay' ? null : 'off', silenced: false, fault: null, toggles: 0, ...over };
}

function view(over: Partial<SafetyView> = {}): SafetyView {
  return {
    nowMs: TS,
    alarms: [],
    units: { 'gas-1/gas_lel': '%LEL' },
    mode: 'normal',
    failsafeReason: null,
    outputs: [output('sounder', 'sounder', 17), output('strobe', 'strobe', 27), output('fault-lamp', 'lamp', 22), output('fan', 'relay', 23)],
    interlocks: [interlock({ name: 'close-gas-valve' })],
    valve: { device: 'valve-1', state: 'open' },
    ...over,
  };
}

describe('the safety panel', () => {
  it('says plainly when all is quiet', () => {
    expect(renderSafety(view(), plain)).toEqual([
      '  alarms     none active',
      '  outputs    sounder quiet · strobe off · fault-lamp off · fan off',
      '  interlock  close-gas-valve ready · valve-1 open',
    ]);
  });

  it('lists alarms most urgent first, with priority, colour, state and value', () => {
    const lines = renderSafety(
      view({
        alarms: [
          alarm({ id: 'gas-1/gas_high', point: 'gas_lel', state: 'acknowledged', value: 61.53 }),
          alarm({ id: 'gas-1/detector_alarm_2', point: 'status', priority: 'critical', state: 'unacknowledged', value: 'alarm_level_2' }),
          alarm({ id: 'gas-1/gas_high_high', point: 'gas_lel', priority: 'critical', state: 'unacknowledged', value: 61.53 }),
        ],
      }),
      plain,
    );
    expect(lines.slice(0, 3)).toEqual([
      '  alarms     ● critical/red  gas-1/detector_alarm_2  unacknowledged  alarm_level_2',
      '             ● critical/red  gas-1/gas_high_high     unacknowledged  61.5 %LEL',
      '             ● high/orange   gas-1/gas_high          acknowledged  61.5 %LEL',
    ]);
  });

  it('marks a latched alarm whose condition has gone as needing a reset', () => {
    const [line] = renderSafety(view({ alarms: [alarm({ id: 'gas-1/gas_high', point: 'gas_lel', state: 'latched', conditionActive: false, latchPending: true, value: 3 })] }), plain);
    expect(line).toBe('  alarms     ● high/orange  gas-1/gas_high  latched · reset needed  3.0 %LEL');
  });

  it('counts the alarms beyond the first few instead of flooding the panel', () => {
    const many = Array.from({ length: MAX_ALARM_LINES + 2 }, (_, i) => alarm({ id: `gas-${i + 10}/gas_high`, state: 'unacknowledged' }));
    const lines = renderSafety(view({ alarms: many }), plain);
    expect(lines.filter((l) => l.includes('●'))).toHaveLength(MAX_ALARM_LINES);
    expect(lines).toContain('             … and 2 more (GET /api/alarms lists them all)');
  });

  it('shows the sounder and strobe patterns, the fan, and on a live panel how often the lines toggled', () => {
    const outputs = [
      output('sounder', 'sounder', 17, { pattern: 'gas-pulsed', toggles: 10 }),
      output('strobe', 'strobe', 27, { pattern: 'gas-flash', toggles: 10 }),
      output('fault-lamp', 'lamp', 22, { pattern: 'fault-slow-flash', toggles: 3 }),
      output('fan', 'relay', 23, { on: true, level: 1 }),
    ];
    const live = renderSafety(view({ outputs }), { colour: false, live: true });
    expect(live[1]).toBe(
      '  outputs    SOUNDER ♪ gas pattern (1 Hz pulsed), GPIO17 toggled 10× in 5 s · STROBE ✱ gas pattern (1 Hz even flash), GPIO27 toggled 10× in 5 s · ' +
        'FAULT-LAMP ✱ fault pattern (0.5 Hz slow flash), GPIO22 toggled 3× in 5 s · FAN ON',
    );
    expect(renderSafety(view({ outputs }), plain)[1]).toBe(
      '  outputs    SOUNDER ♪ gas pattern (1 Hz pulsed) · STROBE ✱ gas pattern (1 Hz even flash) · FAULT-LAMP ✱ fault pattern (0.5 Hz slow flash) · FAN ON',
    );
  });

  it('says "silenced" while an alarm still waits for acknowledgement, "quiet" once none does', () => {
    const outputs = [output('sounder', 'sounder', 17, { silenced: true })];
    const waiting = view({ outputs, alarms: [alarm({ id: 'gas-1/gas_high', state: 'unacknowledged' })] });
    expect(renderSafety(waiting, plain)[1]).toBe('  outputs    sounder silenced');
    const acknowledged = view({ outputs, alarms: [alarm({ id: 'gas-1/gas_high', state: 'acknowledged' })] });
    expect(renderSafety(acknowledged, plain)[1]).toBe('  outputs    sounder quiet');
  });

  it('says loudly when the outputs are held in failsafe, and names an output fault', () => {
    const lines = renderSafety(
      view({ mode: 'failsafe', failsafeReason: 'alarm engine failed: boom', outputs: [output('sounder', 'sounder', 17, { pattern: null, on: true, fault: 'gpioset exited' })] }),
      plain,
    );
    expect(lines[1]).toBe('  outputs    HELD IN FAILSAFE (alarm engine failed: boom) · sounder quiet FAULT: gpioset exited');
  });

  it('shows the interlock tripped, with what tripped it, when, how fast it was confirmed, and the valve', () => {
    const tripped = interlock({
      name: 'close-gas-valve',
      state: 'tripped',
      trippedBy: 'gas-1/gas_high_high',
      trippedTs: TS,
      lastTiming: { interlock: 'close-gas-valve', trigger: 'gas-1/gas_high_high', trippedAt: 1_000, issuedAt: 1_000, confirmedAt: 3_300, attempts: 1 },
    });
    const lines = renderSafety(view({ interlocks: [tripped], valve: { device: 'valve-1', state: 'closed' } }), plain);
    expect(lines.at(-1)).toBe(`  interlock  close-gas-valve TRIPPED by gas-1/gas_high_high at ${clockTime(TS)} (confirmed in 2.3 s) · valve-1 closed`);
    const failed = interlock({ name: 'close-gas-valve', state: 'failed', lastError: 'feedback valve-1/closed_feedback did not show true within 5000 ms (last: false)' });
    expect(renderSafety(view({ interlocks: [failed] }), plain).at(-1)).toBe(
      '  interlock  close-gas-valve FAILED: feedback valve-1/closed_feedback did not show true within 5000 ms (last: false) · valve-1 open',
    );
  });

  it('colours only on a terminal: the priority colour on the alarm, red for a trip', () => {
    const v = view({ alarms: [alarm({ id: 'gas-1/gas_high_high', priority: 'critical', state: 'unacknowledged' })], interlocks: [interlock({ name: 'x', state: 'tripped', trippedBy: 'gas-1/gas_high_high' })] });
    const coloured = renderSafety(v, { colour: true, live: true });
    expect(coloured[0]).toContain('\x1b[31m● critical/red\x1b[0m');
    expect(coloured.at(-1)).toContain('\x1b[31;1mTRIPPED\x1b[0m');
    expect(renderSafety(v, plain).join('')).not.toContain('\x1b[');
  });
});

describe('the valve, from its limit switches', () => {
  const points = (closed: boolean | null, open: boolean | null, quality: PointSnapshot['quality'] = 'good'): PointSnapshot[] => [
    { device: 'valve-1', point: 'closed_feedback', value: closed, quality, ts: TS, clockTrusted: true },
    { device: 'valve-1', point: 'open_feedback', value: open, quality, ts: TS, clockTrusted: true },
  ];

  it.each([
    [true, false, 'closed'],
    [false, true, 'open'],
    [false, false, 'travelling'],
    [true, true, 'limit switch fault'],
  ] as const)('closed %s, open %s: %s', (closed, open, state) => {
    expect(valveState(points(closed, open))).toBe(state);
  });

  it('is unknown when the switches were not read well', () => {
    expect(valveState(points(true, false, 'comm-fault'))).toBe('unknown');
    expect(valveState([])).toBe('unknown');
  });
});
