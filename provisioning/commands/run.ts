import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { createLogger, flushLogger } from '../../gateway/log.js';
import { startGateway, type RunningGateway } from '../../gateway/runtime/gateway.js';
import { alarmPathHealth, startSystemdNotifier } from '../../gateway/runtime/systemd-notify.js';
import type { DeferredSignals } from '../signals.js';

/**
 * `vigil run --config FILE`: refuse to start on an invalid file (printing every problem, the
 * same as `vigil validate`), otherwise run until SIGINT/SIGTERM and stop cleanly.
 */
export async function runCommand(file: string, opts: { pretty: boolean; signals: DeferredSignals }): Promise<number> {
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
    await flushLogger(logger);
    return 1;
  }
  // Under systemd (Type=notify): ready only now that the alarm path runs; the watchdog pings only while it stays alive.
  const systemd = startSystemdNotifier({ health: alarmPathHealth(gateway, loaded.config), logger });
  systemd.ready(`site ${loaded.config.site.id}, gateway ${loaded.config.gateway.id}: running`);
  return await new Promise<number>((resolveExit) => {
    const shutdown = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'stopping');
      systemd.stopping();
      gateway
        .stop()
        .then(
          () => 0,
          (e: unknown) => {
            logger.error({ err: e }, 'error while stopping');
            return 1;
          },
        )
        .then(async (code) => {
          // Everything was stopped; if a forgotten handle still holds the event loop, say which
          // and exit anyway — a gateway that cannot be stopped is worse than a leak report.
          setTimeout(() => {
            logger.warn({ resources: process.getActiveResourcesInfo() }, 'still running 2 s after a clean stop; exiting');
            void flushLogger(logger).then(() => process.exit(code));
          }, 2_000).unref();
          await flushLogger(logger);
          resolveExit(code);
        });
    };
    // A signal that arrived during start-up is delivered now.
    opts.signals.onSignal(shutdown);
  });
}
