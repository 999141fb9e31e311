/**
 * The data model of one simulated slave: the four primary tables of Modbus Application
 * Protocol V1.1b3 §4.3 — coils and discrete inputs (single bits), holding and input
 * registers (16-bit words). Each table is sparse: a real detector implements a handful of
 * addresses, not 65 536.
 *
 * What an unmapped address does is a property of the device, so it is configurable:
 *  - 'exception': the request is refused with exception 2, ILLEGAL DATA ADDRESS (§7), as most
 *    detectors do — and what makes a read planner that gaps over unused registers fail;
 *  - 'zero': the device answers 0 for any address, as devices that allow a profile's
 *    `maxGap` > 0 do.
 */
import type { RegisterTableName } from '../../drivers/profiles/schema.js';

export type UnmappedAddresses = 'exception' | 'zero';

export interface RegisterBankOptions {
  /** Default 'exception'. */
  unmapped?: UnmappedAddresses;
}

export class RegisterBank {
  readonly unmapped: UnmappedAddresses;
  private readonly tables: Record<RegisterTableName, Map<number, number>> = {
    coil: new Map(),
    discrete: new Map(),
    holding: new Map(),
    input: new Map(),
  };

  constructor(options: RegisterBankOptions = {}) {
    this.unmapped = options.unmapped ?? 'exception';
  }

  /** Makes `count` addresses from `address` exist (value 0) without changing mapped ones. */
  map(table: RegisterTableName, address: number, count = 1): void {
    checkRange(address, count);
    const t = this.tables[table];
    for (let a = address; a < address + count; a++) if (!t.has(a)) t.set(a, 0);
  }

  /** Whether every address of the range answers (always true in 'zero' mode). */
  isMapped(table: RegisterTableName, address: number, count = 1): boolean {
    if (this.unmapped === 'zero') return true;
    const t = this.tables[table];
    for (let a = address; a < address + count; a++) if (!t.has(a)) return false;
    return true;
  }

  /**
   * Words (holding/input) or bits as 0/1 (coil/discrete) of the range, or undefined when an
   * address in it is unmapped and the bank refuses unmapped addresses.
   */
  read(table: RegisterTableName, address: number, count: number): number[] | undefined {
    checkRange(address, count);
    if (!this.isMapped(table, address, count)) return undefined;
    const t = this.tables[table];
    const out: number[] = [];
    for (let a = address; a < address + count; a++) out.push(t.get(a) ?? 0);
    return out;
  }

  /**
   * Stores words (or 0/1 bits) from `address`; false, with nothing changed, when an address is
   * unmapped and refused. A write is all or nothing, as a device validates before acting.
   */
  write(table: RegisterTableName, address: number, values: readonly number[]): boolean {
    checkRange(address, values.length);
    if (!this.isMapped(table, address, values.length)) return false;
    const bits = table === 'coil' || table === 'discrete';
    for (const v of values) {
      const ok = bits ? v === 0 || v === 1 : Number.isInteger(v) && v >= 0 && v <= 0xffff;
      if (!ok) throw new RangeError(`${table} ${address}: ${v} is not a ${bits ? 'bit (0/1)' : '16-bit register value'}`);
    }
    const t = this.tables[table];
    values.forEach((v, i) => t.set(address + i, v));
    return true;
  }
}

function checkRange(address: number, count: number): void {
  if (!Number.isInteger(address) || !Number.isInteger(count) || address < 0 || count < 0 || address + count > 0x10000) {
    throw new RangeError(`address range ${address}+${count} is outside 0..65535`);
  }
}
