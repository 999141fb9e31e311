import type { GatewayApi } from './gateway-api.js';

/** Start-up on a loaded CI machine: ports, the store worker, first polls. */
const READY_TIMEOUT_MS = 30_000;

/**
 * A scenario starts from a gateway that answers for every device: otherwise a comm fault from
 * a slow start would be mistaken for the scenario's own. Fails naming the devices not ready.
 */
export async function waitUntilReady(api: GatewayApi, devices: readonly string[]): Promise<void> {
  const until = performance.now() + READY_TIMEOUT_MS;
  let notReady: string[] = [...devices];
  while (performance.now() < until) {
    try {
      const health = await api.health();
      notReady = devices.filter((d) => health.devices.find((x) => x.name === d)?.state !== 'ok');
      if (notReady.length === 0) return;
    } catch {
      // the API is not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the gateway did not report every device ok within ${READY_TIMEOUT_MS / 1000} s; not ok: ${notReady.join(', ')}`);
}
