import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installProblem, PEER_PACKAGES, peerCacheDir } from './peer-install.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeInstall(versions: Record<string, string>, withRedJs = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-peer-install-test-'));
  dirs.push(dir);
  for (const [name, version] of Object.entries(versions)) {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
  }
  if (withRedJs) writeFileSync(join(dir, 'node_modules', 'node-red', 'red.js'), '');
  return dir;
}

describe('peerCacheDir', () => {
  it('lives under XDG_CACHE_HOME, else ~/.cache, in a directory named by the pinned versions', () => {
    expect(peerCacheDir({ XDG_CACHE_HOME: '/var/cache/ci' }, '/home/u')).toBe('/var/cache/ci/vigil-bench/peer/node-red@4.1.15+node-red-contrib-modbus@5.23.3');
    expect(peerCacheDir({}, '/home/u')).toBe('/home/u/.cache/vigil-bench/peer/node-red@4.1.15+node-red-contrib-modbus@5.23.3');
    // A relative XDG_CACHE_HOME is invalid per the XDG spec and ignored.
    expect(peerCacheDir({ XDG_CACHE_HOME: 'cache' }, '/home/u')).toMatch(/^\/home\/u\/\.cache\//);
  });
});

describe('installProblem', () => {
  it('accepts an install with the pinned versions', () => {
    expect(installProblem(fakeInstall({ ...PEER_PACKAGES }))).toBeNull();
  });

  it('names a missing package, a different version, and a missing red.js', () => {
    expect(installProblem(fakeInstall({ 'node-red': PEER_PACKAGES['node-red'] }))).toMatch(/node-red-contrib-modbus is not installed/);
    expect(installProblem(fakeInstall({ ...PEER_PACKAGES, 'node-red-contrib-modbus': '5.60.2' }))).toMatch(/node-red-contrib-modbus is "5\.60\.2" .* pins 5\.23\.3/);
    expect(installProblem(fakeInstall({ ...PEER_PACKAGES }, false))).toMatch(/no red\.js/);
  });
});
