import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Command, DataType, denyFrame, Gb26875Message, type ApplicationData, type TypedData } from '../../../drivers/gb26875/index.js';
import { UitdConfigSchema, uitdConfigProblems } from './config-schema.js';
import type { DutyCheckEnd, DutyCheckRequest } from './duty-check.js';
import { MemoryUitdQueueStore } from './queue-store.js';
import type { UitdStateProvider } from './read-answers.js';
import type { UitdSendQueueEvents } from './send-queue.js';
import { fakeTimersClock, TEST_START } from './testing/fake-timers-clock.js';
import { CENTRE_ADDRESS, MemoryCentre, UITD_ADDRESS } from './testing/memory-centre.js';
import { UitdLink, type ClockSyncRequest, type UitdLinkEvents } from './uitd-link.js';

const T = { second: 0, minute: 0, hour: 8, day: 23, month: 11, year: 26 };
const FIRE: ApplicationData = {
  type: DataType.ComponentStatus,
  objects: [{ systemType: 1, systemAddress: 1, componentType: 42, componentAddress: { zone: 3, position: 12 }, status: 0x0003, description: '1号楼3层烟感', time: T }],
};

const STATE: UitdStateProvider = {
  systemStatus: (refs) => refs.filter((r) => r.systemAddress === 1).map((r) => ({ ...r, status: 0x0001, time: T })),
  uitdStatus: () => ({ status: 0x01, time: T }),
};

function setup(state: UitdStateProvider = STATE) {
  const centre = new MemoryCentre();
  const config = UitdConfigSchema.parse({ centre: { host: '127.0.0.1', port: 5000 }, address: { uitd: UITD_ADDRESS, centre: CENTRE_ADDRESS } });
  const seen = {
    failures: [] as UitdSendQueueEvents['send-failure'][],
    recovered: 0,
    dutyChecks: [] as DutyCheckRequest[],
    dutyEnds: [] as DutyCheckEnd[],
    clockSyncs: [] as ClockSyncRequest[],
    initialised: 0,
    invalid: [] as UitdLinkEvents['invalid-frame'][],
    readDenied: [] as UitdLinkEvents['read-denied'][],
  };
  const link = new UitdLink({
    config,
    store: new MemoryUitdQueueStore(),
    state,
    clock: fakeTimersClock,
    connect: centre.connect,
    random: () => 0,
    hooks: {
      onSendFailure: (e) => seen.failures.push(e),
      onSendRecovered: () => seen.recovered++,
      onDutyCheck: (r) => seen.dutyChecks.push(r),
      onDutyCheckEnd: (e) => seen.dutyEnds.push(e),
      onClockSync: (s) => seen.clockSyncs.push(s),
      onInitialise: () => seen.initialised++,
    },
  });
  link.on('invalid-frame', (e) => seen.invalid.push(e));
  link.on('read-denied', (e) => seen.readDenied.push(e));
  return { centre, link, seen };
}

/** Let microtasks (memory transport deliveries) and due timers run. */
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ now: TEST_START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UitdLink: upstream', () => {
  it('sends a fire alarm as command 2 with serial 0 on a new connection, and forgets it once confirmed', async () => {
    const { centre, link } = setup();
    await link.start();
    await settle();
    link.enqueue('fire', FIRE);
    await settle();
    const [sent] = centre.sent(Command.Send, DataType.ComponentStatus);
    expect(sent!.header).toMatchObject({ serial: 0, source: UITD_ADDRESS, destination: CENTRE_ADDRESS, version: { major: 1, user: 1 } });
    expect(sent!.header.time).toEqual({ second: 0, minute: 0, hour: 8, day: 23, month: 11, year: 26 }); // Beijing time
    expect(sent!.data).toEqual(FIRE);
    await centre.reply(sent!, Command.Confirm);
    await settle();
    expect(link.queue.items()).toEqual([]);
    expect(link.queue.stats().delivered).toBe(1);
    await link.stop();
  });

  it('an item whose confirm never came is sent again on the next connection, and delivered once', async () => {
    const { centre, link } = setup();
    await link.start();
    await settle();
    const item = link.enqueue('fire', FIRE);
    await settle();
    centre.end.fail(new Error('cable pulled'));
    await settle(1_000); // reconnect backoff: 1 s
    expect(centre.ends).toHaveLength(2);
    const sends = centre.sent(Command.Send, DataType.ComponentStatus);
    expect(sends.map((s) => s.header.serial)).toEqual([0, 0]); // the second on the new connection, numbered from 0 again
    await centre.reply(sends[1]!, Command.Confirm);
    await centre.reply(sends[1]!, Command.Confirm); // a duplicate confirm changes nothing
    await settle(30_000);
    expect(link.queue.stats()).toMatchObject({ delivered: 1, pending: { fire: 0, status: 0, other: 0 } });
    expect(centre.sent(Command.Send, DataType.ComponentStatus)).toHaveLength(2);
    expect(link.queue.items()).not.toContain(item);
    await link.stop();
  });

  it('no confirm: 4 attempts in 8 s, then the failure hook, the connection is dropped and the item goes on the next one', async () => {
    const { centre, link, seen } = setup();
    await link.start();
    await settle();
    link.enqueue('fire', FIRE);
    await settle(7_999);
    expect(seen.failures).toEqual([]);
    await settle(1);
    expect(seen.failures).toHaveLength(1);
    expect(seen.failures[0]).toMatchObject({ attempts: 4, reason: 'no-confirm', connected: true });
    expect(centre.sent(Command.Send, DataType.ComponentStatus)).toHaveLength(4);
    await settle(1_000);
    expect(centre.ends).toHaveLength(2);
    const last = centre.sent(Command.Send, DataType.ComponentStatus).at(-1)!;
    await centre.reply(last, Command.Confirm);
    await settle();
    expect(seen.recovered).toBe(1);
    expect(link.queue.items()).toEqual([]);
    await link.stop();
  });

  it('sends an empty command 2 heartbeat when idle for 30 s; a centre silent for 90 s is dropped and reconnected', async () => {
    const { centre, link } = setup();
    await link.start();
    await settle(29_000);
    expect(centre.frames).toEqual([]);
    await settle(1_000);
    const [hb] = centre.frames;
    expect(hb!.header.command).toBe(Command.Send);
    expect(hb!.adu.length).toBe(0);
    await centre.reply(hb!, Command.Confirm);
    await settle();
    expect(link.counters()).toMatchObject({ heartbeatsSent: 1, heartbeatsConfirmed: 1 });
    expect(link.queue.stats().delivered).toBe(0); // a heartbeat is not a queue item
    // From now on the centre answers nothing.
    await settle(89_000);
    expect(centre.ends).toHaveLength(1);
    await settle(1_000 + 1_000);
    expect(centre.ends).toHaveLength(2);
    await link.stop();
  });
});

describe('UitdLink: validation', () => {
  it('denies a frame with a bad checksum, echoing its serial, and counts it', async () => {
    const { centre, link, seen } = setup();
    await link.start();
    await settle();
    const frame = Gb26875Message.serialize(centre.header(77, Command.Request), { type: DataType.ReadUitdSystemTime, objects: [{ reserved: 0 }] } as TypedData);
    frame[frame.length - 3] = (frame[frame.length - 3]! + 1) & 0xff;
    await centre.writeRaw(frame);
    await settle();
    expect(centre.frames.map((f) => [f.header.command, f.header.serial])).toEqual([[Command.Deny, 77]]);
    // The framer rejects the candidate, then skips the rest of it as garbage looking for the next start.
    expect(link.counters().invalid).toEqual({ 'bad-check': 1, garbage: 1 });
    expect(seen.invalid[0]).toMatchObject({ code: 'bad-check', denied: true });
    await link.stop();
  });

  it('denies a command the UITD does not take (a reserved type in a control command) and a read of a non-read type', async () => {
    const { centre, link } = setup();
    await link.start();
    await settle();
    await centre.send(5, Command.Control, { type: DataType.ReadUitdStatus, objects: [{ reserved: 0 }] } as TypedData);
    await centre.send(6, Command.Request, { type: DataType.DutyCheck, objects: [{ answerMinutes: 0 }] });
    await settle();
    expect(centre.frames.map((f) => [f.header.command, f.header.serial])).toEqual([
      [Command.Deny, 5],
      [Command.Deny, 6],
    ]);
    await link.stop();
  });
});

describe('UitdLink: reads', () => {
  it('answers a read of system status (61) from the state provider with command 5 and type 1', async () => {
    const { centre, link } = setup();
    await link.start();
    await settle();
    await centre.send(9, Command.Request, { type: DataType.ReadSystemStatus, objects: [{ systemType: 1, systemAddress: 1 }] });
    await settle();
    const [answer] = centre.frames;
    expect(answer!.header).toMatchObject({ serial: 9, command: Command.Answer, source: UITD_ADDRESS, destination: CENTRE_ADDRESS });
    expect(answer!.data).toEqual({ type: DataType.SystemStatus, objects: [{ systemType: 1, systemAddress: 1, status: 0x0001, time: T }] });
    await link.stop();
  });

  it('answers the UITD time (88) from its own clock, and denies what the provider does not know or does not provide', async () => {
    const { centre, link, seen } = setup();
    await link.start();
    await settle();
    await centre.send(1, Command.Request, { type: DataType.ReadUitdSystemTime, objects: [{ reserved: 0 }] } as TypedData);
    await centre.send(2, Command.Request, { type: DataType.ReadSystemStatus, objects: [{ systemType: 1, systemAddress: 7 }] });
    await centre.send(3, Command.Request, { type: DataType.ReadUitdSoftwareVersion, objects: [{ reserved: 0 }] } as TypedData);
    await settle();
    expect(centre.frames.map((f) => [f.header.serial, f.header.command])).toEqual([
      [1, Command.Answer],
      [2, Command.Deny],
      [3, Command.Deny],
    ]);
    expect(centre.frames[0]!.data).toEqual({ type: DataType.UitdSystemTime, objects: [{ time: T }] });
    expect(seen.readDenied.map((d) => d.reason)).toEqual(['nothing known for what was asked (type 1 system status (建筑消防设施系统状态))', 'the gateway does not provide uitdSoftwareVersion']);
    await link.stop();
  });
});

describe('UitdLink: control commands', () => {
  it('clock sync (90) is confirmed and handed over with the offset; the OS clock is not touched', async () => {
    const { centre, link, seen } = setup();
    await link.start();
    await settle();
    // 08:00:30 Beijing = 30 s ahead of the gateway.
    await centre.send(4, Command.Control, { type: DataType.SyncUitdClock, objects: [{ time: { ...T, second: 30 } }] });
    await settle();
    expect(centre.frames.map((f) => [f.header.serial, f.header.command])).toEqual([[4, Command.Confirm]]);
    expect(seen.clockSyncs).toEqual([{ time: new Date(TEST_START + 30_000), label: { ...T, second: 30 }, offsetMs: 30_000 }]);
    expect(Date.now()).toBe(TEST_START);
    await centre.send(5, Command.Control, { type: DataType.InitialiseUitd, objects: [{ reserved: 0 }] } as TypedData);
    await settle();
    expect(seen.initialised).toBe(1);
    await link.stop();
  });

  it('查岗 is confirmed at once, prompts locally, and is answered only after a person answers', async () => {
    const { centre, link, seen } = setup();
    await link.start();
    await settle();
    await centre.send(12, Command.Control, { type: DataType.DutyCheck, objects: [{ answerMinutes: 0 }] });
    await settle();
    expect(centre.frames.map((f) => [f.header.serial, f.header.command])).toEqual([[12, Command.Confirm]]);
    expect(seen.dutyChecks).toMatchObject([{ serial: 12, windowMs: 600_000 }]);
    await settle(5 * 60_000);
    expect(centre.sent(Command.Send, DataType.UitdOperation)).toEqual([]); // nobody answered yet: nothing goes up
    const answered = link.answerDutyCheck({ kind: 'button', name: 'duty-desk' }, 7);
    expect(answered).toMatchObject({ ok: true, responseMs: 5 * 60_000 });
    await settle();
    const [reply] = centre.sent(Command.Send, DataType.UitdOperation);
    expect(reply!.data).toEqual({ type: DataType.UitdOperation, objects: [{ operation: 0x20, operator: 7, time: { ...T, minute: 5 } }] });
    expect(seen.dutyEnds).toMatchObject([{ outcome: 'answered', by: { kind: 'button', name: 'duty-desk' } }]);
    expect(link.answerDutyCheck({ kind: 'api', name: 'ops' })).toEqual({ ok: false, reason: 'no duty-check (查岗) is waiting for an answer' });
    await link.stop();
  });

  it('查岗 left unanswered ends after its window (the centre’s minutes, else 10 min), and a late answer is refused', async () => {
    const { centre, link, seen } = setup();
    await link.start();
    await settle();
    await centre.send(1, Command.Control, { type: DataType.DutyCheck, objects: [{ answerMinutes: 2 }] });
    await settle(2 * 60_000 - 1);
    expect(seen.dutyEnds).toEqual([]);
    await settle(1);
    expect(seen.dutyEnds).toMatchObject([{ outcome: 'unanswered', request: { serial: 1, windowMs: 120_000 } }]);
    expect(link.answerDutyCheck({ kind: 'button' }).ok).toBe(false);
    await settle();
    expect(centre.sent(Command.Send, DataType.UitdOperation)).toEqual([]);
    await link.stop();
  });
});

describe('UitdLink: a deny from the centre', () => {
  it('resends at once, counted', async () => {
    const { centre, link } = setup();
    await link.start();
    await settle();
    link.enqueue('status', { type: DataType.SystemStatus, objects: [{ systemType: 1, systemAddress: 1, status: 1, time: T }] });
    await settle();
    const [first] = centre.sent(Command.Send, DataType.SystemStatus);
    await centre.writeRaw(denyFrame({ ...first!.header, source: CENTRE_ADDRESS, destination: UITD_ADDRESS }, T));
    await settle();
    expect(centre.sent(Command.Send, DataType.SystemStatus).map((f) => f.header.serial)).toEqual([0, 0]);
    expect(link.queue.stats().denied).toBe(1);
    await link.stop();
  });
});

describe('config', () => {
  it('refuses fire timeouts that cannot report a failure within the 10 s budget', () => {
    const c = UitdConfigSchema.parse({ centre: { host: 'c', port: 1 }, address: { uitd: 1, centre: 2 }, timeouts: { fireMs: 3_000 } });
    expect(uitdConfigProblems(c)).toEqual([
      {
        path: 'fireCentre.timeouts.fireMs',
        message:
          '3000 ms × (1 + 3 retries) = 12000 ms: a failed fire-alarm transmission would be known only after the 10000 ms a fire alarm has to reach the centre (GB 26875.1); use at most 2500 ms',
      },
    ]);
    expect(uitdConfigProblems(UitdConfigSchema.parse({ centre: { host: 'c', port: 1 }, address: { uitd: 1, centre: 2 } }))).toEqual([]);
  });
});
