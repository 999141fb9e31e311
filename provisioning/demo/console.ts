import type { RunningGateway } from '../../gateway/runtime/gateway.js';

export function printBanner(o: { rampEverySec: number; apiUrl: string; mqttUrl: string; mqttPort: number; controlUrl: string | undefined; siteFile: string; logFile: string; rtuPort: string }): void {
  const lines = [
    '',
    'Vigil demo — a gateway on a virtual rig (Ctrl-C to stop)',
    '',
    `  site file        ${o.siteFile}`,
    `  gateway log      ${o.logFile}`,
    `  virtual RS-485   ${o.rtuPort}  (gas-1, gas-2, ef-1, meter-1)`,
    '',
    'Look at:',
    `  health           curl -s ${o.apiUrl}/api/health`,
    `  latest values    curl -s ${o.apiUrl}/api/points`,
    `  metrics          curl -s ${o.apiUrl}/metrics`,
    `  the cloud side   npx mqtt sub -h 127.0.0.1 -p ${o.mqttPort} -t 'vigil/#' -v`,
    ...(o.controlUrl
      ? [
          '',
          'Play with the rig:',
          `  set a value      curl -s -X PUT ${o.controlUrl}/devices/gas-2/points/gas_lel -H 'content-type: application/json' -d '{"value": 30}'`,
          `  kill a slave     curl -s -X POST ${o.controlUrl}/devices/ef-1/faults -H 'content-type: application/json' -d '{"fault": "dead"}'`,
          `  revive it        curl -s -X DELETE ${o.controlUrl}/devices/ef-1/faults`,
        ]
      : []),
    '',
    `gas-1 leaks every ${o.rampEverySec} s: it ramps through both alarm levels (25 and 50 %LEL) and back.`,
    '',
  ];
  console.log(lines.join('\n'));
}

/** One line of what is going on: the gas levels, device states, outbox and broker link. */
export async function statusLine(gw: RunningGateway): Promise<string> {
  const h = await (await fetch(`${gw.apiUrl}/api/health`)).json() as {
    status: string;
    devices: { name: string; state: string }[];
    broker: { connected: boolean };
    outbox: { depth?: { telemetry: number; event: number }; lastSeq?: number; error?: string };
  };
  const points = gw.points.snapshot();
  const gas = points
    .filter((p) => p.point === 'gas_lel' || p.point === 'co_ppm')
    .map((p) => `${p.device} ${typeof p.value === 'number' ? p.value.toFixed(1) : String(p.value)} ${p.unit ?? ''}${p.quality === 'good' ? '' : ` (${p.quality})`}`.trim());
  const notOk = h.devices.filter((d) => d.state !== 'ok').map((d) => `${d.name}:${d.state}`);
  const outbox = h.outbox.depth ? `outbox ${h.outbox.depth.telemetry + h.outbox.depth.event}, seq ${h.outbox.lastSeq}` : `store ERROR ${h.outbox.error ?? ''}`;
  const time = new Date().toISOString().slice(11, 19);
  return `${time}  ${h.status.padEnd(8)} ${gas.join(' | ')} | devices ${notOk.length ? notOk.join(',') : 'all ok'} | ${outbox} | mqtt ${h.broker.connected ? 'connected' : 'DOWN'}`;
}
