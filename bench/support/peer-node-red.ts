/**
 * Runs Node-RED for the `peer` bench: a temporary userDir holding the generated flows.json and
 * settings.js, its node_modules a link to the cached peer install (so Node-RED finds
 * node-red-contrib-modbus there, as if installed into the userDir), started as
 * `node [nodeArgs] red.js --settings … --userDir …` and tracked for clean-up.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerInstall } from './peer-install.js';
import { nodeRedSettings, type FlowNode } from './peer-flow.js';
import { makeTempDir, spawnTracked, type Tracked } from './proc.js';

export interface RunningNodeRed {
  proc: Tracked;
  userDir: string;
}

export async function startNodeRed(install: PeerInstall, flow: readonly FlowNode[], nodeArgs: readonly string[] = []): Promise<RunningNodeRed> {
  const userDir = makeTempDir('node-red');
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
  writeFileSync(join(userDir, 'settings.js'), nodeRedSettings());
  writeFileSync(join(userDir, 'package.json'), `${JSON.stringify({ name: 'vigil-bench-node-red', private: true, dependencies: { 'node-red-contrib-modbus': install.versions['node-red-contrib-modbus'] } })}\n`);
  symlinkSync(install.nodeModules, join(userDir, 'node_modules'), 'dir');
  const proc = spawnTracked([...nodeArgs, install.redJs, '--settings', join(userDir, 'settings.js'), '--userDir', userDir], { cwd: userDir });
  // "Started flows" once every node of the flow exists; a node type that did not load stops
  // the flow with "Waiting for missing types to be registered" and the list on the next lines.
  const m = await proc.waitForLine(/Started flows|Waiting for missing types/, 60_000);
  if (m[0] !== 'Started flows') {
    await new Promise((r) => setTimeout(r, 500));
    throw new Error(`Node-RED did not load every node type of the flow (${install.dir}):\n${proc.output().slice(-2000)}`);
  }
  return { proc, userDir };
}
