import { describe, expect, it } from 'vitest';
import { electricityProblems, type MeterDeviceInfo } from './config-problems.js';
import { CloudShutdownWindowsSchema, ElectricitySchema } from './config-schema.js';

const NOW = Date.UTC(2026, 10, 23);
const issues = (input: unknown) => {
  const r = ElectricitySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('ElectricitySchema', () => {
  it('takes the documented example and fills the documented defaults', () => {
    const cfg = ElectricitySchema.parse({
      timeZone: 'Asia/Shanghai',
      meters: [{ device: 'pm-main', powerPoint: 'total_active_power', maxKW: 2000 }, { device: 'pm-workshop-2' }],
      shutdown: {
        floor: { kWhPerInterval: 15, kW: 80 },
        windows: [{ name: 'night', cron: '0 22 * * *', durationMinutes: 480 }],
        dates: [{ name: 'spring-festival', start: '2027-02-05T00:00:00+08:00', end: '2027-02-13T00:00:00+08:00' }],
      },
      baseline: { weeks: 4, minSamples: 3, deviationPercent: 40, minDeviationKWh: 5 },
    });
    expect(cfg.meters[1]).toEqual({ device: 'pm-workshop-2', energyPoint: 'import_active_energy' });
    expect(cfg.intervals).toEqual({ siteGraceSeconds: 120, maxGapSeconds: 300, clockStepToleranceSeconds: 10 });
    expect(cfg.shutdown).toMatchObject({ cloudWindows: true, powerHoldSeconds: 60 });
    expect(cfg.baseline).toMatchObject({ direction: 'both', subjects: 'site' });
  });

  it('says no, with the path, to what cannot work', () => {
    expect(issues({ meters: [] })).toEqual(['meters: Too small: expected array to have >=1 items']);
    expect(issues({ timeZone: 'China', meters: [{ device: 'm' }] })).toEqual(['timeZone: an IANA zone name such as "Asia/Shanghai" or a fixed offset such as "+08:00"']);
    expect(issues({ meters: [{ device: 'm' }], shutdown: { floor: {} } })).toEqual(['shutdown.floor: a floor needs kWhPerInterval, kW or both']);
    expect(issues({ meters: [{ device: 'm' }], shutdown: { windows: [] } })).toEqual(['shutdown: shutdown needs a site floor or at least one meter floor']);
    expect(issues({ meters: [{ device: 'm' }], shutdown: { floor: { kW: 1 }, dates: [{ name: 'd', start: '2027-02-05T00:00:00+08:00', end: '2027-02-05' }] } })).toEqual([
      'shutdown.dates.0.end: an ISO 8601 date-time with seconds and a UTC offset, e.g. "2027-02-05T00:00:00+08:00"',
    ]);
    expect(issues({ meters: [{ device: 'm' }], shutdown: { floor: { kW: 1 }, dates: [{ name: 'd', start: '2027-02-05T00:00:00+08:00', end: '2027-02-04T00:00:00+08:00' }] } })).toEqual(['shutdown.dates.0.end: end must be after start']);
    expect(issues({ meters: [{ device: 'm' }], baseline: { weeks: 2, minSamples: 3, deviationPercent: 10, minDeviationKWh: 0 } })).toEqual(['baseline.minSamples: minSamples cannot be more than weeks']);
    expect(issues({ meters: [{ device: 'm' }], baseline: { weeks: 4 } })).toHaveLength(2); // no silent default for the thresholds
  });

  it('validates a cloud push of windows', () => {
    expect(CloudShutdownWindowsSchema.safeParse({ windows: [{ id: 'o-1', start: '2026-11-23T22:00:00+08:00', end: '2026-11-24T06:00:00+08:00' }] }).success).toBe(true);
    expect(CloudShutdownWindowsSchema.safeParse({ windows: [{ id: 'o-1', start: '2026-11-24T22:00:00+08:00', end: '2026-11-24T06:00:00+08:00' }] }).success).toBe(false);
  });
});

describe('electricityProblems', () => {
  const meterPoints = [
    { name: 'import_active_energy', unit: 'kWh' },
    { name: 'total_active_power', unit: 'W' },
    { name: 'current_l1', unit: 'A' },
  ];
  const devices: Record<string, MeterDeviceInfo> = { 'pm-1': { pollMs: 10_000, points: meterPoints }, 'pm-2': { pollMs: 300_000, points: meterPoints } };
  const check = (input: unknown) =>
    electricityProblems(ElectricitySchema.parse(input), (n) => devices[n], Object.keys(devices), NOW).map((f) => `${f.severity} ${f.at.join('.')}: ${f.message}`);

  it('accepts a site whose names, units and expressions all resolve', () => {
    expect(check({ meters: [{ device: 'pm-1', powerPoint: 'total_active_power' }], shutdown: { floor: { kW: 5, kWhPerInterval: 1 }, windows: [{ name: 'n', cron: '0 22 * * *', durationMinutes: 60 }] } })).toEqual([]);
  });

  it('reports every problem with its path', () => {
    expect(
      check({
        timeZone: '+05:43',
        meters: [{ device: 'pm-l' }, { device: 'pm-1', energyPoint: 'current_l1', powerPoint: 'total_activ_power' }, { device: 'pm-1' }],
        shutdown: { floor: { kW: 5 }, meterFloors: { 'pm-3': { kW: 1 } }, windows: [{ name: 'n', cron: '0 24 * * *', durationMinutes: 60 }], dates: [{ name: 'n', start: '2027-02-05T00:00:00+08:00', end: '2027-02-06T00:00:00+08:00' }] },
      }),
    ).toEqual([
      expect.stringMatching(/^error electricity\.timeZone: time zone "\+05:43" is UTC\+05:43/),
      'error electricity.meters.0.device: no device of that name (did you mean "pm-1"?)',
      'error electricity.meters.1.energyPoint: an energy point is read in kWh, Wh, MWh; this one is in A',
      'error electricity.meters.1.powerPoint: the device has no point of that name (did you mean "total_active_power"?)',
      'error electricity.meters.2.device: this meter is listed twice',
      expect.stringMatching(/^error electricity\.shutdown\.windows\.0\.cron: "0 24 \* \* \*" is not a cron expression/),
      'error electricity.shutdown.dates.0.name: another shutdown window has this name',
      'error electricity.shutdown.floor.kW: a site power floor needs a powerPoint on every meter; missing on pm-l, pm-1',
      'error electricity.shutdown.meterFloors.pm-3: not one of the electricity meters (did you mean "pm-1"?)',
    ]);
  });

  it('refuses a fixed offset that is not whole hours when recurring (cron) windows need it, as the gateway would at start', () => {
    const windows = [{ name: 'n', cron: '0 22 * * *', durationMinutes: 60 }];
    expect(check({ timeZone: '+05:30', meters: [{ device: 'pm-1' }], shutdown: { floor: { kWhPerInterval: 1 }, windows } })).toEqual([
      'error electricity.timeZone: time zone "+05:30": cron schedules need an IANA zone name for an offset that is not whole hours (e.g. "Asia/Kathmandu")',
    ]);
    expect(check({ timeZone: 'Asia/Kolkata', meters: [{ device: 'pm-1' }], shutdown: { floor: { kWhPerInterval: 1 }, windows } })).toEqual([]);
  });

  it('warns when a meter is polled too slowly for the grace period or the gap limit', () => {
    expect(check({ meters: [{ device: 'pm-2' }] })).toEqual([
      'warning electricity.intervals.siteGraceSeconds: meter pm-2 is polled every 300 s, longer than the grace period: site quarter hours will often go out without it',
      'warning electricity.intervals.maxGapSeconds: meter pm-2 is polled every 300 s: with this gap limit its normal polls would make estimates',
    ]);
  });
});
