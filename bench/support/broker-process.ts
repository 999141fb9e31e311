/**
 * The embedded aedes broker in a process of its own (an aedes broker in the same process as
 * the publisher roughly halves throughput — reference/toolchain.md §4). Prints
 * `BROKER_PORT <n>` once listening on 127.0.0.1; exits on SIGTERM/SIGINT or when its parent
 * closes stdin (so a crashed bench never leaves a broker behind).
 */
import { startEmbeddedBroker } from '../../provisioning/demo/embedded-broker.js';

const broker = await startEmbeddedBroker(Number(process.argv[2] ?? 0), '127.0.0.1');
process.stdout.write(`BROKER_PORT ${broker.port}\n`);

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  const hard = setTimeout(() => process.exit(0), 2_000);
  hard.unref();
  void broker.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
