/**
 * A cloud stand-in for the drain bench: subscribes (QoS 1) to a telemetry topic and counts
 * what arrives, in a process of its own so its JSON parsing does not share the forwarder's
 * event loop. Usage: subscriber-process.js <url> <topic> <expectedMaxSeq>
 * Prints `SUB_READY` once subscribed; on a `report` line on stdin prints
 * `SUB_REPORT {json}`: messages, readings (sum of readings[] lengths), distinct seqs,
 * duplicates and seqs outside 1..expectedMaxSeq.
 */
import { connect } from 'mqtt';
import { serveCountReports } from './count-reports.js';

const [url, topic, maxSeqArg] = process.argv.slice(2);
if (!url || !topic || !maxSeqArg) {
  console.error('usage: subscriber-process.js <url> <topic> <expectedMaxSeq>');
  process.exit(2);
}
const maxSeq = Number(maxSeqArg);
const seen = new Uint8Array(maxSeq + 1);
const counts = { messages: 0, readings: 0, distinct: 0, duplicates: 0, outOfRange: 0, historical: 0 };

const client = connect(url, { clientId: `bench-sub-${process.pid}`, clean: true, reconnectPeriod: 0 });
client.on('error', (e) => {
  console.error(`subscriber: ${e.message}`);
  process.exit(1);
});
client.on('connect', () => {
  client.subscribe(topic, { qos: 1 }, (err) => {
    if (err) {
      console.error(`subscriber: subscribe failed: ${err.message}`);
      process.exit(1);
    }
    process.stdout.write('SUB_READY\n');
  });
});
client.on('message', (_t, payload) => {
  const msg = JSON.parse(payload.toString()) as { historical: boolean; readings: Array<{ seq: number }> };
  counts.messages++;
  if (msg.historical) counts.historical++;
  for (const r of msg.readings) {
    counts.readings++;
    if (!(r.seq >= 1 && r.seq <= maxSeq)) counts.outOfRange++;
    else if (seen[r.seq]) counts.duplicates++;
    else {
      seen[r.seq] = 1;
      counts.distinct++;
    }
  }
});

serveCountReports(counts, () => client.end(true));
