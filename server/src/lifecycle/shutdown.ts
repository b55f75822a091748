import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { logger } from '../logging/logger';
import { LifecycleService } from './lifecycle.service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The SIGTERM path, bounded by SHUTDOWN_GRACE_MS (keep it below the pod's
 * terminationGracePeriodSeconds):
 * 1. readiness answers 503, so the load balancer takes the instance out (SHUTDOWN_DELAY_MS for it to notice);
 * 2. live sockets are told to reconnect and their transports closed: the clients reconnect
 *    through the balancer to another instance;
 * 3. app.close(): the HTTP server stops accepting and waits for in-flight requests, the stats
 *    applier and SLA sweeper finish their batch (their row locks end with its transaction), the
 *    database pools close.
 * Resolves with the exit code: 0 when everything closed in time, 1 when the grace period ran out.
 */
export async function shutDownGracefully(
  app: INestApplication,
  config: Pick<AppConfig, 'shutdownDelayMs' | 'shutdownGraceMs'>,
  signal: string,
): Promise<number> {
  const started = Date.now();
  logger.info({ context: 'lifecycle', signal, graceMs: config.shutdownGraceMs }, 'shutting down');
  const work = (async () => {
    const lifecycle = app.get(LifecycleService);
    lifecycle.markDraining();
    if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
    await lifecycle.runDrainListeners();
    await app.close();
    return 0;
  })();
  const deadline = new Promise<number>((resolve) => setTimeout(() => resolve(1), config.shutdownGraceMs).unref());
  const code = await Promise.race([work.catch(() => 1), deadline]);
  logger[code === 0 ? 'info' : 'error'](
    { context: 'lifecycle', ms: Date.now() - started },
    code === 0 ? 'stopped cleanly' : 'shutdown did not finish within the grace period; exiting anyway',
  );
  return code;
}

/** Installs the SIGTERM/SIGINT handler of the server process (main.ts); a second signal exits at once. */
export function exitOnSignals(app: INestApplication, config: Pick<AppConfig, 'shutdownDelayMs' | 'shutdownGraceMs'>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ context: 'lifecycle', signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    void shutDownGracefully(app, config, signal).then((code) => {
      logger.flush();
      process.exit(code);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
