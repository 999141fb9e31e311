import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { createLogger, flushLogger } from '../../gateway/log.js';
import { startGateway, type RunningGateway } from '../../gateway/runtime/gateway.js';

/**
 * `vigil run --config FILE`: refuse to start on an invalid file (printing every problem, the
 * same as `vigil validate`), otherwise run until SIGINT/SIGTERM and stop cleanly.
 */
export async function runCommand(file: string, opts: { pretty: boolean }): Promise<number> {
  const loaded = loadSiteConfig(file);
  if (!loaded.ok) {
    for (const p of loaded.problems) console.error(formatProblem(p));
    console.error(`${file}: not started — ${loaded.problems.length} problem(s) in the configuration`);
    return 1;
  }
  for (const w of loaded.warnings) console.error(`warning: ${formatProblem(w)}`);
  const logger = createLogger({ level: loaded.config.log.level, pretty: opts.pretty });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({ config: loaded.config, configDir: loaded.configDir, secrets: loaded.secrets, profiles: loaded.profiles, logger });
  } catch (e) {
    logger.fatal({ err: e }, 'gateway could not start');
    flushLogger(logger);
    return 1;
  }
  return await new Promise<number>((resolveExit) => {
    const shutdown = (signal: string): void => {
      logger.info({ signal }, 'stopping');
      gateway
        .stop()
        .then(() => resolveExit(0))
        .catch((e: unknown) => {
          logger.error({ err: e }, 'error while stopping');
          resolveExit(1);
        })
        .finally(() => flushLogger(logger));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
