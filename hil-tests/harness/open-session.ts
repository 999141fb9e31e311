import type { RigFile } from '../rig-file/schema.js';
import { BenchSession } from './bench-session.js';
import type { Operator } from './operator.js';
import type { RigSession, SessionNeeds } from './rig.js';
import { VirtualSession } from './virtual-session.js';

/** Starts a session on the rig the file describes; `dir` holds the site file, store and GPIO fakes. */
export function openSession(rig: RigFile, operator: Operator, needs: SessionNeeds, dir: string): Promise<RigSession> {
  return rig.kind === 'virtual' ? VirtualSession.open(rig, operator, needs, dir) : BenchSession.open(rig, operator, needs, dir);
}
