#!/usr/bin/env node
// Makes sure the system tools the virtual rig and the tests need are present, installing them
// with apt-get when we are root on Debian/Raspberry Pi OS; otherwise says exactly what to run.
// socat: creates the pseudo-terminal pairs that stand in for RS-485 adapters (required).
// chromium: the headless browser the local console's test drives through playwright-core. Only
// the tests need it, so `npm start` (prestart) neither installs it nor complains about it; when
// it cannot be installed the script warns and goes on — the console browser test then fails
// with the same instructions on CI and for root, and skips saying why for anyone else
// (gateway/console/testing/chromium.ts).
import { execFileSync, spawnSync } from 'node:child_process';

const TOOLS = [
  { command: 'socat', aptPackage: 'socat', why: 'pseudo-terminal pairs for the virtual RS-485 bus', required: true, testsOnly: false },
  { command: 'shellcheck', aptPackage: 'shellcheck', why: 'lints deploy/install.sh in the tests', required: false, testsOnly: true },
  { command: 'openssl', aptPackage: 'openssl', why: 'the test CA of the vigil register tests (vigil register itself writes its CSR with it)', required: true, testsOnly: true },
  { command: 'chromium', aptPackage: 'chromium', why: 'headless browser for the local console test', required: false, testsOnly: true },
];

// npm names the script it runs: `npm start` runs this as prestart, where test-only tools are not needed.
const forStartOnly = process.env.npm_lifecycle_event === 'prestart';
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = TOOLS.filter((t) => !(forStartOnly && t.testsOnly) && !has(t.command));
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
  }
}

const stillMissing = missing.filter((t) => !has(t.command));
if (stillMissing.length === 0) process.exit(0);
const hint = (tools) => `${tools.map((t) => `${t.command} (${t.why})`).join(', ')}.\nInstall with:  sudo apt-get install -y ${tools.map((t) => t.aptPackage).join(' ')}`;
const optional = stillMissing.filter((t) => !t.required);
if (optional.length > 0) {
  console.warn(`vigil: warning: missing system tool(s) the tests need: ${hint(optional)}\n(each test that needs one says what it did without it: the console browser test fails on CI and for root, the shellcheck test is skipped)`);
}
const required = stillMissing.filter((t) => t.required);
if (required.length > 0) {
  console.error(`vigil: missing system tool(s): ${hint(required)}`);
  process.exit(1);
}
