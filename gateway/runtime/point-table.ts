import type { Reading } from '../readings.js';
import type { PointSnapshot } from '../api/types.js';

/**
 * The latest reading of every point, for the local API and the console. Updated on the alarm
 * path for every reading, so it allocates nothing per update (device → point → reading).
 */
export class PointTable {
  private readonly latest = new Map<string, Map<string, Reading>>();

  /**
   * List a device's points before their first reading (value null, quality 'stale': nothing
   * fresh has arrived yet), so the API shows every configured point from the start.
   */
  declare(device: string, points: readonly { name: string; unit?: string | undefined }[], at: { ts: number; clockTrusted: boolean }): void {
    const table = new Map<string, Reading>();
    for (const p of points) {
      table.set(p.name, { device, point: p.name, value: null, ...(p.unit !== undefined ? { unit: p.unit } : {}), quality: 'stale', ts: at.ts, clockTrusted: at.clockTrusted });
    }
    this.latest.set(device, table);
  }

  update(readings: readonly Reading[]): void {
    for (const r of readings) {
      let points = this.latest.get(r.device);
      if (!points) this.latest.set(r.device, (points = new Map()));
      points.set(r.point, r);
    }
  }

  snapshot(device?: string): PointSnapshot[] {
    const out: PointSnapshot[] = [];
    for (const [name, points] of this.latest) {
      if (device !== undefined && name !== device) continue;
      for (const r of points.values()) {
        out.push({ device: r.device, point: r.point, value: r.value, ...(r.unit !== undefined ? { unit: r.unit } : {}), quality: r.quality, ts: r.ts, clockTrusted: r.clockTrusted });
      }
    }
    return out.sort((a, b) => (a.device === b.device ? a.point.localeCompare(b.point) : a.device.localeCompare(b.device)));
  }
}
