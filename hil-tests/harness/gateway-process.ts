import { join } from 'node:path';
import { spawnTracked, stopChild, type Tracked } from '../../bench/support/proc.js';
import { packageRoot } from '../../gateway/paths.js';
import { GatewayApi } from './gateway-api.js';

/**
 * The gateway under test as a real process — `node dist/provisioning/cli.js run --config FILE`,
 * exactly what a site runs — so a power cycle is a real SIGKILL: no clean shutdown, no flush,
 * whatever was not committed to SQLite is gone, as when the supply is cut.
 */
export const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');

/** Start-up includes opening ports, the store and the API; generous, because CI is loaded. */
const START_TIMEOUT_MS = 30_000;

export class GatewayProcess {
  private proc: Tracked | null = null;
  private currentApi: GatewayApi | null = null;
  /** How many times it was started (1 after the first start). */
  starts = 0;

  constructor(
    private readonly siteFile: string,
    private readonly token: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get api(): GatewayApi {
    if (!this.currentApi) throw new Error('the gateway is not running');
    return this.currentApi;
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  /** Starts it and waits for its "gateway running" log line, which carries the API address. */
  async start(): Promise<GatewayApi> {
    if (this.proc) throw new Error('the gateway is already running');
    const proc = spawnTracked([CLI, 'run', '--config', this.siteFile], { env: this.env });
    this.proc = proc;
    this.starts++;
    try {
      const m = await proc.waitForLine(/"api":"(http:\/\/[^"]+)"[^\n]*"msg":"gateway running"/, START_TIMEOUT_MS);
      this.currentApi = new GatewayApi(m[1]!, this.token);
      return this.currentApi;
    } catch (e) {
      await this.kill();
      throw e;
    }
  }

  /** SIGKILL: the process gets no chance to clean up. Resolves once it is gone. */
  async kill(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    this.currentApi = null;
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  /** SIGTERM (a clean stop), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    this.currentApi = null;
    if (proc) await stopChild(proc, 10_000);
  }

  /** The last output lines, for a failure message. */
  output(): string {
    return this.proc?.output().slice(-3_000) ?? '';
  }
}
