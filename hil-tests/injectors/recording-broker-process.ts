/**
 * The cloud for the fault campaign: an aedes broker in a process of its own that writes the
 * seqs of every telemetry and event message it accepts to stdout, one `SEQ a,b,c` line per
 * message, before its PUBACK leaves (provisioning/demo/embedded-broker.ts onPublish). The
 * parent keeps the record, so the broker can be stopped and started again on the same port
 * (an outage) without losing the count — and no subscriber has to win a reconnect race with
 * the gateway to see everything. Usage: recording-broker-process.js <port>
 * Prints `BROKER_PORT <n>` once listening on 127.0.0.1; exits on SIGTERM/SIGINT or when its
 * parent closes stdin (a crashed campaign never leaves a broker behind).
 */
import { startEmbeddedBroker } from '../../provisioning/demo/embedded-broker.js';
import { payloadSeqs } from './seq-ledger.js';

const broker = await startEmbeddedBroker(Number(process.argv[2] ?? 0), '127.0.0.1', {
  onPublish(topic, payload) {
    let seqs: number[];
    try {
      seqs = payloadSeqs(topic, payload);
    } catch (e) {
      // Said loudly: a payload the cloud cannot read is a finding, not something to skip.
      process.stdout.write(`BAD_PAYLOAD ${topic} ${(e as Error).message}\n`);
      return;
    }
    // Pipes are written synchronously on Linux: the line is out before the PUBACK.
    if (seqs.length) process.stdout.write(`SEQ ${seqs.join(',')}\n`);
  },
});
process.stdout.write(`BROKER_PORT ${broker.port}\n`);

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(0), 2_000).unref();
  void broker.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
