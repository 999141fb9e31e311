/** `vigil live`: a terminal view of a running gateway (provisioning/live/). */
import { runLive } from '../live/live.js';
import { parseApiUrl } from '../walk-test/api-options.js';
import { GatewayClient } from '../walk-test/gateway-client.js';

export async function liveCommand(flags: { api: string; interval: number; once?: boolean }): Promise<number> {
  try {
    const client = new GatewayClient(parseApiUrl(flags.api));
    return await runLive({ client, intervalSec: flags.interval, once: flags.once === true, out: process.stdout, input: process.stdin });
  } catch (e) {
    console.error(`live: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}
