import type { BrokerMessage } from '../../forward/testing/broker.js';

export interface ReceivedReading {
  seq: number;
  device: string;
  point: string;
  value: unknown;
  quality: string;
  historical: boolean;
}

/** Every reading the broker accepted on a telemetry topic, in arrival order. */
export function telemetryReadings(published: readonly BrokerMessage[]): ReceivedReading[] {
  const out: ReceivedReading[] = [];
  for (const m of published) {
    if (!m.topic.endsWith('/telemetry')) continue;
    const p = m.json<{ historical: boolean; readings: Omit<ReceivedReading, 'historical'>[] }>();
    for (const r of p.readings) out.push({ ...r, historical: p.historical });
  }
  return out;
}

/** Every seq the broker accepted on the telemetry and events topics. */
export function publishedSeqs(published: readonly BrokerMessage[]): Set<number> {
  const seqs = new Set<number>();
  for (const m of published) {
    if (m.topic.endsWith('/telemetry')) for (const r of m.json<{ readings: { seq: number }[] }>().readings) seqs.add(r.seq);
    else if (m.topic.endsWith('/events')) for (const e of m.json<{ events: { seq: number }[] }>().events) seqs.add(e.seq);
  }
  return seqs;
}

/** The seqs in 1..upTo that never reached the broker (an empty list means nothing was lost). */
export function missingSeqs(seqs: ReadonlySet<number>, upTo: number): number[] {
  const missing: number[] = [];
  for (let s = 1; s <= upTo; s++) if (!seqs.has(s)) missing.push(s);
  return missing;
}
