/**
 * Alarm ids: "<device>/<alarm>" for device alarms, "site/<alarm>" for site-level ones. They key
 * persisted state and the journal, so they are stable: a device named "site" or "interlock" is
 * refused by the site file's semantic pass.
 */
export const SITE_SCOPE = 'site';
/** Each interlock's own fault alarm is "interlock/<interlock name>" (a failed interlock is a fault alarm). */
export const INTERLOCK_SCOPE = 'interlock';
/** Device names that would collide with these ids. */
/** The fire-centre link's own alarms: "fire-centre/transmission", "fire-centre/duty_check". */
export const FIRE_CENTRE_SCOPE = 'fire-centre';
/** Names of the fire-centre link's alarms (gateway/runtime/fire-centre.ts). */
export const FIRE_CENTRE_ALARMS = { transmission: 'transmission', dutyCheck: 'duty_check' } as const;
export const RESERVED_DEVICE_NAMES: readonly string[] = [SITE_SCOPE, INTERLOCK_SCOPE, FIRE_CENTRE_SCOPE];

export function deviceAlarmId(device: string, alarm: string): string {
  return `${device}/${alarm}`;
}

export function siteAlarmId(alarm: string): string {
  return `${SITE_SCOPE}/${alarm}`;
}

/**
 * Maintenance windows (and anything else that names alarms in bulk) may use `*` for "any
 * characters except /": "ch4-1/*" is every alarm of device ch4-1, "*\/gas_high_high" the second
 * level of every detector. Without `*` a pattern is an exact id.
 */
export function alarmPattern(pattern: string): (id: string) => boolean {
  if (!pattern.includes('*')) return (id) => id === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  const re = new RegExp(`^${source}$`);
  return (id) => re.test(id);
}
