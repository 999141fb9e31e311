import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FirePanelsSchema } from './config-schema.js';
import { connectorFor } from './from-config.js';

const sample = parse(readFileSync(new URL('./sample-config.yaml', import.meta.url), 'utf8')) as { firePanels: unknown };

describe('firePanels config', () => {
  it('parses the sample, with the documented defaults filled in', () => {
    const panels = FirePanelsSchema.parse(sample.firePanels);
    expect(panels.map((p) => [p.name, p.transport.type])).toEqual([
      ['panel-b1', 'tcp-server'],
      ['panel-b2', 'tcp-client'],
      ['panel-b3', 'serial'],
    ]);
    expect(panels[1]).toMatchObject({ silenceTimeoutMs: 90_000, reconnect: { initialMs: 1_000, maxMs: 30_000 }, transport: { connectTimeoutMs: 5_000 } });
    expect(panels.map((p) => connectorFor(p.transport).description)).toEqual(['listen 0.0.0.0:9000', 'tcp 10.0.20.7:5000', 'serial /dev/ttyUSB1 9600']);
  });

  it('says no, with the path, to a missing baud rate, a duplicate name and a bad address', () => {
    const r = FirePanelsSchema.safeParse([
      { name: 'p', transport: { type: 'serial', port: '/dev/ttyS0', parity: 'none', stopBits: 1 } },
      { name: 'p', transport: { type: 'tcp-client', host: 'x', port: 5000 }, panelAddress: -1 },
    ]);
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['0.transport.baudRate', '1.panelAddress']));
    const dup = FirePanelsSchema.safeParse([
      { name: 'p', transport: { type: 'tcp-client', host: 'x', port: 5000 } },
      { name: 'p', transport: { type: 'tcp-client', host: 'y', port: 5000 } },
    ]);
    expect(dup.error?.issues[0]).toMatchObject({ path: [1, 'name'], message: 'fire panel "p" is already defined at firePanels[0]' });
  });
});
