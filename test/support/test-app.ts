import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ClockService } from '../../server/src/common/clock.service';
import { loadConfig, type AppConfig } from '../../server/src/config/app-config';
import { createApp } from '../../server/src/create-app';
import { runPrefix, templateName, urlFor, withAdmin } from './test-db';
import { ApiClient } from './api-client';

let counter = 0;

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  api: ApiClient;
  /** A direct connection to this app's database, for checking what was (not) written. */
  sql: Client;
  clock: ClockService;
  config: AppConfig;
  databaseUrl: string;
  /** Stops the app and starts a new one on the same database, uploads and port (a server restart: clients reconnect to it). */
  restart(): Promise<void>;
  /** Stops the server (the port stops answering: connection refused); the database and uploads stay. */
  stop(): Promise<void>;
  /** Starts it again after stop(), on the same port, database and uploads. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Start a second instance on the database (and uploads) of this running app instead of a
   * fresh copy: two servers behind one PostgreSQL. Closing it leaves the database to its owner.
   */
  attachTo?: TestApp;
}

/** A server on 127.0.0.1 and a random port, over its own copy of the seeded template database. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const owner = options.attachTo;
  const database = owner
    ? new URL(owner.databaseUrl).pathname.slice(1)
    : `${runPrefix()}_${process.env.JEST_WORKER_ID ?? '0'}_${++counter}`;
  if (!owner) await withAdmin((c) => c.query(`CREATE DATABASE "${database}" TEMPLATE "${templateName()}"`));
  const databaseUrl = urlFor(database);
  const uploadDir = owner ? owner.config.uploadDir : mkdtempSync(join(tmpdir(), 'gridline-uploads-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    UPLOAD_DIR: uploadDir,
    LOG_LEVEL: 'error',
    SEED_DEMO: 'false',
    PORT: '0',
    ...env,
  });
  const sql = new Client({ connectionString: databaseUrl });
  // A test that terminates backends or restarts PostgreSQL must not crash the run through this idle
  // helper connection (an 'error' nobody listens for); its next query fails with the reason instead.
  sql.on('error', (err) => process.stderr.write(`test-app sql connection lost: ${err.message}\n`));
  await sql.connect();

  const boot = async (listenPort = 0) => {
    const app = await createApp(config);
    await app.listen({ port: listenPort, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    return { app, baseUrl: `http://127.0.0.1:${port}` };
  };
  const first = await boot();
  let stopped = false;
  const t: TestApp = {
    ...first,
    api: new ApiClient(first.baseUrl),
    sql,
    clock: first.app.get(ClockService),
    config,
    databaseUrl,
    async restart() {
      await t.stop();
      await t.start();
    },
    async stop() {
      if (stopped) return;
      // A restart drops every connection, as a process exit would: a browser's keep-alive or
      // long-polling request must not hold the HTTP server's close open (a wall page reconnects
      // at once, so its connections are dropped again until the close ends).
      const server = t.app.getHttpServer() as import('node:http').Server;
      const dropping = setInterval(() => server.closeAllConnections(), 200);
      try {
        await t.app.close();
      } finally {
        clearInterval(dropping);
      }
      stopped = true;
    },
    async start() {
      if (!stopped) return;
      const next = await boot(Number(new URL(t.baseUrl).port));
      stopped = false;
      Object.assign(t, next, { api: new ApiClient(next.baseUrl), clock: next.app.get(ClockService) });
    },
    async close() {
      if (!stopped) await t.app.close();
      await sql.end();
      if (owner) return;
      rmSync(uploadDir, { recursive: true, force: true });
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    },
  };
  return t;
}
