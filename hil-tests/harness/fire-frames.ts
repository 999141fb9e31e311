import { COMPONENT_STATUS_BITS, DataType, flagsOf, type ComponentStatus } from '../../drivers/gb26875/index.js';
import type { ReceivedFrame } from '../virtual-rig/monitoring-centre/centre.js';

/** A GB/T 26875.3 component status (type 2) from the gateway with the fire bit set: the fire report. */
export function isFireReport(f: ReceivedFrame): boolean {
  const data = f.message?.data;
  return data?.type === DataType.ComponentStatus && (data.objects as readonly ComponentStatus[]).some((o) => flagsOf(COMPONENT_STATUS_BITS, o.status).fire);
}
