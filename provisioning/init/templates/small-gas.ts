import type { InitAnswers } from '../answers.js';
import { ACK_BUTTON, BUSES, DEVICES, cloud, header, outputs, RESET_KEY, rtuBus, SCHEDULES, storageAndApi } from './common.js';

/**
 * A small gas site (a boiler room, a kitchen, a paint store): two combustible-gas detectors and a
 * CO detector on one RS-485 line, a gas shut-off valve closed by the second-level alarm, a
 * sounder, a strobe and an exhaust fan. Alarm levels come from the profiles (GB/T 50493-2019).
 */
export function smallGasSite(a: InitAnswers): string {
  return `${header(a, 'small gas site', 'Two combustible-gas detectors and a CO detector on one RS-485 line; on a second-level gas\n# alarm the gateway closes the gas valve and starts the exhaust fan.')}${BUSES}${rtuBus('rs485-1', a.port, a.baudRate, 'One RS-485 line through the USB adapter, daisy-chained, 120 Ω at both ends.')}
${DEVICES}  # The profiles' alarms apply: combustible gas at 25 %LEL (first level, 一级) and 50 %LEL (second
  # level, 二级) — GB/T 50493-2019 sets them at ≤ 25 and ≤ 50 %LEL — latched until reset, and
  # faults (lost communication, sensor fault) as their own class. Change one per device under
  # \`alarms:\` by name (see gas-1). Poll gas detectors about once a second: the whole chain must
  # alarm within 30 s of gas reaching the detector (GB 50166 acceptance test).
  - name: gas-1
    description: Natural gas above the boiler burner (0.3 m below the ceiling for gas lighter than air)
    bus: rs485-1
    unitId: 1
    profile: generic/combustible-gas
    pollMs: 1000
    alarms:
      # Two consecutive polls at 50 %LEL before the valve closes: one spurious reading cannot shut
      # the boiler down. Keep gas on-delays short; never long enough to hide a leak.
      gas_high_high: { onDelayMs: 2000 }
  - name: gas-2
    description: Natural gas at the gas meter and pressure regulator
    bus: rs485-1
    unitId: 2
    profile: generic/combustible-gas
    pollMs: 1000
  # CO: first level 100 %OEL, second 200 %OEL (GB/T 50493-2019 toxic levels); the profile's set
  # points are in ppm (17 and 34 ppm, see drivers/profiles/generic/toxic-gas-co.yaml).
  - name: co-1
    description: Carbon monoxide at breathing height near the boiler
    bus: rs485-1
    unitId: 3
    profile: generic/toxic-gas-co
    pollMs: 1000
  # The emergency gas shut-off valve's controller: a close coil and the limit switches. It is
  # polled like a detector, so a dead controller is a communication fault alarm.
  - name: gas-valve
    description: Emergency gas shut-off valve on the supply line
    bus: rs485-1
    unitId: 10
    profile: generic/gas-valve-actuator
    pollMs: 1000

${outputs({
  strobeClasses: '[fire, gas, electrical-fire]',
  extraLines: `    - name: exhaust-fan
      description: Exhaust fan contactor (relay board channel 3)
      kind: relay             # relays are switched only by interlocks, never by alarm patterns
      line: 23
      failsafe: off           # the fan does not start by itself because the gateway failed
`,
  inputs: ACK_BUTTON + RESET_KEY,
})}
# Safety interlocks (安全联锁): what the gateway does by itself when an alarm activates, in the same
# instant as the sounder, ahead of every poll on the line, with read-back and retry.
interlocks:
  - name: gas-shutoff
    description: Close the gas valve and start the exhaust fan on a second-level gas alarm
    # GB/T 50493-2019: the second-level alarm drives the interlock (standards.md §1.1). Either
    # detector trips it; a second witness is each detector's own second-level flag.
    when: [gas-1/gas_high_high, gas-2/gas_high_high, gas-1/detector_alarm_2, gas-2/detector_alarm_2]
    actions:
      - write: { device: gas-valve, point: close_command, value: true }
      # The fan stops when a person resets the interlock; the valve has no releaseValue, so it
      # stays closed until someone reopens it by hand on site.
      - output: { name: exhaust-fan, value: on, releaseOnReset: true }
    # Confirmed by the valve's closed limit switch within its travel time (GB 50166: actuators
    # within 3 s of the command; allow the valve's own travel on top).
    confirm: { device: gas-valve, point: closed_feedback, value: true, withinMs: 15000 }
    retries: 3                # then the interlock is failed: its own fault alarm

${cloud(a, 'the monitoring platform')}${storageAndApi(a)}${SCHEDULES}`;
}
