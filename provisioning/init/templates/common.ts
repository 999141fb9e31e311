/**
 * The parts every `vigil init` template shares: the identity and clock, an RS-485 bus, the
 * cabinet's sounder/strobe/lamp lines and buttons, the cloud link, storage and the local API with
 * its users. Each returns commented YAML text ending in a newline; the templates put them
 * together. Secrets are only ever referenced ({ secret: key }): secrets-stub.ts writes the values.
 */
import type { InitAnswers, TemplateName } from '../answers.js';

/** Keys of the secrets file the templates refer to. */
export const SECRET_KEYS = {
  dutyToken: 'api_token_duty_room',
  officerToken: 'api_token_safety_officer',
  mqttUsername: 'mqtt_username',
  mqttPassword: 'mqtt_password',
  commandKey: 'cloud_command_key',
} as const;

/** The opening comment, version, site, gateway, clock, log and secrets. */
export function header(a: InitAnswers, title: string, about: string): string {
  return `# Vigil site file: ${title}.
# Written by \`vigil init --template ${a.template}\`.
# ${about}
#
# Every section is explained where it starts; every key is in docs/configuration.md. The device
# list is an EXAMPLE: replace names, unit ids and profiles with what is installed (\`vigil scan\`
# finds the devices on a line), then check the file before starting the gateway:
#   vigil validate ${'<this file>'}
# validate prints every problem with its line, and the bus budget: how busy each RS-485 line is.
# Relative paths (secrets.file, storage.path, profileDirs) are resolved against the directory of
# THIS file.

# The format of this file. Vigil refuses a file without it, so a file written for another format
# is never misread.
version: 1

# Used in MQTT topics (vigil/<site>/<gateway>/…), in the cloud and in commissioning reports.
site:
  id: ${a.siteId}
  name: ${yamlText(a.siteName)}
gateway:
  id: ${a.gatewayId}

# \`ntp\`: alarm timestamps count as trustworthy only once the system clock is NTP-synchronised
# (alarm times within 30 s a day: GB/T 50493-2019 §5 as summarised in standards.md §1.1). Use \`always\` only on a gateway with
# a battery-backed RTC that you have checked.
clock:
  trust: ntp

# info is the default; debug logs every Modbus transaction (noisy).
log:
  level: info

# Credentials live in a separate file (mode 0600), never here: \`vigil init\` wrote it next to this
# file with random API tokens and a marked placeholder for anything only you can know.
secrets:
  file: ${a.secretsFile}

`;
}

/** The opening of the buses section (the template adds its own comment where it says more). */
export const BUSES = `# The lines the devices hang on. One bus = one serial port (or TCP connection) with one queue.
buses:
`;

/** The opening of the devices section. */
export const DEVICES = `# The Modbus devices and how often each is polled. Unit ids on an RS-485 line are 1–247, set on
# each device (DIP switch or menu); \`profile\` names its register map and default alarms
# (drivers/profiles/; docs/profiles.md to add your own model).
devices:
`;

/** One RS-485 line. Timeouts suit 9600 baud and above; the budget in `vigil validate` checks the rest. */
export function rtuBus(name: string, port: string, baudRate: number, description: string): string {
  return `  # ${description}
  # Use the /dev/serial/by-id/… name of the USB adapter: /dev/ttyUSB0 can change after a reboot
  # when a second adapter is plugged in (ls -l /dev/serial/by-id/).
  - name: ${name}
    type: rtu
    port: ${port}
    baudRate: ${baudRate}
    # Modbus over Serial Line §2.5.1: 11 bits per character; even parity with 1 stop bit is the
    # spec's default. Set what the devices are set to (no parity needs stopBits: 2).
    parity: even
    stopBits: 1
    timeoutMs: 500          # a reply of a few registers takes ~40 ms at 9600 baud; 500 ms is generous
    retries: 1
    # A dead device is backed off after 3 failed requests, so its timeouts cannot stall the
    # others on the line (it is probed again after 5 s, then up to every 5 min).
    backoff: { afterFailures: 3, initialMs: 5000, maxMs: 300000 }
`;
}

/** The sounder, strobe and fault lamp every site has, on the Pi's GPIO header; `extra` lines follow. */
export function outputs(opts: { strobeClasses: string; extraLines?: string; inputs: string }): string {
  return `# Local sounders, strobes, lamps and relays on the Pi's GPIO header, and the cabinet's buttons.
# They work with no network (DESIGN principle 1). \`line\` is the BCM GPIO number (GPIO17 = 17), not
# the header pin. Install the libgpiod tools first: apt-get install gpiod. On a bench without
# hardware use \`driver: { kind: virtual }\`. Patterns per alarm class: docs/alarms.md.
# \`failsafe\`: the state an output takes when the gateway cannot vouch for its alarm engine.
outputs:
  driver: { kind: gpiod, chip: gpiochip0 }
  lines:
    - name: sounder
      description: Sounder at the entrance (relay board channel 1)
      kind: sounder
      line: 17
      failsafe: on            # better a false alarm than silence
    - name: strobe
      description: Red strobe at the entrance (relay board channel 2)
      kind: strobe
      line: 27
      failsafe: on
      classes: ${opts.strobeClasses}
    # Faults (故障: lost communication, sensor faults) are announced apart from alarms
    # (GB/T 50493-2019 §5, GB 14287.2): on their own yellow lamp.
    - name: fault-lamp
      description: Yellow fault lamp on the cabinet door (故障)
      kind: lamp
      line: 22
      failsafe: on
      classes: [fault]
${opts.extraLines ?? ''}  inputs:
${opts.inputs}`;
}

/** The acknowledge button (and a reset key where alarms latch). */
export const ACK_BUTTON = `    # Push button to ground on the cabinet door: acknowledges every alarm and silences the sounder
    # (a new alarm sounds again: GB 16808, GB 14287).
    - name: ack-button
      description: Acknowledge button, cabinet door (确认)
      action: acknowledge
      line: 5
`;

export const RESET_KEY = `    # Key switch to ground: resets every latched alarm whose condition has gone, and every tripped
    # interlock whose triggers have gone (a closed valve stays closed: reopen it by hand on site).
    - name: reset-key
      description: Reset key switch, cabinet door (复位)
      action: reset
      line: 6
`;

/** The cloud link, or a commented-out one when no broker was given. */
export function cloud(a: InitAnswers, platform: string): string {
  if (a.broker === undefined) {
    return `# No cloud yet: the gateway runs offline-only and still stores every reading and alarm locally.
# To send them to ${platform}, add (and the three keys to the secrets file):
# cloud:
#   mqtt:
#     url: mqtts://broker.example.com:8883
#     clientId: ${a.siteId}-${a.gatewayId}
#     username: { secret: ${SECRET_KEYS.mqttUsername} }
#     password: { secret: ${SECRET_KEYS.mqttPassword} }
#     commands:
#       key: { secret: ${SECRET_KEYS.commandKey} }

`;
  }
  return `# MQTT to ${platform}.
# Readings wait in the local store until the broker acknowledges them (QoS 1): an outage loses nothing.
cloud:
  mqtt:
    url: ${a.broker}${/^(mqtts|wss):/.test(a.broker) ? '' : '   # not TLS: use mqtts:// where the broker offers it'}
    clientId: ${a.siteId}-${a.gatewayId}
    username: { secret: ${SECRET_KEYS.mqttUsername} }
    password: { secret: ${SECRET_KEYS.mqttPassword} }    # the placeholder in the secrets file must be replaced
    topicPrefix: vigil
    # Alarm commands from the platform (acknowledge, reset …) are accepted only when signed with
    # this key (HMAC-SHA256, docs/messages.md); give the key in the secrets file to the platform.
    commands:
      key: { secret: ${SECRET_KEYS.commandKey} }

`;
}

/** Storage and the loopback-only local API with its two users. */
export function storageAndApi(a: InitAnswers): string {
  return `# The SQLite store: the outbox of readings for the cloud and the alarm journal. Alarm events are
# never evicted; telemetry is evicted oldest first beyond the budget, and every eviction is counted.
storage:
  path: /var/lib/vigil/${a.siteId}.db
  budgetBytes: 536870912    # 512 MiB of telemetry backlog, days of readings for a site this size

# The local HTTP API (health, points, alarms; docs/api.md). Loopback only unless you mean to expose
# it: any other address makes alarm actions reachable from the network.
api:
  bind: 127.0.0.1
  port: 8080
  # Who may act on alarms (acknowledge, silence, shelve, reset). Nobody acts anonymously: every
  # action needs \`Authorization: Bearer <token>\` and is journaled with the user's name. The tokens
  # are in the secrets file (random, written by \`vigil init\`); one entry per person.
  users:
    - name: duty-room
      token: { secret: ${SECRET_KEYS.dutyToken} }
    - name: safety-officer
      token: { secret: ${SECRET_KEYS.officerToken} }
`;
}

/** Schedules every site gets: the weekly sounder self-test and the daily summary. */
export const SCHEDULES = `
# Time-based jobs (cron: minute hour day-of-month month day-of-week, in the gateway's time zone).
schedules:
  # Every sounder, strobe and lamp on for 3 s; skipped (and journaled) while any alarm shows. Tell
  # the people in the building when it runs.
  selfTest:
    cron: "0 10 * * 1"      # Mondays 10:00
    durationMs: 3000
  # One summary event a day: activations, standing, shelved and out-of-service alarms.
  dailySummary:
    cron: "0 8 * * *"
`;

/** Free text as a YAML double-quoted scalar (JSON string syntax is valid YAML): never read as a number, boolean or null. */
export function yamlText(s: string): string {
  return JSON.stringify(s);
}

export type TemplateBuilder = (a: InitAnswers) => string;
export type TemplateTable = Record<TemplateName, TemplateBuilder>;
