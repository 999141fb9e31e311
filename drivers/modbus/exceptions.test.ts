import { afterEach, describe, expect, it, vi } from 'vitest';
import modbusSerial from 'modbus-serial';
import { modbusExceptionCode, toVigilError } from './exceptions.js';
import { VigilError, isTransient, isConfigurationFault } from '../../gateway/errors.js';

const ModbusRTU = modbusSerial.default;

/** An exception error shaped exactly as modbus-serial's _onReceive builds it. */
function exception(n: number): Error {
  return Object.assign(new Error(`Modbus exception ${n}: …`), { modbusCode: n });
}

describe('toVigilError: Modbus exception responses (Modbus Application Protocol V1.1b3 §7)', () => {
  const cases: [number, string][] = [
    [1, 'DEVICE_ILLEGAL_ADDRESS'],
    [2, 'DEVICE_ILLEGAL_ADDRESS'],
    [3, 'DEVICE_ILLEGAL_ADDRESS'],
    [4, 'DEVICE_FAILURE'],
    [5, 'DEVICE_BUSY'],
    [6, 'DEVICE_BUSY'],
    [7, 'DEVICE_FAILURE'],
    [8, 'DEVICE_FAILURE'],
    [10, 'DEVICE_GATEWAY_PATH'],
    [11, 'DEVICE_GATEWAY_PATH'],
    [42, 'COMM_BAD_FRAME'],
  ];
  for (const [n, code] of cases) {
    it(`exception ${n} → ${code}`, () => {
      const v = toVigilError(exception(n), 'bus-1 unit 3 FC03 holding 0+2');
      expect(v.code).toBe(code);
      expect(modbusExceptionCode(v)).toBe(n);
      expect(v.message).toMatch(new RegExp(`^bus-1 unit 3 FC03 holding 0\\+2: exception ${n} `));
    });
  }

  it('an illegal address is a configuration fault, not something to retry', () => {
    const v = toVigilError(exception(2), 'x');
    expect(isConfigurationFault(v)).toBe(true);
    expect(isTransient(v)).toBe(false);
  });
});

describe('toVigilError: link failures', () => {
  it('maps the shapes modbus-serial rejects with', () => {
    const timeout = Object.assign(new Error('Timed out'), { name: 'TransactionTimedOutError', errno: 'ETIMEDOUT' });
    const notOpen = Object.assign(new Error('Port Not Open'), { name: 'PortNotOpenError', errno: 'ECONNREFUSED' });
    const unplugged = Object.assign(new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'), { code: 'ENOENT' });
    expect(toVigilError(timeout, 'w').code).toBe('COMM_TIMEOUT');
    expect(toVigilError(new Error('CRC error'), 'w').code).toBe('COMM_CRC');
    expect(toVigilError(notOpen, 'w').code).toBe('COMM_PORT_CLOSED');
    expect(toVigilError(unplugged, 'w').code).toBe('COMM_PORT_CLOSED');
    expect(toVigilError(new Error('Data length error, expected 9 got 4'), 'w').code).toBe('COMM_BAD_FRAME');
  });

  it('keeps the cause and says where and what', () => {
    const cause = new Error('Unexpected data error, expected address 3 got 5');
    const v = toVigilError(cause, '192.168.1.10:502 unit 3 FC04 input 10+2');
    expect(v.code).toBe('COMM_BAD_FRAME');
    expect(v.cause).toBe(cause);
    expect(v.message).toBe('192.168.1.10:502 unit 3 FC04 input 10+2: bad reply (Unexpected data error, expected address 3 got 5)');
  });

  it('passes a VigilError through unchanged', () => {
    const original = new VigilError('BUS_CLOSED', 'closed');
    expect(toVigilError(original, 'w')).toBe(original);
  });
});

describe('toVigilError against modbus-serial itself (TestPort)', () => {
  // TestPort units: 1 answers, 2 short reply, 3 bad CRC, 4 wrong unit, 5 exception 4, 6 silence.
  async function failureOf(unit: number): Promise<string> {
    const client = new ModbusRTU(new ModbusRTU.TestPort());
    await client.open();
    client.setID(unit);
    client.setTimeout(20);
    try {
      await client.readInputRegisters(0, 2);
      return 'answered';
    } catch (e) {
      return toVigilError(e, `unit ${unit}`).code;
    }
  }

  it('maps real rejections', async () => {
    expect(await failureOf(1)).toBe('answered');
    expect(await failureOf(2)).toBe('COMM_BAD_FRAME');
    expect(await failureOf(3)).toBe('COMM_CRC');
    expect(await failureOf(4)).toBe('COMM_BAD_FRAME');
    expect(await failureOf(5)).toBe('DEVICE_FAILURE');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('maps a real timeout (modbus-serial\'s own timer, driven by fake time)', async () => {
    vi.useFakeTimers();
    const pending = failureOf(6);
    await vi.advanceTimersByTimeAsync(20);
    expect(await pending).toBe('COMM_TIMEOUT');
  });

  it('maps a closed port', async () => {
    const client = new ModbusRTU();
    client.setID(1);
    const code = await client.readHoldingRegisters(0, 1).then(
      () => 'answered',
      (e: unknown) => toVigilError(e, 'w').code,
    );
    expect(code).toBe('COMM_PORT_CLOSED');
  });
});
