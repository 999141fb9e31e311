/**
 * A Modbus TCP server for simulated devices, bound to 127.0.0.1 only (the rig is a test
 * fixture, never reachable from the network). One server stands for one TCP gateway or
 * multi-unit device: the MBAP unit id selects the simulated device.
 *
 * A unit id with no device gets exception 0x0B, GATEWAY TARGET DEVICE FAILED TO RESPOND
 * (Modbus Application Protocol V1.1b3 §7) — what a Modbus TCP gateway answers when nothing
 * answers behind it, and a quick, unambiguous signal to the client instead of a timeout.
 * `unknownUnit: 'silent'` makes it a plain no-answer instead.
 *
 * Answers are sent as each device produces them; a 'slow' device answers late, possibly
 * after a later request to another unit — allowed, the transaction id pairs them (§4.1).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { EXCEPTION, exceptionPdu } from './pdu.js';
import { MbapDecoder, encodeMbap } from './mbap.js';
import type { SimulatedDevice } from './simulated-device.js';
import { TimerSet } from './timer-set.js';
import { listenOnLoopback } from './listen.js';

export interface ModbusTcpServerOptions {
  /** Device per unit id. Read on every request, so the map may change while serving. */
  devices: ReadonlyMap<number, SimulatedDevice>;
  /** 0 (default) = an ephemeral port; the bound port is in the result. */
  port?: number;
  unknownUnit?: 'exception' | 'silent';
}

export interface ModbusTcpServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Closes the listener and every client connection, and drops answers still pending. */
  close(): Promise<void>;
}

export async function startModbusTcpServer(options: ModbusTcpServerOptions): Promise<ModbusTcpServer> {
  const sockets = new Set<Socket>();
  const timers = new TimerSet();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const decoder = new MbapDecoder();
    socket.on('data', (chunk) => {
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const f of frames) serve(socket, f.transactionId, f.unitId, f.pdu);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  const send = (socket: Socket, bytes: Buffer, delayMs: number): void => {
    const write = (): void => {
      if (!socket.destroyed) socket.write(bytes);
    };
    if (delayMs > 0) timers.after(delayMs, write);
    else write();
  };

  const serve = (socket: Socket, transactionId: number, unitId: number, pdu: Buffer): void => {
    const device = options.devices.get(unitId);
    if (!device) {
      if (options.unknownUnit !== 'silent') {
        send(socket, encodeMbap(transactionId, unitId, exceptionPdu(pdu[0]!, EXCEPTION.GATEWAY_TARGET_FAILED_TO_RESPOND)), 0);
      }
      return;
    }
    const a = device.answer(pdu);
    if (a.kind === 'silent') return;
    if (a.kind === 'garbage') return send(socket, a.bytes, a.delayMs);
    // TCP has no CRC: a device whose serial answer fails its check looks, through a TCP
    // gateway, like a target that failed to respond (see faults.ts).
    const body = a.corruptCrc ? exceptionPdu(pdu[0]!, EXCEPTION.GATEWAY_TARGET_FAILED_TO_RESPOND) : a.pdu;
    send(socket, encodeMbap(transactionId, a.unitId, body), a.delayMs);
  };

  const boundPort = await listenOnLoopback(server, options.port ?? 0, 'Modbus TCP server');

  return {
    host: '127.0.0.1',
    port: boundPort,
    close: async () => {
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
