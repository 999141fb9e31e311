import type { Reading } from '../readings.js';
import type { PointSnapshot } from '../api/types.js';

/** The latest reading of every point, for the local API and the console. Updated on the alarm path, so O(1) and allocation-light. */
export class PointTable {
  private readonly latest = new Map<string, Reading>();

  update(readings: readonly Reading[]): void {
    for (const r of readings) this.latest.set(`${r.device}\u0000${r.point}`, r);
  }

  snapshot(device?: string): PointSnapshot[] {
    const out: PointSnapshot[] = [];
    for (const r of this.latest.values()) {
      if (device !== undefined && r.device !== device) continue;
      out.push({ device: r.device, point: r.point, value: r.value, ...(r.unit !== undefined ? { unit: r.unit } : {}), quality: r.quality, ts: r.ts, clockTrusted: r.clockTrusted });
    }
    return out.sort((a, b) => (a.device === b.device ? a.point.localeCompare(b.point) : a.device.localeCompare(b.device)));
  }
}
