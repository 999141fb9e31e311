/**
 * Opens the two kinds of byte stream a panel or a monitoring centre sits on: a serial line
 * (RS-232/RS-485 through serialport) or a TCP connection. Each call is one connection; the owner
 * decides when to retry (a fire panel link retries forever, with a backoff, and raises a comm
 * fault meanwhile — that policy is not the transport's). Failures are VigilErrors that name the
 * port or address: COMM_PORT_CLOSED when it cannot be opened, COMM_TIMEOUT when a connect hangs.
 */
import { connect as netConnect } from 'node:net';
import { SerialPort } from 'serialport';
import { VigilError } from '../../gateway/errors.js';
import type { ByteTransport } from './byte-transport.js';
import { duplexTransport } from './duplex-transport.js';

export interface SerialLineOptions {
  /** e.g. /dev/ttyUSB0 */
  port: string;
  baudRate: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
}

export interface TcpEndpointOptions {
  host: string;
  port: number;
  /** Default 5000 ms. */
  connectTimeoutMs?: number;
  /**
   * TCP keep-alive probe delay, default 10,000 ms: a centre or panel that vanished without a FIN
   * (power cut, cable pulled) is noticed by the OS instead of after the next send times out.
   */
  keepAliveMs?: number;
}

const PARITY_LETTER = { none: 'N', even: 'E', odd: 'O' } as const;

export function describeSerialLine(o: SerialLineOptions): string {
  return `${o.port} ${o.baudRate} ${o.dataBits ?? 8}${PARITY_LETTER[o.parity ?? 'none']}${o.stopBits ?? 1}`;
}

export async function openSerialTransport(o: SerialLineOptions): Promise<ByteTransport> {
  const description = describeSerialLine(o);
  const port = new SerialPort({ path: o.port, baudRate: o.baudRate, dataBits: o.dataBits ?? 8, parity: o.parity ?? 'none', stopBits: o.stopBits ?? 1, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((e) => (e ? reject(new VigilError('COMM_PORT_CLOSED', `${description}: cannot open the serial port: ${e.message}`, { port: o.port }, { cause: e })) : resolve())),
  );
  return duplexTransport(port, description);
}

export function connectTcpTransport(o: TcpEndpointOptions): Promise<ByteTransport> {
  const description = `${o.host}:${o.port}`;
  const timeoutMs = o.connectTimeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: o.host, port: o.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new VigilError('COMM_TIMEOUT', `${description}: no TCP connection within ${timeoutMs} ms`, { host: o.host, port: o.port, timeoutMs }));
    }, timeoutMs);
    const onError = (e: Error): void => {
      clearTimeout(timer);
      reject(new VigilError('COMM_PORT_CLOSED', `${description}: cannot connect: ${e.message}`, { host: o.host, port: o.port }, { cause: e }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      // Frames are small and latency-bound (a fire alarm has 10 s end to end, GB 26875.1): no Nagle delay.
      socket.setNoDelay(true);
      socket.setKeepAlive(true, o.keepAliveMs ?? 10_000);
      resolve(duplexTransport(socket, description));
    });
  });
}
