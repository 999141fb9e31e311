/**
 * Whole messages. The first block decodes, byte for byte, the example frames of the public
 * transcription of GB/T 26875.3-2011 (ActorLancer/GB-T-26875.3.2011-rs, GB26875文档.md §示例;
 * every checksum there verifies) and two sample frames from DGIOT's decoder
 * (dgiot_gb26875_decoder.erl), then re-encodes each and expects the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { Command, DataType } from './codes.js';
import { Gb26875Frame } from './frame.js';
import { confirmFrame, denyFrame, Gb26875Message, isHeartbeat, replyHeader } from './message.js';
import { COMPONENT_STATUS_BITS, flagsOf, UITD_STATUS_BITS } from './status-bits.js';
import { EVENT, FIRE_ALARM, SENT, upstreamHeader } from './testing/fixtures.js';
import { hex } from './testing/hex.js';

// UITD 889 (79 03 …) and centre 88888 (38 5B 01 …), sent 2012-09-26 09:58:32 unless noted.
const UITD = 889;
const CENTRE = 88888;
const AT_0958_32 = { second: 32, minute: 58, hour: 9, day: 26, month: 9, year: 12 };
const AT_0958_35 = { ...AT_0958_32, second: 35 };
const AT_0958_02 = { ...AT_0958_32, second: 2 };
const up = (command: number) => ({ serial: 1, version: { major: 1, user: 1 }, time: AT_0958_32, source: UITD, destination: CENTRE, command });
const down = (command: number) => ({ ...up(command), source: CENTRE, destination: UITD });

function decoded(bytes: Buffer) {
  const r = Gb26875Message.from(bytes);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('the transcription’s example frames', () => {
  it('1. smoke detector fire alarm, "2号10区", 12-09-26 09:58:02', () => {
    const bytes = hex(`
      40 40  01 00  01 01  20 3A 09 1A 09 0C   // serial 1, version 1.1, sent 09:58:32
      79 03 00 00 00 00  38 5B 01 00 00 00     // 889 → 88888
      30 00  02                                // ADU 48, command 2 (send)
      02 01                                    // type 2, 1 object
      01 01  28  0A 00 02 00  02 00            // system 1/1, smoke detector (40), zone 10 position 2, status 0x0002 fire
      20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 00   // 30 spaces + NUL
      02 3A 09 1A 09 0C                        // 09:58:02
      46  23 23`);
    const m = decoded(bytes);
    expect(m.header).toEqual(up(Command.Send));
    expect(m.data).toEqual({
      type: DataType.ComponentStatus,
      objects: [{ systemType: 1, systemAddress: 1, componentType: 40, componentAddress: { zone: 10, position: 2 }, status: 2, description: '', time: AT_0958_02 }],
    });
    // The example sets only the fire bit: bit 0 ("normal", else test) is 0 — panels do this.
    expect(flagsOf(COMPONENT_STATUS_BITS, 2)).toMatchObject({ fire: true, normal: false });
    // Our encoder pads the description with NULs, not spaces: the re-encoded frame matches up to it.
    expect(Gb26875Message.serialize(m.header, m.data).subarray(0, 38)).toEqual(bytes.subarray(0, 38));
  });

  it('the centre confirms and denies it: serial echoed, addresses swapped, no ADU', () => {
    const confirm = hex('40 40 01 00 01 01 23 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 00 00 03 AB 23 23');
    const deny = hex('40 40 01 00 01 01 23 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 00 00 06 AE 23 23');
    expect(confirmFrame(up(Command.Send), AT_0958_35)).toEqual(confirm);
    expect(denyFrame(up(Command.Send), AT_0958_35)).toEqual(deny);
    expect(decoded(confirm)).toEqual({ header: { ...down(Command.Confirm), time: AT_0958_35 }, adu: Buffer.alloc(0) });
  });

  it('the UITD confirms and denies the centre’s commands the same way (examples 6–11)', () => {
    expect(confirmFrame(down(Command.Control), AT_0958_35)).toEqual(hex('40 40 01 00 01 01 23 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 00 00 03 AB 23 23'));
    expect(denyFrame(down(Command.Request), AT_0958_35)).toEqual(hex('40 40 01 00 01 01 23 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 00 00 06 AE 23 23'));
  });

  // [title, frame, header, data]
  const examples: [string, string, ReturnType<typeof up>, unknown][] = [
    ['2. UITD main-power fault (type 21)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 09 00 02 15 01 08 02 3A 09 1A 09 0C 42 23 23', up(2), { type: 21, objects: [{ status: 0x08, time: AT_0958_02 }] }],
    ['3. duty-check answer record (type 24)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 0A 00 02 18 01 20 01 02 3A 09 1A 09 0C 5F 23 23', up(2), { type: 24, objects: [{ operation: 0x20, operator: 1, time: AT_0958_02 }] }],
    ['4. UITD software version 1.1 (type 25)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 04 00 02 19 01 01 01 C7 23 23', up(2), { type: 25, objects: [{ major: 1, minor: 1 }] }],
    ['5. UITD time (type 28)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 08 00 02 1C 01 02 3A 09 1A 09 0C 40 23 23', up(2), { type: 28, objects: [{ time: AT_0958_02 }] }],
    ['6. read UITD status (81, command 4)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 03 00 04 51 01 00 FE 23 23', down(4), { type: 81, objects: [{ reserved: 0 }] }],
    ['6. … answered: main-power fault (21, command 5)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 09 00 05 15 01 08 02 3A 09 1A 09 0C 45 23 23', up(5), { type: 21, objects: [{ status: 0x08, time: AT_0958_02 }] }],
    ['7. read UITD software version (85)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 03 00 04 55 01 00 02 23 23', down(4), { type: 85, objects: [{ reserved: 0 }] }],
    ['7. … answered: 1.1 (25, command 5)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 04 00 05 19 01 01 01 CA 23 23', up(5), { type: 25, objects: [{ major: 1, minor: 1 }] }],
    ['8. read UITD time (88)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 03 00 04 58 01 00 05 23 23', down(4), { type: 88, objects: [{ reserved: 0 }] }],
    ['8. … answered (28, command 5)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 79 03 00 00 00 00 38 5B 01 00 00 00 08 00 05 1C 01 02 3A 09 1A 09 0C 43 23 23', up(5), { type: 28, objects: [{ time: AT_0958_02 }] }],
    ['9. initialise UITD (89, command 1)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 03 00 01 59 01 00 03 23 23', down(1), { type: 89, objects: [{ reserved: 0 }] }],
    ['10. sync UITD clock to 09:58:02 (90, command 1)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 08 00 01 5A 01 02 3A 09 1A 09 0C 7D 23 23', down(1), { type: 90, objects: [{ time: AT_0958_02 }] }],
    ['11. duty-check, 10 minutes to answer (91, command 1)', '40 40 01 00 01 01 20 3A 09 1A 09 0C 38 5B 01 00 00 00 79 03 00 00 00 00 03 00 01 5B 01 0A 0F 23 23', down(1), { type: 91, objects: [{ answerMinutes: 10 }] }],
  ];

  it.each(examples)('%s: decodes, and re-encodes to the same bytes', (_title, listing, header, data) => {
    const bytes = hex(listing);
    const m = decoded(bytes);
    expect(m.header).toEqual(header);
    expect(m.data).toEqual(data);
    expect(Gb26875Message.serialize(m.header, m.data)).toEqual(bytes);
  });

  it('example 2’s status byte reads as a main-power fault', () => {
    expect(flagsOf(UITD_STATUS_BITS, 0x08)).toMatchObject({ mainPowerFault: true, normal: false, fire: false });
  });
});

describe('DGIOT’s sample frames (real panels, GB 18030 text)', () => {
  it('"Ａ区１层呷哺走廊" fire alarm, 2020-08-01 19:18:48', () => {
    const bytes = hex(`
      40 40  00 00  01 01  18 0D 11 16 0A 14   // serial 0, sent 2020-10-22 17:13:24
      00 00 00 00 00 00  06 05 04 03 02 01     // 0 → 0x010203040506
      30 00  02  02 01
      01 03  00  D9 00 06 00  02 00            // system 1/3, component type 0, zone 217 position 6, fire
      A3 C1 C7 F8 A3 B1 B2 E3 DF C8 B2 B8 D7 DF C0 C8    // Ａ区１层呷哺走廊
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      30 12 13 01 08 14                        // 2020-08-01 19:18:48
      68  23 23`);
    const m = decoded(bytes);
    expect(m.header.destination).toBe(0x010203040506);
    expect(m.data).toEqual({
      type: 2,
      objects: [
        {
          systemType: 1,
          systemAddress: 3,
          componentType: 0,
          componentAddress: { zone: 217, position: 6 },
          status: 2,
          description: 'Ａ区１层呷哺走廊',
          time: { second: 48, minute: 18, hour: 19, day: 1, month: 8, year: 20 },
        },
      ],
    });
    expect(Gb26875Message.serialize(m.header, m.data)).toEqual(bytes);
  });

  it('a panel with protocol version 0x10 0x00 and stale bytes after the NUL in its description', () => {
    const bytes = hex(`
      40 40 14 00 10 00 05 09 09 1b 07 15 2c 31 2c 32 00 00 78 4d 07 91 8e 23 30 00 02 02 01
      01 01 2a 01 00 01 00 02 00
      31 ba c5 bd d3 bf da b0 e5 31 bb d8 c2 b7 31 ba c5 00 ba c5 d6 f7 bb fa f8 98 cf a0 00 00 00
      25 11 03 01 06 0c 47 23 23`);
    const m = decoded(bytes);
    expect(m.header).toMatchObject({ serial: 20, version: { major: 0x10, user: 0 } });
    expect(m.data?.type === 2 && m.data.objects[0]).toMatchObject({ componentType: 42, componentAddress: { zone: 1, position: 1 }, description: '1号接口板1回路1号' });
  });
});

describe('messages Vigil builds', () => {
  it('the hand-built fire alarm decodes to what a person would read', () => {
    const m = decoded(FIRE_ALARM);
    expect(m.header).toEqual(upstreamHeader(Command.Send));
    const obj = m.data?.type === DataType.ComponentStatus ? m.data.objects[0] : undefined;
    expect(obj).toMatchObject({ description: '1号楼3层烟感', componentType: 42, componentAddress: { zone: 3, position: 12 }, time: EVENT });
    expect(flagsOf(COMPONENT_STATUS_BITS, obj!.status)).toMatchObject({ normal: true, fire: true, fault: false });
  });

  it('a heartbeat is command 2 with an empty ADU', () => {
    const m = decoded(Gb26875Message.serialize(upstreamHeader(Command.Send)));
    expect(m.data).toBeUndefined();
    expect(isHeartbeat(m)).toBe(true);
    expect(isHeartbeat(decoded(FIRE_ALARM))).toBe(false);
  });

  it('an answer echoes the request’s serial and carries the data', () => {
    const request = { ...upstreamHeader(Command.Request), source: 2001, destination: 1001, serial: 900 };
    const answer = Gb26875Message.serialize(replyHeader(request, Command.Answer, SENT), { type: 25, objects: [{ major: 1, minor: 0 }] });
    const m = decoded(answer);
    expect(m.header).toMatchObject({ serial: 900, command: 5, source: 1001, destination: 2001 });
    expect(m.data).toEqual({ type: 25, objects: [{ major: 1, minor: 0 }] });
  });

  it('confirm, deny and user-defined commands keep an ADU raw instead of interpreting it', () => {
    const echoed = Gb26875Frame.serialize({ header: upstreamHeader(Command.Confirm), adu: Buffer.from([0x16]) });
    expect(decoded(echoed)).toMatchObject({ adu: Buffer.from([0x16]) });
    expect(decoded(echoed).data).toBeUndefined();
    const custom = Gb26875Frame.serialize({ header: upstreamHeader(0x81), adu: Buffer.from([0x09, 0x09]) });
    expect(decoded(custom).data).toBeUndefined();
  });
});
