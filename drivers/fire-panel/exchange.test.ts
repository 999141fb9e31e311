import { describe, expect, it } from 'vitest';
import { Command, Gb26875Message } from '../gb26875/index.js';
import { FIRE_ALARM } from '../gb26875/testing/fixtures.js';
import type { FramingFault } from '../serial/index.js';
import { decideFault, decideFrame, replyTime } from './exchange.js';

const NOW = Date.UTC(2026, 10, 23, 2, 0, 0); // 10:00:00 Beijing time

function fault(kind: FramingFault['kind'], head: Buffer): FramingFault {
  return { kind, protocol: 'GB/T 26875.3', offset: 0, bytes: head.length, count: 1, message: `${kind} at byte 0`, head } as FramingFault;
}

describe('decideFrame', () => {
  it('confirms a command-2 fire alarm, echoing its serial number with source and destination swapped', () => {
    const d = decideFrame(FIRE_ALARM, NOW);
    expect(d.kind).toBe('confirm');
    if (d.kind !== 'confirm') return;
    const reply = Gb26875Message.from(d.reply);
    expect(reply.ok && reply.value.header).toMatchObject({ serial: 23, command: Command.Confirm, source: 2001, destination: 1001, time: { hour: 10, minute: 0, day: 23, month: 11, year: 26 } });
  });

  it('denies an unknown command, an ADU it cannot read, and a control command; ignores a confirm from the panel', () => {
    const withCommand = (c: number) => {
      const b = Buffer.from(FIRE_ALARM);
      b[26] = c;
      b[b.length - 3] = (b[b.length - 3]! + c - 2) & 0xff; // keep the checksum right
      return b;
    };
    expect(decideFrame(withCommand(7), NOW)).toMatchObject({ kind: 'deny', reason: 'unknown-command' });
    expect(decideFrame(withCommand(1), NOW)).toMatchObject({ kind: 'deny', reason: 'unsupported-command' });
    expect(decideFrame(withCommand(3), NOW)).toMatchObject({ kind: 'ignore', reason: 'command-3' });
    const badType = Buffer.from(FIRE_ALARM);
    badType[27] = 15;
    badType[badType.length - 3] = (badType[badType.length - 3]! + 13) & 0xff;
    expect(decideFrame(badType, NOW)).toMatchObject({ kind: 'deny', reason: 'unknown-type', header: { serial: 23 } });
  });
});

describe('decideFault', () => {
  it('denies a bad checksum with the serial number read from the rejected frame', () => {
    const bad = Buffer.from(FIRE_ALARM);
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0xff;
    const d = decideFault(fault('bad-check', bad), NOW);
    expect(d).toMatchObject({ kind: 'deny', reason: 'bad-checksum', header: { serial: 23 } });
    if (d.kind === 'deny') expect(Gb26875Message.from(d.reply)).toMatchObject({ ok: true, value: { header: { command: Command.Deny, serial: 23 } } });
  });

  it('denies an ADU length over the limit from a 27-byte head', () => {
    const head = Buffer.from(FIRE_ALARM.subarray(0, 27));
    head.writeUInt16LE(2000, 24);
    expect(decideFault(fault('bad-length', head), NOW)).toMatchObject({ kind: 'deny', reason: 'adu-over-limit', header: { serial: 23 } });
  });

  it('does not deny what has no readable header: garbage, a timed-out frame, a false start with no real command', () => {
    expect(decideFault(fault('garbage', Buffer.from('noise')), NOW)).toMatchObject({ kind: 'ignore', reason: 'garbage' });
    expect(decideFault(fault('partial-timeout', Buffer.from(FIRE_ALARM.subarray(0, 40))), NOW)).toMatchObject({ kind: 'ignore', reason: 'partial-timeout' });
    const falseStart = Buffer.from(FIRE_ALARM.subarray(0, 27));
    falseStart.writeUInt16LE(2000, 24);
    falseStart[26] = 0x50; // a reserved command: random bytes behind an '@@' in noise
    expect(decideFault(fault('bad-length', falseStart), NOW)).toMatchObject({ kind: 'ignore', reason: 'bad-length' });
  });
});

describe('replyTime', () => {
  it('falls back to the panel’s label, then 2000-01-01, when the gateway clock is before 2000 (no RTC, no NTP yet)', () => {
    const theirs = { second: 1, minute: 2, hour: 3, day: 4, month: 5, year: 24 };
    expect(replyTime(0, theirs)).toEqual(theirs);
    expect(replyTime(0, { ...theirs, month: 0 })).toEqual({ second: 0, minute: 0, hour: 0, day: 1, month: 1, year: 0 });
  });
});
