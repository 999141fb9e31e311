import type { RunningGateway } from '../../gateway/runtime/gateway.js';
import type { DemoCommands } from './demo-commands.js';
import { DEMO } from './demo-site.js';
import { ELECTRICITY_DEMO } from './electricity-scenario.js';
import { FIRE_CENTRE_DUTY_CHECK, FIRE_DEMO } from './fire-scenario.js';
import { clockTime } from './safety-view.js';

export interface BannerOptions {
  rampEverySec: number;
  apiUrl: string;
  mqttPort: number;
  controlUrl: string | undefined;
  siteFile: string;
  secretsFile: string;
  logFile: string;
  rtuPort: string;
  commands: DemoCommands;
  /** The simulated fire panel and monitoring centre, when the demo runs them. */
  fire?: { panelPort: number; centre: { port: number } };
}

/** Printed once at the start: where things are, what to look at, how to act on alarms. */
export function banner(o: BannerOptions): string[] {
  const reopen = o.commands.reopenValveByHand(DEMO.valve);
  return [
    '',
    'Vigil demo — a gateway on a virtual rig (Ctrl-C to stop)',
    '',
    `  site file        ${o.siteFile}`,
    `  secrets file     ${o.secretsFile}  (user "${DEMO.user}"'s API token, new every run, mode 0600)`,
    `  gateway log      ${o.logFile}`,
    `  virtual RS-485   ${o.rtuPort}  (gas-1, gas-2, ef-1, meter-1, ${DEMO.valve})`,
    ...(o.fire
      ? [
          `  fire panel       127.0.0.1:${o.fire.panelPort}  (${FIRE_DEMO.panel}, simulated, GB/T 26875.3; the gateway dials it)`,
          `  fire centre      127.0.0.1:${o.fire.centre.port}  (simulated monitoring centre; the gateway reports to it as a UITD)`,
        ]
      : []),
    '',
    'Look at:',
    `  the console      ${o.apiUrl}/console/  (a browser; log in as "${DEMO.user}" with the token in ${o.secretsFile})`,
    `  health           curl -s ${o.apiUrl}/api/health`,
    `  latest values    curl -s ${o.apiUrl}/api/points`,
    `  alarms           curl -s ${o.apiUrl}/api/alarms`,
    `  interlocks       curl -s ${o.apiUrl}/api/interlocks`,
    `  metrics          curl -s ${o.apiUrl}/metrics`,
    `  the cloud side   npx mqtt sub -h 127.0.0.1 -p ${o.mqttPort} -t 'vigil/#' -v`,
    '',
    `Act on alarms as "${DEMO.user}" (-H @file sends the token header from a mode-0600 file, out of sight of ps):`,
    `  acknowledge all  ${o.commands.acknowledgeAll()}`,
    `  silence          ${o.commands.silence()}`,
    `  reset an alarm   ${o.commands.reset('gas-1/gas_high_high')}`,
    `  reset interlock  ${o.commands.resetInterlock(DEMO.interlock)}`,
    ...(o.controlUrl
      ? [
          '',
          'Play with the rig:',
          `  set a value      curl -s -X PUT ${o.controlUrl}/devices/gas-2/points/gas_lel -H 'content-type: application/json' -d '{"value": 30}'`,
          `  kill a slave     curl -s -X POST ${o.controlUrl}/devices/ef-1/faults -H 'content-type: application/json' -d '{"fault": "dead"}'`,
          `  revive it        curl -s -X DELETE ${o.controlUrl}/devices/ef-1/faults`,
          ...(reopen ? [`  reopen the valve ${reopen}`] : []),
        ]
      : []),
    '',
    `gas-1 leaks every ${o.rampEverySec} s: it ramps through both alarm levels (25 and 50 %LEL) and back. At 50 %LEL the`,
    `interlock ${DEMO.interlock} closes ${DEMO.valve} and starts the fan. Gas alarms latch (GB/T 50493-2019): once the gas`,
    'is gone they wait for a person to reset them, and a reset is refused while the gas is still there.',
    ...(o.fire
      ? [
          '',
          `At ${FIRE_DEMO.fireAtMs / 1000} s ${FIRE_DEMO.panel} reports a smoke detector in fire: the gateway sounds the fire pattern and relays it`,
          `to the monitoring centre (GB 26875.1: within 10 s). At ${FIRE_DEMO.dutyCheckAtMs / 1000} s the centre sends a 查岗 duty-check; the gateway`,
          `answers only once a person acknowledges ${FIRE_CENTRE_DUTY_CHECK}. At ${FIRE_DEMO.panelResetAtMs / 1000} s the panel is reset.`,
        ]
      : []),
    '',
    `At ${ELECTRICITY_DEMO.shutdownAtMs / 1000} s an ordered shutdown (${ELECTRICITY_DEMO.window}) begins, but the plant keeps drawing ~12 kW on ${ELECTRICITY_DEMO.meter}:`,
    `after ${ELECTRICITY_DEMO.powerHoldSeconds} s above the ${ELECTRICITY_DEMO.floorKW} kW floor the gateway reports production during shutdown. Lines marked ⚡ are`,
    'what the cloud received; every quarter hour (:00, :15, :30, :45) the energy of meter-1 and of the site follows.',
    '',
  ];
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
  return `${clockTime(Date.now())}  ${h.status.padEnd(8)} ${gas.join(' | ')} | devices ${notOk.length ? notOk.join(',') : 'all ok'} | ${outbox} | mqtt ${h.broker.connected ? 'connected' : 'DOWN'}`;
}
