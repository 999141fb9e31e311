#!/usr/bin/env node
// Makes sure the system tools the virtual rig needs are present, installing them with
// apt-get when we are root on Debian/Raspberry Pi OS; otherwise says exactly what to run.
// socat: creates the pseudo-terminal pairs that stand in for RS-485 adapters.
import { execFileSync, spawnSync } from 'node:child_process';

const TOOLS = [{ command: 'socat', aptPackage: 'socat', why: 'pseudo-terminal pairs for the virtual RS-485 bus' }];

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = TOOLS.filter((t) => !has(t.command));
if (missing.length === 0) process.exit(0);

const packages = missing.map((t) => t.aptPackage);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && has('apt-get')) {
  console.log(`vigil: installing ${packages.join(', ')} (${missing.map((t) => t.why).join('; ')})`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (e) {
    console.error(`vigil: apt-get could not install ${packages.join(', ')}: ${e.message}`);
    process.exit(1);
  }
  if (missing.every((t) => has(t.command))) process.exit(0);
}
console.error(
  `vigil: missing system tool(s): ${missing.map((t) => `${t.command} (${t.why})`).join(', ')}.\n` +
    `Install with:  sudo apt-get install -y ${packages.join(' ')}`,
);
process.exit(1);
