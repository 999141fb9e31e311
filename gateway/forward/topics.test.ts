import { describe, expect, it } from 'vitest';
import { topicsFor } from './topics.js';

describe('topicsFor', () => {
  it('puts every topic under <prefix>/<site>/<gateway>', () => {
    expect(topicsFor('vigil', 'plant-7', 'gw-a')).toEqual({
      base: 'vigil/plant-7/gw-a',
      telemetry: 'vigil/plant-7/gw-a/telemetry',
      events: 'vigil/plant-7/gw-a/events',
      state: 'vigil/plant-7/gw-a/state',
    });
    expect(topicsFor('acme/safety', 's', 'g').state).toBe('acme/safety/s/g/state');
  });

  it('refuses wildcards, slashes in ids and empty levels', () => {
    expect(() => topicsFor('vigil/#', 's', 'g')).toThrow(/topicPrefix/);
    expect(() => topicsFor('vigil', 's+', 'g')).toThrow(/site id/);
    expect(() => topicsFor('vigil', 's', 'a/b')).toThrow(/gateway id/);
    expect(() => topicsFor('vigil/', 's', 'g')).toThrow(/empty levels/);
    expect(() => topicsFor('vigil', '', 'g')).toThrow(/site id/);
  });
});
