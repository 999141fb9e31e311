/**
 * Disk full: a small filesystem of its own for the gateway's database, which the campaign fills
 * to the last byte and frees again. A tmpfs with a size limit, mounted by root: SQLite then
 * gets ENOSPC from the kernel and returns SQLITE_FULL exactly as on a full SD card — the real
 * error path through WAL writes, checkpoints and commits. (The alternative, PRAGMA
 * max_page_count, would need a hook into the gateway's own connection and only fakes a full
 * database file, not a full disk: the WAL could still grow.) Needs root (CI and the dev
 * machines run as root); without it, mountSmallDisk() says so and what to do.
 *
 * No leftovers: unmount() (idempotent) and, if the process dies first, an exit hook unmount
 * lazily; the mount point is a fresh directory under the system temp dir.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  /** The mount point: put the gateway's database here. */
  readonly dir: string;
  readonly sizeBytes: number;
  /** Bytes still free on it (statfs). */
  freeBytes(): number;
  /** Writes a filler file until the kernel says ENOSPC; returns the bytes written. */
  fill(): number;
  /** Deletes the filler: space comes back. */
  free(): void;
  unmount(): void;
}

const mounted = new Set<string>();
let hooked = false;

function run(cmd: string, args: string[]): { ok: boolean; message: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  return { ok: r.status === 0, message: (r.stderr || r.stdout || r.error?.message || '').trim() };
}

export function mountSmallDisk(sizeBytes: number): SmallDisk {
  if (!Number.isInteger(sizeBytes) || sizeBytes < 64 * 1024) throw new Error(`small disk: sizeBytes must be an integer ≥ 65536, got ${sizeBytes}`);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-disk-'));
  const m = run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]);
  if (!m.ok) {
    rmdirSync(dir);
    throw new Error(
      `small disk: cannot mount a ${sizeBytes}-byte tmpfs on ${dir} (${m.message || 'mount failed'}); the disk-full injector needs root ` +
        `(or CAP_SYS_ADMIN) to give SQLite a filesystem it can really fill`,
    );
  }
  mounted.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of mounted) spawnSync('umount', ['-l', d], { timeout: 5_000 });
    });
  }
  const filler = join(dir, 'filler.bin');
  let isMounted = true;
  return {
    dir,
    sizeBytes,
    freeBytes() {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    fill() {
      const chunk = Buffer.alloc(64 * 1024, 0xa5);
      const fd = openSync(filler, 'a');
      let written = 0;
      try {
        // A write larger than the space left is cut short by the kernel; the next one gets ENOSPC.
        for (;;) written += writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      if (!isMounted) return;
      isMounted = false;
      let r = run('umount', [dir]);
      if (!r.ok) r = run('umount', ['-l', dir]); // a gateway still holding a file: detach anyway
      mounted.delete(dir);
      if (!r.ok) throw new Error(`small disk: cannot unmount ${dir}: ${r.message}`);
      rmdirSync(dir);
    },
  };
}
