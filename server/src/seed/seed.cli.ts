import { ConfigError, loadConfig } from '../config/app-config';
import { prepareDatabase } from '../database/prepare-database';

/** `npm run seed`: migrations, then the demo district if the database is empty. */
async function main(): Promise<void> {
  const summary = await prepareDatabase(loadConfig(), { seed: true });
  console.log(summary?.skipped ? 'The database already has data; nothing seeded.' : `Seeded: ${JSON.stringify(summary)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
