import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountSmallDisk } from './small-disk.js';

describe('small disk (disk-full injector)', () => {
  it('fills to ENOSPC, gives the space back, and leaves nothing mounted', () => {
    const disk = mountSmallDisk(1024 * 1024);
    try {
      writeFileSync(join(disk.dir, 'a.db'), Buffer.alloc(100_000));
      const written = disk.fill();
      expect(written).toBeGreaterThan(800_000);
      expect(written).toBeLessThanOrEqual(1024 * 1024);
      expect(disk.freeBytes()).toBe(0);
      // what SQLite sees next: the kernel refuses the write
      expect(() => writeFileSync(join(disk.dir, 'b.db'), Buffer.alloc(8_192))).toThrow(/ENOSPC/);
      disk.free();
      expect(disk.freeBytes()).toBeGreaterThan(800_000);
      writeFileSync(join(disk.dir, 'b.db'), Buffer.alloc(8_192));
    } finally {
      disk.unmount();
    }
    expect(existsSync(disk.dir)).toBe(false);
    disk.unmount(); // idempotent
  });

  it('refuses a size it cannot honour', () => {
    expect(() => mountSmallDisk(1000)).toThrow(/sizeBytes must be an integer ≥ 65536, got 1000/);
  });
});
