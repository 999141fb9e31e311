/**
 * The floor of the `peer` bench: the site's read plan polled with modbus-serial — the Modbus
 * library under both Vigil and node-red-contrib-modbus — and nothing else: no decoding, no
 * alarms, no store, no MQTT. Its CPU and RSS are what any Node.js gateway pays before it does
 * its job, so they bound how far below a Node.js peer a Node.js gateway can go.
 * Usage: peer-floor-process.js <port> <reads.json> <pollMs>
 * reads.json: [{ unitId, table: 'holding' | 'input' | 'coil' | 'discrete', address, count, readings }].
 * Speaks the subscriber's protocol (subscriber-process.ts): `SUB_READY` once connected; on a
 * `report` line on stdin, `SUB_REPORT {json}` with the readings those reads carried.
 */
import { readFileSync } from 'node:fs';
import modbusSerial from 'modbus-serial';
import { serveCountReports } from './count-reports.js';

// CommonJS under an `export default` .d.ts (see drivers/modbus/modbus-serial-transport.ts).
const ModbusRTU = modbusSerial.default;

interface FloorRead {
  unitId: number;
  table: 'holding' | 'input' | 'coil' | 'discrete';
  address: number;
  count: number;
  /** How many readings (points) the read carries. */
  readings: number;
}

const [portArg, readsFile, pollArg] = process.argv.slice(2);
if (!portArg || !readsFile || !pollArg) {
  console.error('usage: peer-floor-process.js <port> <reads.json> <pollMs>');
  process.exit(2);
}
const reads = JSON.parse(readFileSync(readsFile, 'utf8')) as FloorRead[];
const counts = { messages: 0, readings: 0, errors: 0 };
const client = new ModbusRTU();

async function readOnce(r: FloorRead): Promise<void> {
  client.setID(r.unitId);
  if (r.table === 'holding') await client.readHoldingRegisters(r.address, r.count);
  else if (r.table === 'input') await client.readInputRegisters(r.address, r.count);
  else if (r.table === 'coil') await client.readCoils(r.address, r.count);
  else await client.readDiscreteInputs(r.address, r.count);
}

// One cycle at a time, reads one after the other on one connection, as both contenders do.
let busy = false;
async function cycle(): Promise<void> {
  if (busy) return;
  busy = true;
  for (const r of reads) {
    try {
      await readOnce(r);
      counts.messages++;
      counts.readings += r.readings;
    } catch (e) {
      counts.errors++;
      console.error(`floor: unit ${r.unitId} ${r.table} ${r.address}+${r.count}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  busy = false;
}

await client.connectTCP('127.0.0.1', { port: Number(portArg) });
client.setTimeout(1_000);
setInterval(() => void cycle(), Number(pollArg));
process.stdout.write('SUB_READY\n');

serveCountReports(counts, () => client.close(() => undefined));
