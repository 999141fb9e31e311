import { describe, expect, it } from 'vitest';
import { waitUntil } from '../forward/testing/broker.js';
import { alarmsById, eventually, LINES, setGas, startSafetySite } from './testing/safety-site.js';

/** POST /api/outputs/<name>/test on a real gateway: who may, what is refused, and a real alarm winning. */
describe('output test through the local API', () => {
  it('needs a token, checks the body, switches the line, and a real alarm ends it at once', async () => {
    const site = await startSafetySite();
    const { gw, gpio, api } = await site.startGateway();
    await waitUntil(() => gw.points.snapshot('gas-1').some((p) => p.point === 'gas_lel' && p.quality === 'good'), 10_000, 'gas-1 to be read');

    expect((await api.post('/api/outputs/sounder-1/test', { on: true, seconds: 5 }, null)).status).toBe(401);
    expect(await api.post('/api/outputs/sounder-1/test', { on: true, seconds: 60 })).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'body.seconds: Too big: expected number to be <=30 (expected {"on": true, "seconds": more than 0, at most 30})' },
    });
    expect((await api.post('/api/outputs/horn/test', { on: true, seconds: 5 })).status).toBe(404);
    expect((await api.post('/api/outputs/strobe-1/test', { on: true, seconds: 20 })).body).toEqual({ ok: true, message: 'strobe-1 held on for 20000 ms' });
    expect(gpio.level(LINES.strobe)).toBe(1);
    expect((await api.get<{ mode: string }>('/api/outputs')).body.mode).toBe('self-test');

    // A real alarm wins: the test ends in the same turn and the gas pattern takes over.
    await setGas(site, gw, 'gas-1', 30);
    await eventually(() => api.get<{ mode: string }>('/api/outputs'), (r) => r.body.mode === 'normal', 2_000, 'the test to end');
    const journal = await api.get<{ entries: { event: { type: string; message: string } }[] }>('/api/alarms/journal?subject=annunciator');
    expect(journal.body.entries.map((e) => e.event.message)).toContain('output test of strobe-1 ended early: gas-1/gas_high activated');

    // While the alarm stands, a test is refused with the reason.
    await eventually(() => alarmsById(api), (a) => a.get('gas-1/gas_high')?.state === 'unacknowledged', 2_000, 'gas-1/gas_high');
    const refused = await api.post('/api/outputs/sounder-1/test', { on: true, seconds: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'not-applicable', message: expect.stringContaining('alarms need attention first (gas-1/gas_high unacknowledged') });
  });
});
