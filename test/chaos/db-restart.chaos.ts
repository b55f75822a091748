import { Client } from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '../../server/src/config/app-config';
import { createApp } from '../../server/src/create-app';
import { ApiClient } from '../support/api-client';
import { loadCast } from '../support/fixtures';
import { startOwnPostgres, type OwnPostgres } from './own-postgres';
import { reportLoad } from './report-load';

/**
 * PostgreSQL stopped and started under a report load while the server keeps running: requests
 * during the outage fail fast with 503 DATABASE_UNAVAILABLE (no 500, no hang), the server
 * reconnects by itself, and every acknowledged report is in the database exactly once with its
 * audit event.
 */
const OUTAGE_MS = 3000;
let pg: OwnPostgres;
let app: NestFastifyApplication;
let uploadDir: string;

beforeAll(async () => {
  pg = await startOwnPostgres();
  uploadDir = mkdtempSync(join(tmpdir(), 'gridline-chaos-up-'));
  app = await createApp(
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: pg.url, UPLOAD_DIR: uploadDir, LOG_LEVEL: 'error', SEED_DEMO: 'false', PORT: '0' }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await pg?.destroy();
  rmSync(uploadDir, { recursive: true, force: true });
});

test('a PostgreSQL restart under load: fail fast with 503, reconnect, nothing lost or doubled', async () => {
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = new ApiClient(baseUrl);
  const cast = await loadCast(api);
  const load = reportLoad({
    baseUrl: () => baseUrl,
    token: cast.tokens.worker1!,
    body: { categoryId: cast.category.id, gridId: cast.gridId, description: '数据库重启期间的上报' },
    workers: 6,
  });
  await new Promise((r) => setTimeout(r, 2000));
  const down = Date.now();
  await pg.stop();
  const stopped = Date.now();
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  await pg.start();
  const up = Date.now();
  // Recovered: the first acknowledged report sent after PostgreSQL is back.
  let recoveredAt = 0;
  for (let i = 0; i < 300 && !recoveredAt; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const res = await api.get('/api/v1/me', cast.tokens.worker1);
    if (res.status === 200) recoveredAt = Date.now();
  }
  await new Promise((r) => setTimeout(r, 2000));
  const result = await load.stop();

  const during = result.seen.filter((s) => s.at >= stopped && s.at < up);
  const failedFast = during.filter((s) => s.status === 503 && s.code === 'DATABASE_UNAVAILABLE');
  const other = result.seen.filter((s) => s.status !== 201 && s.status !== 200 && !(s.status === 503 && s.code === 'DATABASE_UNAVAILABLE'));
  const slowest = Math.max(0, ...during.map((s) => s.ms));

  const sql = new Client({ connectionString: pg.url });
  await sql.connect();
  const keys = [...result.acked.keys()];
  const { rows } = await sql.query<{ key: string; id: number; n: string; events: string }>(
    `SELECT i.idempotency_key AS key, i.id, count(*) OVER (PARTITION BY i.idempotency_key) AS n,
            (SELECT count(*) FROM issue_events e WHERE e.issue_id = i.id) AS events
       FROM issues i WHERE i.idempotency_key LIKE 'chaos-%'`,
  );
  await sql.end();
  const stored = new Map(rows.map((r) => [r.key, r]));
  const lost = keys.filter((k) => stored.get(k)?.id !== result.acked.get(k));
  const duplicated = rows.filter((r) => Number(r.n) > 1).length;
  const withoutEvent = rows.filter((r) => Number(r.events) === 0).length;

  process.stdout.write(
    `\nPostgreSQL restart under load: ${result.seen.length} requests, ${keys.length} reports acknowledged; ` +
      `stop took ${stopped - down} ms, outage ${OUTAGE_MS} ms; ${during.length} requests during the outage, ` +
      `${failedFast.length} failed fast with 503 DATABASE_UNAVAILABLE (slowest ${slowest} ms); ` +
      `recovered ${recoveredAt - up} ms after PostgreSQL was back; lost ${lost.length}, duplicated ${duplicated}, ` +
      `without audit event ${withoutEvent}, unacknowledged at the end ${result.pending.length}, other answers ${JSON.stringify(other.slice(0, 5))}\n`,
  );
  expect(failedFast.length).toBeGreaterThan(0);
  expect(other).toEqual([]);
  expect(slowest).toBeLessThan(5000);
  expect(recoveredAt).toBeGreaterThan(0);
  expect(result.pending).toEqual([]);
  expect({ lost, duplicated, withoutEvent }).toEqual({ lost: [], duplicated: 0, withoutEvent: 0 });
  // Stored rows that nobody acknowledged would be fine only if a retry later acknowledged them: all are.
  expect(rows.length).toBe(keys.length);
}, 180_000);
