import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../gateway/paths.js';

/**
 * deploy/install.sh, checked without changing the machine: `--dry-run` prints what it would do,
 * `--root DIR` installs the files under a temporary root (users, ownership and systemctl are
 * listed as skipped). The unit it writes is checked by `systemd-analyze verify` where present.
 */
const SCRIPT = join(packageRoot(), 'deploy', 'install.sh');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-install-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function install(...args: string[]) {
  return spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', timeout: 30_000 });
}
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const mode = (p: string): number => statSync(p).mode & 0o777;
const hasGroup = (g: string): boolean => spawnSync('getent', ['group', g]).status === 0;

describe('deploy/install.sh', () => {
  it('--dry-run lists every action (user, groups, directories with modes, unit, enable) and changes nothing', () => {
    const unitBefore = existsSync('/etc/systemd/system/vigil.service');
    const r = install('--dry-run', '--vigil-bin', '/usr/bin/vigil');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/would run: useradd --system --user-group --home-dir \/var\/lib\/vigil --no-create-home --shell \/usr\/sbin\/nologin vigil|user vigil exists/);
    if (hasGroup('dialout')) expect(r.stdout).toMatch(/would run: usermod --append --groups dialout vigil|vigil is in group dialout/);
    expect(r.stdout).toContain('would run: install -d -m 0750 -o vigil -g vigil /etc/vigil\n');
    expect(r.stdout).toContain('would run: install -d -m 0700 -o vigil -g vigil /etc/vigil/tls\n');
    expect(r.stdout).toContain('would run: install -d -m 0700 -o vigil -g vigil /var/lib/vigil\n');
    expect(r.stdout).toMatch(/would write: \/etc\/systemd\/system\/vigil\.service \(0644\)|\/etc\/systemd\/system\/vigil\.service is up to date/);
    expect(r.stdout).toContain('would run: systemctl enable vigil.service\n');
    expect(existsSync('/etc/systemd/system/vigil.service')).toBe(unitBefore);
  });

  it('--root DIR installs the directories with their modes, the unit and the journald limits; a second run changes nothing', () => {
    const root = join(tmp, 'root');
    const r = install('--root', root, '--vigil-bin', process.execPath);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(mode(join(root, 'etc/vigil'))).toBe(0o750);
    expect(mode(join(root, 'etc/vigil/tls'))).toBe(0o700);
    expect(mode(join(root, 'var/lib/vigil'))).toBe(0o700);
    const unit = readFileSync(join(root, 'etc/systemd/system/vigil.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} run --config /etc/vigil/site.yaml\n`);
    for (const line of ['Type=notify', 'NotifyAccess=all', 'WatchdogSec=30', 'Restart=always', 'User=vigil', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/vigil', 'NoNewPrivileges=true']) {
      expect(unit).toContain(`\n${line}\n`);
    }
    const groups = ['dialout', 'gpio'].filter(hasGroup);
    if (groups.length > 0) expect(unit).toContain(`\nSupplementaryGroups=${groups.join(' ')}\n`);
    else expect(unit).not.toMatch(/^SupplementaryGroups=/m);
    if (!hasGroup('gpio')) expect(r.stdout).toContain('warning: group gpio does not exist on this system');
    expect(readFileSync(join(root, 'etc/systemd/journald.conf.d/vigil.conf'), 'utf8')).toMatch(/\nSystemMaxUse=200M\n/);
    expect(r.stdout).toContain('skipped (--root): systemctl enable vigil.service');

    const again = install('--root', root, '--vigil-bin', process.execPath);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('/etc/systemd/system/vigil.service is up to date');
    expect(again.stdout).toContain('/etc/systemd/journald.conf.d/vigil.conf is up to date');
    expect(again.stdout).not.toContain('daemon-reload');
    expect(readFileSync(join(root, 'etc/systemd/system/vigil.service'), 'utf8')).toBe(unit);
  });

  // Needs systemd's own tools; a CI image without systemd has nothing to verify with.
  it.skipIf(!has('systemd-analyze'))('the installed unit passes systemd-analyze verify', () => {
    const root = join(tmp, 'verify');
    expect(install('--root', root, '--vigil-bin', process.execPath).status).toBe(0);
    const v = spawnSync('systemd-analyze', ['verify', join(root, 'etc/systemd/system/vigil.service')], { encoding: 'utf8', timeout: 30_000 });
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
  });

  it('says no clearly: an unknown option, a relative --vigil-bin', () => {
    const bad = install('--frobnicate');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('install.sh: unknown option: --frobnicate');
    const rel = install('--dry-run', '--vigil-bin', 'bin/vigil');
    expect(rel.status).toBe(1);
    expect(rel.stderr).toContain('--vigil-bin must be an absolute path (systemd needs one), not bin/vigil');
  });

  // shellcheck is optional (apt-get install shellcheck); without it there is nothing to run.
  it.skipIf(!has('shellcheck'))('is shellcheck-clean', () => {
    const r = spawnSync('shellcheck', [SCRIPT], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
