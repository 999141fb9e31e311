/**
 * The alarms of a fire panel device, defined up front on its fixed aggregate points (the engine
 * takes its alarm list at construction; components are discovered later, so per-component
 * alarms cannot be defined — their detail travels in 'panel.component' events and
 * FirePanelLink.components()).
 *
 * A fire on the panel is a fire at the gateway: class fire (its own sounder pattern,
 * docs/alarms.md §4), priority critical (red), latched — GB 4717 / GB 50116 hold a fire alarm
 * until reset, so the gateway does too. Faults are class fault, not latched: they clear when the
 * panel reports them gone. Lost communication is the automatic communication alarm, witnessed by
 * any_fire (every point of the panel goes comm-fault together).
 */
import { CommunicationAlarmSchema, DeviceAlarmSchema } from '../../rules/definitions/schema.js';
import type { ResolvedAlarm } from '../../rules/model.js';
import { AGGREGATE_POINTS } from './point-names.js';

export const FIRE_PANEL_ALARM_NAMES = ['fire', 'fault', 'supervisory', 'shield', 'communication'] as const;

export function firePanelAlarms(device: string): ResolvedAlarm[] {
  const state = (name: string, point: string, description: string, priority: 'critical' | 'high' | 'medium' | 'low', cls: 'fire' | 'fault' | 'process', latch: boolean): ResolvedAlarm => ({
    id: `${device}/${name}`,
    device,
    def: DeviceAlarmSchema.parse({ name, description, kind: 'state', point, activeWhen: [true], priority, class: cls, latch }),
  });
  return [
    state('fire', AGGREGATE_POINTS.anyFire, `Fire alarm on panel ${device} (火警)`, 'critical', 'fire', true),
    state('fault', AGGREGATE_POINTS.anyFault, `Fault reported by panel ${device} (故障)`, 'high', 'fault', false),
    // 监管: a supervised device left its normal state (a closed sprinkler valve) — announced as a fault, not a fire.
    state('supervisory', AGGREGATE_POINTS.anySupervisory, `Supervisory signal on panel ${device} (监管)`, 'medium', 'fault', false),
    // 屏蔽: shielded detectors cannot report a fire; shown, not sounded — it is a deliberate state.
    state('shield', AGGREGATE_POINTS.anyShield, `Components shielded on panel ${device} (屏蔽)`, 'low', 'process', false),
    {
      id: `${device}/communication`,
      device,
      def: CommunicationAlarmSchema.parse({
        name: 'communication',
        description: `Communication with fire panel ${device} lost (故障): its fire alarms cannot reach the gateway`,
        kind: 'communication',
        point: AGGREGATE_POINTS.anyFire,
        priority: 'high',
        class: 'fault',
        latch: false,
      }),
    },
  ];
}
