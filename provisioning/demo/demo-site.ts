import type { Behaviour } from '../../hil-tests/virtual-rig/behaviours.js';
import type { RigSpec } from '../../hil-tests/virtual-rig/rig.js';

/**
 * The demo plant: two combustible-gas detectors, an electrical-fire monitor, a power meter and
 * an emergency gas shut-off valve on one RS-485 bus, and a CO detector behind a Modbus TCP
 * gateway. Values drift like real sensors; gas-1 periodically ramps up through both alarm levels
 * (25 and 50 %LEL, GB/T 50493-2019 §5.1) so there is something to see: at the second level the
 * interlock closes the valve and starts the fan (standards.md §1.1, "when each level is used").
 */

/** The names the console and the banner refer to; they must match the site file below. */
export const DEMO = {
  interlock: 'close-gas-valve',
  valve: 'valve-1',
  user: 'demo',
  tokenKey: 'api_token_demo',
  secretsFile: 'secrets.yaml',
} as const;

/** How long the simulated valve takes to close (its limit switch follows the command after this). */
export const VALVE_TRAVEL_MS = 2_000;

/** The detectors' own alarm set points: GB/T 50493-2019 first and second level for combustible gas. */
const GAS_SETPOINTS = { alarm_1_setpoint: 25, alarm_2_setpoint: 50 };

/** 100 % and 200 % of the CO exposure limit, in ppm — the conversion is in generic/toxic-gas-co.yaml. */
const CO_SETPOINTS = { alarm_1_setpoint: 17, alarm_2_setpoint: 34 };

export function demoRigSpec(opts: { rampEverySec: number; controlPort: number }): RigSpec {
  const drift = (center: number, min: number, max: number): Behaviour => ({ kind: 'drift', center, min, max });
  // One leak cycle: 5 s quiet, 20 s up to 62 %LEL, 15 s held, 20 s back down — so a newcomer
  // sees both alarm levels within the first minute; --ramp-every stretches the quiet part.
  const rampMs = 20_000;
  const holdMs = 15_000;
  return {
    buses: [
      { name: 'rs485-1', type: 'rtu', baudRate: 9600 },
      { name: 'plant-net', type: 'tcp' },
    ],
    devices: [
      {
        name: 'gas-1',
        bus: 'rs485-1',
        unitId: 1,
        profile: 'generic/combustible-gas',
        behaviours: {
          gas_lel: { kind: 'ramp', from: 1, to: 62, rampMs, holdMs, returnMs: rampMs, restMs: Math.max(5_000, opts.rampEverySec * 1_000 - 2 * rampMs - holdMs) },
          status: 'normal',
          ...GAS_SETPOINTS,
        },
      },
      { name: 'gas-2', bus: 'rs485-1', unitId: 2, profile: 'generic/combustible-gas', behaviours: { gas_lel: drift(1.5, 0, 4), status: 'normal', ...GAS_SETPOINTS } },
      {
        name: 'ef-1',
        bus: 'rs485-1',
        unitId: 3,
        profile: 'generic/electrical-fire-monitor',
        behaviours: {
          residual_current: drift(140, 90, 220),
          cable_temperature_1: drift(38, 30, 48),
          cable_temperature_2: drift(36, 30, 46),
          cable_temperature_3: drift(41, 32, 52),
          cable_temperature_4: drift(29, 24, 36),
        },
      },
      {
        name: 'meter-1',
        bus: 'rs485-1',
        unitId: 4,
        profile: 'eastron/sdm630',
        behaviours: {
          voltage_l1: drift(230, 226, 234),
          voltage_l2: drift(231, 227, 235),
          voltage_l3: drift(229, 225, 233),
          current_l1: drift(18, 12, 24),
          current_l2: drift(17, 11, 23),
          current_l3: drift(19, 13, 25),
          total_active_power: drift(12_300, 9_000, 15_000),
          total_power_factor: drift(0.93, 0.88, 0.98),
          frequency: drift(50, 49.95, 50.05),
          // energy only grows: a ramp with no hold stays at its end value
          import_active_energy: { kind: 'ramp', from: 48_211.2, to: 48_211.2 + 3.4 * 24, rampMs: 86_400_000 },
        },
      },
      {
        name: DEMO.valve,
        bus: 'rs485-1',
        unitId: 5,
        profile: 'generic/gas-valve-actuator',
        // The limit switches follow the close coil the interlock writes, after the valve's travel.
        behaviours: {
          closed_feedback: { kind: 'follows', point: 'close_command', delayMs: VALVE_TRAVEL_MS },
          open_feedback: { kind: 'follows', point: 'close_command', delayMs: VALVE_TRAVEL_MS, invert: true },
          actuator_fault: false,
        },
      },
      { name: 'co-1', bus: 'plant-net', unitId: 1, profile: 'generic/toxic-gas-co', behaviours: { co_ppm: drift(3, 0, 8), status: 'normal', ...CO_SETPOINTS } },
    ],
    controlApi: { port: opts.controlPort },
  };
}

/** The site file the demo gateway runs from — written to disk so a user can read and `vigil validate` it. */
export function demoSiteYaml(opts: { rtuPort: string; tcpPort: number; mqttUrl: string; apiPort: number }): string {
  return `# Written by \`vigil demo\`: the site file of the demo gateway. The virtual rig's ports change
# on every run. Check it with: vigil validate ${'<this file>'}
version: 1
site: { id: demo-plant, name: Demo plant (virtual rig) }
gateway: { id: gw-demo }
clock: { trust: always }        # a laptop's clock is synchronised; on a Pi without RTC use "ntp"
buses:
  - name: rs485-1
    type: rtu
    port: ${opts.rtuPort}
    baudRate: 9600
    parity: even                # Modbus over Serial Line §2.5.1 default: 8E1
    stopBits: 1
    timeoutMs: 500
    retries: 1
  - name: plant-net
    type: tcp
    host: 127.0.0.1
    port: ${opts.tcpPort}
    timeoutMs: 500
devices:
  - { name: gas-1, bus: rs485-1, unitId: 1, profile: generic/combustible-gas, pollMs: 1000 }
  - { name: gas-2, bus: rs485-1, unitId: 2, profile: generic/combustible-gas, pollMs: 1000 }
  - { name: ef-1, bus: rs485-1, unitId: 3, profile: generic/electrical-fire-monitor, pollMs: 2000 }
  - { name: meter-1, bus: rs485-1, unitId: 4, profile: eastron/sdm630, pollMs: 5000 }
  - { name: ${DEMO.valve}, bus: rs485-1, unitId: 5, profile: generic/gas-valve-actuator, pollMs: 1000 }
  - { name: co-1, bus: plant-net, unitId: 1, profile: generic/toxic-gas-co, pollMs: 1000 }
# What the gateway does on an alarm, by itself, with no network: sound and flash (GB 16808
# patterns per class), and on gas-1's second-level alarm close the gas valve and start the fan.
# The lines are in memory (driver: virtual); on a Pi it is { kind: gpiod, chip: gpiochip0 }.
outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: 17, failsafe: "on" }     # better a false alarm than silence
    - { name: strobe, kind: strobe, line: 27, failsafe: "on" }
    - { name: fault-lamp, kind: lamp, line: 22, failsafe: "on", classes: [fault] }
    - { name: fan, kind: relay, line: 23, failsafe: "off" }          # never starts by itself
interlocks:
  - name: ${DEMO.interlock}
    description: Close the gas shut-off valve and start the exhaust fan on gas-1's second-level alarm (GB/T 50493-2019)
    when: [gas-1/gas_high_high]
    actions:
      - write: { device: ${DEMO.valve}, point: close_command, value: true }
      - output: { name: fan, value: "on", releaseOnReset: true }   # the fan stops on reset; the valve stays closed
    # Confirmed by the valve's closed limit switch, not by reading the coil back.
    confirm: { device: ${DEMO.valve}, point: closed_feedback, value: true, withinMs: 5000 }
    retries: 2
secrets:
  file: ${DEMO.secretsFile}     # written next to this file, mode 0600; a new token every run
cloud:
  mqtt:
    url: ${opts.mqttUrl}
    clientId: gw-demo
storage:
  path: vigil.db
  budgetBytes: 67108864         # 64 MiB
api:
  bind: 127.0.0.1
  port: ${opts.apiPort}
  users:                        # who may acknowledge, silence and reset (POST needs a bearer token)
    - { name: ${DEMO.user}, token: { secret: ${DEMO.tokenKey} } }
`;
}
