import { describe, expect, it } from 'vitest';
import { batchPayload, encode } from '../../forward/payloads.js';
import type { Reading } from '../../readings.js';
import type { GatewayEvent, MessageEnvelope, Store, Stream } from '../store.js';

/**
 * The readMessage part of the Store contract (store-contract.ts calls it inside each store's
 * suite; it lives here to keep that file a readable size). readMessage is a fast way to produce
 * the forwarder's message text, so every case compares it with the definition:
 * `encode(batchPayload(origin, historical, items))` over readBatch's items for the same range.
 */

type Range = { afterSeq: number; upToSeq?: number; limit: number };

const ENV: MessageEnvelope = { site: 'plant-7', gateway: 'gw-1', historical: false };

function reading(overrides: Partial<Reading> = {}): Reading {
  return { device: 'gd-01', point: 'ch4', value: 12.5, unit: '%LEL', quality: 'good', ts: 1_732_300_000_000, clockTrusted: true, ...overrides };
}

function gatewayEvent(overrides: Partial<GatewayEvent> = {}): GatewayEvent {
  return { type: 'device.comm-fault', severity: 'fault', ts: 1_732_300_000_500, clockTrusted: true, message: 'no answer', ...overrides };
}

/** readMessage equals the definition (and readBatch's seqs) for this range; returns its seqs. */
async function expectAsEncoded(s: Store, stream: Stream, range: Range, env: MessageEnvelope = ENV): Promise<number[]> {
  const items = await s.readBatch(stream, range);
  const msg = await s.readMessage(stream, range, env);
  if (items.length === 0) {
    expect(msg).toBeNull();
    return [];
  }
  const expected = encode(batchPayload({ site: env.site, gateway: env.gateway }, env.historical, items));
  expect(msg).not.toBeNull();
  expect(msg!.json).toBe(expected.toString('utf8'));
  expect(msg!.bytes).toBe(expected.length);
  expect(msg!.seqs).toEqual(items.map((i) => i.seq));
  return msg!.seqs;
}

/** Strings a naive splice would get wrong: quotes, backslashes, JSON look-alikes, non-ASCII, a lone surrogate. */
const NASTY = ['a"b', 'back\\', '\\"', ',"unit":"x', ',"quality":"bad","ts":1}', '{"num":"NaN"}', '故障 🔥', '\ud800', '\n\t\u0000'];

export function describeReadMessageContract(open: () => Promise<Store>): void {
  describe('readMessage', () => {
    it('is the encoded telemetry message: every value type, quality, special number, with and without unit', async () => {
      const s = await open();
      const values: Reading['value'][] = [0, -1.5, 0.1 + 0.2, 2 ** 53 - 1, 1e-300, 1e21, true, false, '', 'alarm "HH"\n', '故障', null];
      const odd: Reading['value'][] = [NaN, Infinity, -Infinity, -0];
      const bare = reading({ clockTrusted: false, ts: 86_400_000 });
      delete bare.unit;
      const input: Reading[] = [
        ...[...values, ...odd, ...NASTY].map((value, i) => reading({ value, point: `p${i}` })),
        ...[...values, ...odd].map((value, i) => ({ ...bare, value, point: `q${i}` })),
        ...(['good', 'bad', 'stale', 'comm-fault'] as const).map((quality) => reading({ quality, value: null })),
        ...NASTY.map((x) => reading({ device: x, point: x, unit: x })),
        ...NASTY.map((x) => ({ ...bare, device: x, point: x })),
        bare,
      ];
      await s.appendReadings(input);
      for (const historical of [false, true]) {
        const seqs = await expectAsEncoded(s, 'telemetry', { afterSeq: 0, limit: 1_000 }, { ...ENV, historical });
        expect(seqs).toHaveLength(input.length);
      }
      // What the wire shows for numbers JSON cannot carry: null for NaN/±Infinity, 0 for -0 (as payloads.ts).
      const msg = await s.readMessage('telemetry', { afterSeq: 0, limit: 1_000 }, ENV);
      const wire = (JSON.parse(msg!.json) as { readings: { value: unknown }[] }).readings.slice(values.length, values.length + 4);
      expect(wire.map((r) => r.value)).toEqual([null, null, null, 0]);
    });

    it('is the encoded events message, with and without device, point and data', async () => {
      const s = await open();
      const data = { nested: { list: [1, 'x', null] }, ok: true, 2: 'int key', b: NaN, z: -0, big: 1e21, s: NASTY };
      await s.appendEvents([
        gatewayEvent({ device: 'gd-01', point: 'ch4', data }),
        gatewayEvent({ device: 'gd-01' }),
        gatewayEvent({ point: 'ch4' }),
        gatewayEvent({ data: {} }),
        gatewayEvent(),
        { type: 'gateway.started', severity: 'info', ts: 5, clockTrusted: false, message: '' },
        ...NASTY.map((x) => gatewayEvent({ type: x, message: x, device: x, point: x, data: { [x]: x } })),
      ]);
      await s.appendReadings([reading()]); // another stream: never in an events message
      for (const historical of [false, true]) await expectAsEncoded(s, 'event', { afterSeq: 0, limit: 100 }, { ...ENV, historical });
    });

    it('carries the envelope site and gateway as given', async () => {
      const s = await open();
      await s.appendReadings([reading()]);
      await s.appendEvents([gatewayEvent()]);
      const env = { site: 'site "7" 厂区', gateway: 'gw\\1', historical: true };
      await expectAsEncoded(s, 'telemetry', { afterSeq: 0, limit: 10 }, env);
      await expectAsEncoded(s, 'event', { afterSeq: 0, limit: 10 }, env);
    });

    it('honours afterSeq (exclusive), upToSeq (inclusive) and limit, like readBatch', async () => {
      const s = await open();
      const seqs = (await s.appendReadings(Array.from({ length: 6 }, (_, i) => reading({ value: i })))).map((x) => x.seq);
      const read = (range: Range) => expectAsEncoded(s, 'telemetry', range);
      expect(await read({ afterSeq: seqs[1]!, limit: 100 })).toEqual(seqs.slice(2));
      expect(await read({ afterSeq: 0, upToSeq: seqs[2]!, limit: 100 })).toEqual(seqs.slice(0, 3));
      expect(await read({ afterSeq: seqs[0]!, upToSeq: seqs[4]!, limit: 2 })).toEqual([seqs[1], seqs[2]]);
      await s.acknowledge([seqs[3]!]);
      expect(await read({ afterSeq: seqs[1]!, limit: 3 })).toEqual([seqs[2], seqs[4], seqs[5]]);
    });

    it('is null when nothing waits in the range, and does not remove what it reads', async () => {
      const s = await open();
      expect(await s.readMessage('telemetry', { afterSeq: 0, limit: 10 }, ENV)).toBeNull();
      expect(await s.readMessage('event', { afterSeq: 0, limit: 10 }, ENV)).toBeNull();
      const [r] = await s.appendReadings([reading()]);
      expect(await s.readMessage('event', { afterSeq: 0, limit: 10 }, ENV)).toBeNull();
      expect(await s.readMessage('telemetry', { afterSeq: r!.seq, limit: 10 }, ENV)).toBeNull();
      expect(await s.readMessage('telemetry', { afterSeq: 0, upToSeq: r!.seq - 1, limit: 10 }, ENV)).toBeNull();
      expect(await s.readMessage('telemetry', { afterSeq: 0, limit: 0 }, ENV)).toBeNull();
      expect((await s.readMessage('telemetry', { afterSeq: 0, limit: 10 }, ENV))?.seqs).toEqual([r!.seq]);
      expect((await s.stats()).depth.telemetry).toBe(1);
    });

    it('rejects a bad range or envelope as readBatch does', async () => {
      const s = await open();
      await expect(s.readMessage('telemetry', { afterSeq: -1, limit: 1 }, ENV)).rejects.toThrow(/afterSeq/);
      await expect(s.readMessage('nope' as never, { afterSeq: 0, limit: 1 }, ENV)).rejects.toThrow(/stream/);
      await expect(s.readMessage('telemetry', { afterSeq: 0, limit: 1 }, { ...ENV, site: '' })).rejects.toThrow(/envelope/);
      await expect(s.readMessage('telemetry', { afterSeq: 0, limit: 1 }, { ...ENV, historical: 'no' as never })).rejects.toThrow(/envelope/);
    });
  });
}
