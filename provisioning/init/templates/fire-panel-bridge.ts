import type { InitAnswers } from '../answers.js';
import { ACK_BUTTON, BUSES, DEVICES, cloud, header, outputs, rtuBus, storageAndApi } from './common.js';

/**
 * A fire-panel bridge (智慧消防 / 城市消防远程监控): the fire alarm control panel's transmission
 * card reports to the gateway over GB/T 26875.3, the gateway forwards to the fire remote-monitoring
 * centre as a user information transmission device (用户信息传输装置) and sounds locally. The site
 * file needs at least one Modbus device; an electrical-fire monitor is the usual companion.
 */
export function firePanelBridgeSite(a: InitAnswers): string {
  return `${header(
    a,
    'fire-panel bridge',
    'The fire alarm control panel reports to this gateway (GB/T 26875.3), which forwards to the\n# fire remote-monitoring centre and sounds locally; an electrical-fire monitor on RS-485 beside it.\n# Wiring and behaviour: docs/fire-panels.md.',
  )}${BUSES}${rtuBus('rs485-1', a.port, a.baudRate, 'The RS-485 line to the electrical-fire monitor(s) in the fire control room.')}
${DEVICES}  # An electrical-fire monitor on the fire control room's supply board (GB 14287; residual current
  # 300 mA and cable temperature 70 °C from the profile, latched; lead faults are faults).
  - name: ef-1
    description: Electrical-fire monitor, fire control room supply board
    bus: rs485-1
    unitId: 1
    profile: generic/electrical-fire-monitor
    pollMs: 2000

# The fire alarm control panel. Its points are panel-1/any_fire …, its alarms panel-1/fire …
# (docs/fire-panels.md §3). \`tcp-server\`: the panel's transmission card dials the gateway — set the
# card's "centre" address to this gateway's LAN address and port 9000.
firePanels:
  - name: panel-1
    description: Building fire alarm control panel, transmission card on the fire control room LAN
    transport: { type: tcp-server, listen: 0.0.0.0, port: 9000 }   # or the gateway's LAN address only
    # No valid frame (heartbeats included) for 90 s = three missed 30 s heartbeats: a
    # communication fault that sounds.
    silenceTimeoutMs: 90000
  # A panel straight on RS-232 (one panel per serial port: GB/T 26875.3 has no addressing on a line):
  # - name: panel-2
  #   transport: { type: serial, port: /dev/serial/by-id/usb-…, baudRate: 9600, parity: none, stopBits: 1 }

# The link to the fire remote-monitoring centre (Vigil as a user information transmission device,
# GB/T 26875.3). A fire alarm must reach the centre within 10 s (GB 26875.1): fireMs × (1 + retries)
# must fit in it, which vigil validate checks. Until the centre's address is filled in, the link
# shows a transmission fault that sounds — fill it in before handover.
fireCentre:
  centre: { host: ${a.centre.host}, port: ${a.centre.port} }
  # The 6-byte addresses of this device and of the centre, as agreed with the centre (EDIT).
  address: { uitd: 1001, centre: 2001 }
  timeouts: { fireMs: 2000, statusMs: 10000, otherMs: 10000 }
  retries: 3                # GB/T 26875.3 §6.4
  heartbeat: { kind: empty, intervalMs: 30000, silenceTimeoutMs: 90000 }
  # A 查岗 duty check from the centre sounds and flashes until a person acknowledges it, for at
  # most 10 min (GB 26875.1); the acknowledge button answers it.
  dutyCheck: { windowMs: 600000, useCentreWindow: true }

${outputs({
  // Fire first: the sounder plays the fire pattern (GB 16808 patterns per class, docs/alarms.md).
  strobeClasses: '[fire, gas, electrical-fire]',
  inputs: ACK_BUTTON,
})}
${cloud(a, 'the smart fire-safety platform (智慧消防), beside the fire centre link')}${storageAndApi(a)}`;
}
