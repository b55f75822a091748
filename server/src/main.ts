import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './create-app';
import { assertMigrated, DEMO_LOGINS, DEMO_PASSWORD, prepareDatabase } from './database/prepare-database';
import { exitOnSignals } from './lifecycle/shutdown';
import { configureLogger, logger, PinoNestLogger } from './logging/logger';

/**
 * Connections the kernel queues before the server accepts them (capped by net.core.somaxconn):
 * after a network blip thousands of screens reconnect at once, and Node's default of 511 would
 * drop the rest of their SYNs — and a phone's report with them — for seconds of retransmits.
 */
const LISTEN_BACKLOG = 4096;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  configureLogger(config);
  Logger.overrideLogger(new PinoNestLogger());
  let seeded = null;
  if (config.runMigrations) seeded = await prepareDatabase(config, { seed: config.seedDemo });
  else await assertMigrated(config);
  const app = await createApp(config);
  exitOnSignals(app, config);
  await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  logger.info({ context: 'main', url, docs: `${url}/api/docs`, env: config.env }, 'Gridline is up');
  if (config.env === 'development') {
    // Printed plainly for the person at the terminal after `npm start`; the route map is at LOG_LEVEL=debug.
    const lines = [
      '',
      `  Gridline   ${url}`,
      `  Wall       ${url}/wall      Phone ${url}/m      Console ${url}/console`,
      `  API docs   ${url}/api/docs  Metrics ${url}/metrics  Health ${url}/health`,
    ];
    if (seeded) lines.push(`  Demo logins (password ${DEMO_PASSWORD}): ${DEMO_LOGINS.join(', ')}`);
    lines.push('  Ctrl-C stops the server and its PostgreSQL.', '');
    console.log(lines.join('\n'));
  }
}

bootstrap().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
