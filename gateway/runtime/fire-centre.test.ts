import { describe, expect, it } from 'vitest';
import { uitdVersion } from './fire-centre.js';

describe('the UITD software version the centre reads (GB/T 26875.3 type 25)', () => {
  it('is the package version’s major and minor', () => {
    expect(uitdVersion('0.1.0')).toEqual({ major: 0, minor: 1 });
    expect(uitdVersion('12.34.5-rc.1')).toEqual({ major: 12, minor: 34 });
  });

  it('a version that does not fit in a byte each is refused with the reason, never sent wrong', () => {
    expect(() => uitdVersion('256.0.0')).toThrow(/version 256\.0\.0 cannot be sent as type 25/);
    expect(() => uitdVersion('next')).toThrow(/version next cannot be sent/);
  });
});
