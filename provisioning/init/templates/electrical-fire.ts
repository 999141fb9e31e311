import type { InitAnswers } from '../answers.js';
import { ACK_BUTTON, BUSES, DEVICES, cloud, header, outputs, RESET_KEY, rtuBus, SCHEDULES, storageAndApi } from './common.js';

/**
 * An electrical-fire monitoring site (电气火灾监控, GB 14287 / GB 50116 §9): residual-current and
 * cable-temperature monitors on the main and sub distribution boards, on one RS-485 line; alarms
 * sound and flash locally and go to the cloud. Nothing trips a circuit (GB 14287).
 */
export function electricalFireSite(a: InitAnswers): string {
  const monitor = (n: number, where: string) => `  - name: ef-${n}
    description: ${where}
    bus: rs485-1
    unitId: ${n}
    profile: generic/electrical-fire-monitor
    pollMs: 2000
`;
  return `${header(
    a,
    'electrical-fire monitoring',
    'Residual-current and cable-temperature monitors on the distribution boards, on one RS-485\n# line; alarms sound and flash at the gateway and go to the cloud.',
  )}${BUSES}${rtuBus('rs485-1', a.port, a.baudRate, 'One RS-485 line along the distribution boards, daisy-chained, 120 Ω at both ends.')}
${DEVICES}  # Electrical-fire monitors (剩余电流式 + 测温式). The profile's alarms apply: residual current
  # at 300 mA — the low end of the 300–500 mA design setting (GB 50116-2013 §9.2.3; natural leakage
  # is often 100–200 mA) — and cable temperature at 70 °C (PVC cable); latched until a person resets
  # them (GB 14287); a sensor lead open or shorted is a FAULT, not an alarm (GB 14287.2).
  # Poll every 2 s: the monitoring equipment must alarm within 10 s of the detector (GB 14287 [M]),
  # the detector within 30 s of the leakage (GB 14287.2).
${monitor(1, 'Main distribution board, incoming feeder (first-level distribution, GB 50116 §9.2.1)')}    alarms:
      # Where the natural leakage of a long feeder is high, raise the set point toward 500 mA
      # (GB 50116-2013 §9.2.3 commentary), never above: about 300 mA can ignite.
      residual_current_high: { setpoint: 400 }
      # XLPE cable is rated 90 °C at the conductor; PVC 70 °C (the profile's default).
      cable_temperature_1_high: { setpoint: 85 }
${monitor(2, 'Sub-board DB-1, workshop lighting and sockets')}    points:
      # Channels 3 and 4 are not connected on this board: disabling them drops their alarms too,
      # so an unconnected sensor does not show a fault.
      cable_temperature_3: { enabled: false }
      cable_temperature_4: { enabled: false }
${monitor(3, 'Sub-board DB-2, production line power')}
${outputs({
  // GB 14287: electrical-fire alarms are announced audibly and visibly; the strobe shows them.
  strobeClasses: '[fire, electrical-fire]',
  inputs: ACK_BUTTON + RESET_KEY,
})}
# No interlocks: residual-current alarms must not trip circuits automatically (GB 14287; a trip
# could stop fire pumps, smoke extraction or emergency lighting). The alarm tells people, who act.

${cloud(a, 'the smart fire-safety platform (智慧消防)')}${storageAndApi(a)}${SCHEDULES}`;
}
