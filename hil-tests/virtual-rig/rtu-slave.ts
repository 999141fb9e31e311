/**
 * The slaves of one RS-485 line, answering on the rig end of a pty pair. Several devices
 * share the line (multidrop, Modbus over Serial Line V1.02 §2.1): every request reaches all
 * of them, only the addressed one answers, an unknown address gets no answer at all, and a
 * broadcast (address 0) is executed by every device and answered by none.
 *
 * A hand-written slave rather than modbus-serial's ServerSerial (toolchain.md §3): that one
 * overwrites the received CRC before checking it, so it cannot test CRC handling, and its
 * 30 ms frame timer makes every poll ~100× slower than this.
 */
import { SerialPort } from 'serialport';
import { withCrc } from './crc16.js';
import { RtuRequestDecoder } from './rtu-framing.js';
import type { SimulatedDevice } from './simulated-device.js';
import { TimerSet } from './timer-set.js';

export interface RtuSlaveOptions {
  /** The rig end of the pty pair. */
  path: string;
  /** Meaningless on a pty, but serialport requires one. Default 9600. */
  baudRate?: number;
  /** Device per unit id. Read on every request, so the map may change while serving. */
  devices: ReadonlyMap<number, SimulatedDevice>;
  /** Port errors (the slave keeps serving after them). Default: ignored. */
  onError?: (e: Error) => void;
}

export interface RtuSlave {
  /** Bytes discarded by the framer (bad CRC, garbage) — a real slave drops them silently. */
  readonly discardedBytes: number;
  /** Closes the port and drops answers still pending. */
  close(): Promise<void>;
}

export async function startRtuSlave(options: RtuSlaveOptions): Promise<RtuSlave> {
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate ?? 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const decoder = new RtuRequestDecoder();
  const timers = new TimerSet();

  const send = (bytes: Buffer, delayMs: number): void => {
    const write = (): void => {
      if (port.isOpen) port.write(bytes);
    };
    if (delayMs > 0) timers.after(delayMs, write);
    else write();
  };

  port.on('data', (chunk: Buffer) => {
    for (const { unitId, pdu } of decoder.push(chunk)) {
      if (unitId === 0) {
        for (const d of options.devices.values()) d.broadcast(pdu);
        continue;
      }
      const a = options.devices.get(unitId)?.answer(pdu);
      if (!a || a.kind === 'silent') continue;
      if (a.kind === 'garbage') {
        send(a.bytes, a.delayMs);
        continue;
      }
      const frame = withCrc(Buffer.concat([Buffer.from([a.unitId]), a.pdu]));
      // Flip every bit of the CRC's low byte: the frame is intact but its check now fails.
      if (a.corruptCrc) frame[frame.length - 2]! ^= 0xff;
      send(frame, a.delayMs);
    }
  });
  port.on('error', (e) => options.onError?.(e));

  return {
    get discardedBytes() {
      return decoder.discardedBytes;
    },
    close: async () => {
      timers.clear();
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
