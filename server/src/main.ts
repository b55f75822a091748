import { setFlagsFromString } from 'node:v8';
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

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again (percent; 0 = V8's own rule, which grows up to 4x under a high allocation rate).
 * Measured (docs/throughput.md): 50 keeps a socket-heavy instance's RSS near its live set (10,000
 * wall sockets: 401-425 MiB instead of 517-587) but costs intake latency (p99 at 200 req/s 35-49
 * -> 60-70 ms), so it is off by default: set it on instances that mostly hold walls.
 */
function heapGrowingPercent(): number {
  const value = Number(process.env.HEAP_GROWING_PERCENT ?? 0);
  if (!Number.isInteger(value) || value < 0 || value > 1000)
    throw new ConfigError('HEAP_GROWING_PERCENT must be a whole number from 0 to 1000');
  return value;
}

async function bootstrap(): Promise<void> {
  const growing = heapGrowingPercent();
  if (growing > 0) setFlagsFromString(`--heap-growing-percent=${growing}`);
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
