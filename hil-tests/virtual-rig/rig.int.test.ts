/** Starting and stopping the rig: spec checks, and no socat left behind. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPtyPair } from './pty-pair.js';
import { startVirtualRig } from './rig.js';

/** Processes whose command line mentions `path`: socat and its sh wrapper (read only; nothing is killed by name). */
function processesFor(path: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-f', path], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
const socatsFor = (path: string): string[] => processesFor(path).filter((line) => /^\d+ (\S*\/)?socat /.test(line));

describe('pty pairs', () => {
  it('creates both links, and close() ends socat and removes them', async () => {
    const pair = await openPtyPair();
    expect(existsSync(pair.gatewayPath) && existsSync(pair.rigPath)).toBe(true);
    expect(socatsFor(pair.gatewayPath)).toHaveLength(1);
    await pair.close();
    expect(processesFor(pair.gatewayPath)).toEqual([]);
    expect(existsSync(pair.gatewayPath)).toBe(false);
  });

  it('says how to install socat when it is missing', async () => {
    await expect(openPtyPair({ socat: 'socat-not-installed-here' })).rejects.toThrow(
      'install it with `sudo apt-get install socat` (or run `node scripts/ensure-system-tools.mjs`)',
    );
  });
});

describe('startVirtualRig', () => {
  it('stop() leaves no socat and no links behind', async () => {
    const rig = await startVirtualRig({
      tickMs: 0,
      buses: [
        { name: 'a', type: 'rtu' },
        { name: 'b', type: 'rtu' },
      ],
      devices: [{ name: 'g', bus: 'a', unitId: 1, profile: 'generic/toxic-gas-co' }],
    });
    const ports = Object.values(rig.buses).map((b) => (b.type === 'rtu' ? b.gatewayPort : ''));
    expect(ports.map(socatsFor).flat()).toHaveLength(2);
    await rig.stop();
    await rig.stop(); // idempotent
    expect(ports.map(processesFor).flat()).toEqual([]);
    expect(ports.filter(existsSync)).toEqual([]);
  });

  it('reports every problem of a bad spec at once, before starting anything', async () => {
    const attempt = startVirtualRig({
      buses: [
        { name: 'line', type: 'rtu' },
        { name: 'line', type: 'tcp' },
      ],
      devices: [
        { name: 'g1', bus: 'line', unitId: 248, profile: 'generic/combustible-gas' },
        { name: 'g2', bus: 'nowhere', unitId: 1, profile: 'generic/no-such-model' },
        { name: 'g3', bus: 'line', unitId: 1, profile: 'generic/combustible-gas', behaviours: { gas_lel: 'high' } },
        { name: 'g3', bus: 'line', unitId: 1, profile: 'generic/combustible-gas' },
      ],
    });
    const message = await attempt.then(
      () => 'started',
      (e: Error) => e.message,
    );
    expect(message).toMatch(/^virtual rig spec has 7 problem\(s\):/);
    expect(message).toContain('buses[1].name: bus "line" is defined twice');
    expect(message).toContain('devices[0] (g1).unitId: 248 is not 1..247');
    expect(message).toContain('devices[1] (g2).bus: no bus "nowhere"');
    expect(message).toContain('devices[1] (g2).profile: no profile "generic/no-such-model"');
    expect(message).toContain('devices[2] (g3): device g3: point gas_lel: cannot write "high": a u16 point takes a finite number');
    expect(message).toContain('devices[3] (g3).name: device "g3" is defined twice');
    expect(message).toContain('devices[3] (g3).unitId: unit 1 is already used on bus "line"');
  });
});
