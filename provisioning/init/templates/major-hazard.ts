import type { InitAnswers } from '../answers.js';
import { ACK_BUTTON, BUSES, DEVICES, cloud, header, outputs, RESET_KEY, rtuBus, SCHEDULES, storageAndApi } from './common.js';

/**
 * A hazardous-chemical major-hazard installation (危险化学品重大危险源, AQ 3035-2010 §4.5: gas
 * concentration is a monitored item): combustible detectors on one RS-485 line, toxic ones on a
 * second, two alarm levels each (GB/T 50493-2019), a 2-out-of-3 vote of the combustible detectors'
 * second level that closes the emergency shut-off valve and starts the exhaust fan.
 */
export function majorHazardSite(a: InitAnswers): string {
  const gas = (n: number, where: string) => `  - name: ch4-${n}
    description: ${where}
    bus: rs485-gas
    unitId: ${n}
    profile: generic/combustible-gas
    pollMs: 1000
`;
  return `${header(
    a,
    'hazardous-chemical major hazard',
    'Combustible detectors on one RS-485 line, toxic ones (H2S, CO) on a second; two of three\n# combustible detectors at the second level close the emergency shut-off valve (ESD) and start\n# the exhaust fan; everything goes to the hazmat monitoring platform.',
  )}# Two lines: a fault on one (a cut cable, a shorted detector) cannot blind the other, and each
# line's budget stays small (vigil validate prints it). Keep the valve on the line of the
# detectors that trip it.
buses:
${rtuBus('rs485-gas', a.port, a.baudRate, 'Line 1: combustible-gas detectors of the tank farm and the ESD valve controller.')}
${rtuBus('rs485-toxic', a.port2, a.baudRate, 'Line 2: toxic-gas detectors (H2S, CO) at the loading bay and the pump house.')}
${DEVICES}  # Combustible gas, 0–100 %LEL. The profile's alarms apply: first level 25 %LEL, second 50 %LEL
  # (GB/T 50493-2019: ≤ 25 and ≤ 50 %LEL), latched until a person resets them; faults are their
  # own class. Poll once a second: detector to alarm must stay within 30 s (GB 50166).
${gas(1, 'Tank T-101 bund, north side, 0.3 m above grade (vapour heavier than air)')}${gas(2, 'Tank T-101 bund, south side')}${gas(3, 'Transfer pump P-101 seal')}  # The ESD valve's controller: a close coil and the limit switches, polled like a detector.
  - name: esd-valve
    description: Emergency shut-off valve XV-101 on the tank outlet
    bus: rs485-gas
    unitId: 20
    profile: generic/gas-valve-actuator
    pollMs: 1000

  # Toxic gas. GB/T 50493-2019: first level ≤ 100 %OEL, second ≤ 200 %OEL (≤ 5 / 10 %IDLH where
  # the range cannot cover that). The profiles convert to ppm: H2S 7.0 / 14.1 ppm (10 / 20 mg/m³
  # at 20 °C), CO 17 / 34 ppm. If only one gas is present, install only the toxic detector for a
  # gas that is both toxic and combustible (GB/T 50493-2019, standards.md §1.1).
  - name: h2s-1
    description: Loading bay, breathing height
    bus: rs485-toxic
    unitId: 1
    profile: generic/toxic-gas-h2s
    pollMs: 1000
  - name: h2s-2
    description: Pump house, 0.3 m above the floor (H2S is heavier than air)
    bus: rs485-toxic
    unitId: 2
    profile: generic/toxic-gas-h2s
    pollMs: 1000
  - name: co-1
    description: Boiler house, breathing height
    bus: rs485-toxic
    unitId: 3
    profile: generic/toxic-gas-co
    pollMs: 1000

# Site-level alarms: a vote, so the ESD valve does not close on one detector alone. A detector in
# fault (communication lost, bad reading) counts as tripped (faultCounts, the default): a detector
# that cannot see is not assumed to see clean air.
alarms:
  - name: tank_farm_gas_vote
    description: Two of three tank-farm detectors at the second level (二级报警)
    kind: vote
    k: 2
    of: [ch4-1/gas_high_high, ch4-2/gas_high_high, ch4-3/gas_high_high]
    priority: critical
    class: gas
    latch: true

${outputs({
  strobeClasses: '[fire, gas, electrical-fire]',
  extraLines: `    - name: exhaust-fan
      description: Pump-house exhaust fan contactor (relay board channel 3)
      kind: relay             # switched only by interlocks
      line: 23
      failsafe: off           # never starts by itself because the gateway failed
    # A heartbeat to an external watchdog relay that sounds the sounder if the gateway dies
    # (docs/alarms.md "The hardware watchdog line"). Uncomment once the relay is wired:
    # - { name: watchdog, kind: watchdog, line: 24, failsafe: off }
`,
  inputs: ACK_BUTTON + RESET_KEY,
})}
# Safety interlocks (安全联锁). GB/T 50493-2019: where the process needs interlock protection, the
# second level drives it (standards.md §1.1); this one acts on the vote above, in the same instant
# as the sounder, ahead of every poll on the line, with read-back and retry.
interlocks:
  - name: esd-close
    description: Close ESD valve XV-101 and start the exhaust fan when two tank-farm detectors reach the second level
    when: [site/tank_farm_gas_vote]
    actions:
      - write: { device: esd-valve, point: close_command, value: true }
      - output: { name: exhaust-fan, value: on, releaseOnReset: true }
    # The valve's closed limit switch must show within its travel time; the valve is reopened by
    # hand on site after the area is checked (a reset stops the fan, it never reopens the valve).
    confirm: { device: esd-valve, point: closed_feedback, value: true, withinMs: 15000 }
    retries: 3

${cloud(a, 'the hazardous-chemical monitoring and early-warning platform (危险化学品安全生产风险监测预警系统)')}${storageAndApi(a)}${SCHEDULES}`;
}
