import { describe, expect, it } from 'vitest';
import { handlePdu } from './pdu.js';
import { RegisterBank } from './register-bank.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const spaced = (b: Buffer): string => b.toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** A device with holding 0–9 = 10, 20 … 100, input 0–4 = 1000 …, coils 0–19 and discretes 0–9. */
function bank(unmapped: 'exception' | 'zero' = 'exception'): RegisterBank {
  const b = new RegisterBank({ unmapped });
  b.map('holding', 0, 10);
  b.write('holding', 0, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  b.map('input', 0, 5);
  b.write('input', 0, [1000, 1001, 1002, 1003, 0xffff]);
  b.map('coil', 0, 20);
  b.write('coil', 0, [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]); // coils 0, 2, 9 on
  b.map('discrete', 0, 10);
  b.write('discrete', 0, [0, 1, 1]);
  return b;
}

// Each row: request PDU → response PDU (Modbus Application Protocol V1.1b3 §6, §7).
const cases: Array<[string, string, string]> = [
  // FC03: start 0, quantity 2 → byte count 4, 00 0A, 00 14
  ['FC03 reads holding registers', '03 0000 0002', '03 04 000A 0014'],
  ['FC03 reads the last mapped register', '03 0009 0001', '03 02 0064'],
  ['FC03 quantity 0 is exception 3', '03 0000 0000', '83 03'],
  ['FC03 quantity 126 (> 125) is exception 3', '03 0000 007E', '83 03'],
  ['FC03 over an unmapped register is exception 2', '03 0008 0003', '83 02'],
  ['FC03 at an unmapped address is exception 2', '03 0064 0001', '83 02'],
  ['FC03 with a truncated request is exception 3', '03 0000', '83 03'],
  // FC04: input registers, FFFF passes through unchanged
  ['FC04 reads input registers', '04 0003 0002', '04 04 03EB FFFF'],
  ['FC04 on a holding-only address is exception 2', '04 0005 0001', '84 02'],
  // FC01: 10 coils, bits LSB first: coils 0 and 2 → 0000 0101 = 05; coil 9 → 0000 0010 = 02
  ['FC01 packs coils LSB first and pads the last byte', '01 0000 000A', '01 02 05 02'],
  ['FC01 quantity 2001 (> 2000) is exception 3', '01 0000 07D1', '81 03'],
  ['FC01 beyond the mapped coils is exception 2', '01 0010 0005', '81 02'],
  // FC02: discretes 1 and 2 on → 0000 0110 = 06
  ['FC02 reads discrete inputs', '02 0000 0003', '02 01 06'],
  // FC05: FF00 = ON, echo
  ['FC05 switches a coil on and echoes', '05 0003 FF00', '05 0003 FF00'],
  ['FC05 with a value other than FF00/0000 is exception 3', '05 0003 0001', '85 03'],
  ['FC05 at an unmapped coil is exception 2', '05 00C8 FF00', '85 02'],
  // FC06: echo
  ['FC06 writes a register and echoes', '06 0001 1234', '06 0001 1234'],
  ['FC06 at an unmapped register is exception 2', '06 00C8 0001', '86 02'],
  // FC15: 10 coils from 0, byte count 2, CD 01 → coils 0,2,3,6,7 and 8 on; response start + quantity
  ['FC15 writes coils and answers start and quantity', '0F 0000 000A 02 CD01', '0F 0000 000A'],
  ['FC15 with a byte count that does not match the quantity is exception 3', '0F 0000 000A 01 CD', '8F 03'],
  ['FC15 quantity 1969 (> 1968) is exception 3', '0F 0000 07B1 F7' + '00'.repeat(247), '8F 03'],
  // FC16: 2 registers from 1, byte count 4
  ['FC16 writes registers and answers start and quantity', '10 0001 0002 04 000A 0102', '10 0001 0002'],
  ['FC16 with a byte count of 3 for 2 registers is exception 3', '10 0001 0002 03 000A01', '90 03'],
  ['FC16 quantity 124 (> 123) is exception 3', '10 0000 007C F8' + '00'.repeat(248), '90 03'],
  ['FC16 reaching an unmapped register is exception 2', '10 0009 0002 04 0001 0002', '90 02'],
  // unsupported function codes
  ['FC08 (diagnostics) is exception 1', '08 0000 1234', '88 01'],
  ['FC43 (read device identification) is exception 1', '2B 0E 01 00', 'AB 01'],
];

describe('handlePdu', () => {
  it.each(cases)('%s', (_name, request, response) => {
    expect(spaced(handlePdu(bank(), hex(request)))).toBe(spaced(hex(response)));
  });

  it('stores what the write functions wrote', () => {
    const b = bank();
    handlePdu(b, hex('05 0003 FF00'));
    handlePdu(b, hex('06 0001 1234'));
    handlePdu(b, hex('0F 000A 000A 02 CD01')); // coils 10..19 ← 1,0,1,1,0,0,1,1,1,0
    handlePdu(b, hex('10 0004 0002 04 ABCD 0102'));
    expect(b.read('coil', 3, 1)).toEqual([1]);
    expect(b.read('holding', 0, 6)).toEqual([10, 0x1234, 30, 40, 0xabcd, 0x0102]);
    expect(b.read('coil', 10, 10)).toEqual([1, 0, 1, 1, 0, 0, 1, 1, 1, 0]);
  });

  it('writes nothing when part of a multiple write is unmapped (all or nothing)', () => {
    const b = bank();
    expect(spaced(handlePdu(b, hex('10 0008 0003 06 0001 0002 0003')))).toBe('90 02');
    expect(b.read('holding', 8, 2)).toEqual([90, 100]);
  });

  it("answers zeros for unmapped addresses in 'zero' mode, up to the protocol's limits", () => {
    const b = bank('zero');
    expect(spaced(handlePdu(b, hex('03 0064 0002')))).toBe('03 04 00 00 00 00');
    const full = handlePdu(b, hex('03 0000 007D')); // 125 registers: the largest read
    expect(full.length).toBe(2 + 250);
    expect(full[1]).toBe(250);
    expect(handlePdu(b, hex('01 0000 07D0'))[1]).toBe(250); // 2000 coils → 250 bytes
  });

  it('refuses a range that runs past address 65535 with exception 2, even where every address answers', () => {
    // start FFFF, quantity 2 → would read 65535 and 65536
    expect(spaced(handlePdu(bank('zero'), hex('03 FFFF 0002')))).toBe('83 02');
    expect(spaced(handlePdu(bank('zero'), hex('03 FFFF 0001')))).toBe('03 02 00 00');
  });
});
