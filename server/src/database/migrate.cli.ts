import { ConfigError, loadConfig } from '../config/app-config';
import { configureLogger, logger } from '../logging/logger';
import { prepareDatabase } from './prepare-database';

/**
 * `npm run migrate` (and the Kubernetes migration Job): applies pending migrations under the
 * advisory lock and exits; never seeds. Instances then start with RUN_MIGRATIONS=false.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  configureLogger(config);
  await prepareDatabase(config, { seed: false });
  logger.info({ context: 'migrations' }, 'schema is up to date');
  logger.flush();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
