/**
 * The Modbus transport interface: the only thing the bus scheduler talks to. The real
 * implementation wraps modbus-serial (RTU over serialport, or TCP); tests and the virtual rig
 * can supply their own. A transport does one transaction at a time — the bus queue
 * guarantees that, so implementations need not.
 */
export type RegisterTable = 'coil' | 'discrete' | 'holding' | 'input';

/** Modbus application limits (Modbus Application Protocol V1.1b3 §6.1–6.4). */
export const MAX_READ_REGISTERS = 125;
export const MAX_READ_BITS = 2000;
export const MAX_WRITE_REGISTERS = 123;
export const MAX_WRITE_COILS = 1968;

export interface ModbusTransport {
  /** 'rtu' or 'tcp' — for logs and metrics only. */
  readonly kind: 'rtu' | 'tcp';
  /** A human description such as "/dev/ttyUSB0 9600 8E1" or "192.168.1.10:502". */
  readonly description: string;
  open(): Promise<void>;
  close(): Promise<void>;
  isOpen(): boolean;
  /**
   * Read `count` registers (holding/input → 16-bit words) or bits (coil/discrete → booleans).
   * Rejects with a VigilError: COMM_TIMEOUT after timeoutMs, COMM_PORT_CLOSED, COMM_CRC,
   * or a DEVICE_* code for a Modbus exception response.
   */
  readRegisters(unitId: number, table: 'holding' | 'input', address: number, count: number, timeoutMs: number): Promise<number[]>;
  readBits(unitId: number, table: 'coil' | 'discrete', address: number, count: number, timeoutMs: number): Promise<boolean[]>;
  writeRegisters(unitId: number, address: number, values: number[], timeoutMs: number): Promise<void>;
  writeCoils(unitId: number, address: number, values: boolean[], timeoutMs: number): Promise<void>;
}
