import { ConfigError, loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { verifyAll } from './verify-chain';

/**
 * `npm run audit:verify`: recomputes the hash chains of the audit trails and prints the first
 * broken link of each (exit 1), or OK with the number of rows checked (exit 0).
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const ds = createDataSource(config.databaseUrl, 1);
  await ds.initialize();
  try {
    return await verifyAll(ds, (line) => console.log(line));
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
    process.exit(2);
  },
);
