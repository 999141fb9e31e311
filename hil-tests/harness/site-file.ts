import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RigFile } from '../rig-file/schema.js';

/**
 * The site file the gateway under test runs from, written from the rig file: the same names
 * (buses, devices, outputs, interlock) with the endpoints of this run (pty paths, ports). A
 * test engineer can read it in the report directory and `vigil validate` it.
 */
export const HIL_USER = 'hil';
const TOKEN_KEY = 'api_token_hil';

export interface SiteEndpoints {
  /** Serial port (rtu) or 127.0.0.1 port (tcp) per bus name. */
  buses: Record<string, { port: string } | { host: string; tcpPort: number }>;
  mqttUrl: string;
  gpioChip: string;
  /** GB/T 26875.3 panel transport, as site-file YAML (a flow mapping), when the rig has a panel. */
  firePanel?: { name: string; transportYaml: string };
  centre?: { host: string; port: number; uitd: number; centre: number };
  /** `ntp` with these markers, or `always` (the operator vouches). */
  clock: { trust: 'ntp'; syncMarkers?: string[] } | { trust: 'always' };
}

export interface WrittenSite {
  siteFile: string;
  token: string;
}

export function writeSiteFile(dir: string, rig: RigFile, at: SiteEndpoints): WrittenSite {
  // 18 random bytes → 24 base64url characters (gateway/config/secrets.ts MIN_TOKEN_LENGTH).
  const token = randomBytes(18).toString('base64url');
  writeFileSync(join(dir, 'secrets.yaml'), `${TOKEN_KEY}: "${token}"\n`, { mode: 0o600 });
  const siteFile = join(dir, 'site.yaml');
  writeFileSync(siteFile, siteYaml(rig, at));
  return { siteFile, token };
}

export function siteYaml(rig: RigFile, at: SiteEndpoints): string {
  const g = rig.gateway;
  const buses = rig.buses.map((b) => {
    const e = at.buses[b.name];
    if (!e) throw new Error(`no endpoint for bus ${b.name}`);
    if ('port' in e) {
      const serial = rig.kind === 'bench' && 'baudRate' in b ? `baudRate: ${b.baudRate}, parity: ${b.parity}, stopBits: ${b.stopBits}` : 'baudRate: 9600, parity: even, stopBits: 1';
      // Back-off after 2 failures so a cut device is judged quickly; capped low so it returns quickly.
      return `  - { name: ${b.name}, type: rtu, port: ${e.port}, ${serial}, timeoutMs: ${g.timeoutMs}, retries: 1, backoff: { afterFailures: 2, initialMs: 1000, maxMs: 2000 } }`;
    }
    return `  - { name: ${b.name}, type: tcp, host: ${e.host}, port: ${e.tcpPort}, timeoutMs: ${g.timeoutMs} }`;
  });
  const devices = rig.devices.map((d) => `  - { name: ${d.name}, bus: ${d.bus}, unitId: ${d.unitId}, profile: ${d.profile}, pollMs: ${g.pollMs} }`);
  const outputs = rig.outputs.map(
    (o) => `    - { name: ${o.name}, kind: ${o.kind}, line: ${o.line}, activeLow: ${o.activeLow}, failsafe: "${o.failsafe}"${o.classes ? `, classes: [${o.classes.join(', ')}]` : ''} }`,
  );
  const clock = at.clock.trust === 'ntp' && at.clock.syncMarkers ? `{ trust: ntp, syncMarkers: [${at.clock.syncMarkers.join(', ')}] }` : `{ trust: ${at.clock.trust} }`;
  const il = rig.interlock;
  const interlock = il
    ? `interlocks:
  - name: ${il.name}
    description: Close the gas valve${il.fan ? ' and start the fan' : ''} on ${il.detector}'s second-level alarm (GB/T 50493-2019)
    when: [${il.detector}/gas_high_high]
    actions:
      - write: { device: ${il.valve}, point: close_command, value: true }
${il.fan ? `      - output: { name: ${il.fan}, value: "on", releaseOnReset: true }\n` : ''}    confirm: { device: ${il.valve}, point: closed_feedback, value: true, withinMs: ${il.confirmWithinMs} }
    retries: 2
`
    : '';
  const fire = at.firePanel
    ? `firePanels:
  - name: ${at.firePanel.name}
    transport: ${at.firePanel.transportYaml}
`
    : '';
  const centre = at.centre ? `fireCentre:\n  centre: { host: ${at.centre.host}, port: ${at.centre.port} }\n  address: { uitd: ${at.centre.uitd}, centre: ${at.centre.centre} }\n` : '';
  return `# Written by the HIL suite for rig "${rig.name}" (${rig.kind}); docs/hil.md.
version: 1
site: { id: hil-${rig.name}, name: HIL rig ${rig.name} }
gateway: { id: gw-hil }
clock: ${clock}
buses:
${buses.join('\n')}
devices:
${devices.join('\n')}
outputs:
  driver: { kind: gpiod, chip: ${at.gpioChip} }
  lines:
${outputs.join('\n')}
${interlock}${fire}${centre}secrets: { file: secrets.yaml }
cloud:
  mqtt: { url: ${at.mqttUrl}, clientId: gw-hil, reconnect: { initialMs: 200, maxMs: 1000 } }
storage: { path: vigil.db, budgetBytes: 16777216 }
api:
  bind: 127.0.0.1
  port: 0
  users:
    - { name: ${HIL_USER}, token: { secret: ${TOKEN_KEY} } }
`;
}
