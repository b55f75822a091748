import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { LoginResult, UserView } from '@gridline/shared';
import { runPrefix, templateName, urlFor, withAdmin } from '../support/test-db';
import { Instances, requestJson, sleep, startNginx, startRedis, until, Wall } from './cluster-support';

/**
 * Three real server processes on one PostgreSQL and a Redis of their own, behind a real nginx
 * (sticky by client address, websocket upgrade): what a city's deployment does, on loopback.
 * `npm run test:cluster` (scripts/ensure-cluster-tools.mjs installs nginx and redis-server first).
 */
jest.setTimeout(240_000);

const database = `${runPrefix()}_cluster`;
const cleanups: (() => unknown)[] = [];
let instances: Instances;
let nginx: { url: string; port: number; stop(): void };
let db: Client;
let viewer: LoginResult;
let worker: LoginResult;
let report: { categoryId: number; gridId: number };
const walls: Wall[] = [];

beforeAll(async () => {
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}" TEMPLATE "${templateName()}"`));
  cleanups.push(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)));
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const { freePort } = await import('./cluster-support');
  const ports = [await freePort(), await freePort(), await freePort()];
  instances = new Instances(ports, {
    DATABASE_URL: urlFor(database),
    REDIS_URL: redis.url,
    SLA_SWEEP_MS: '200',
    SHUTDOWN_DELAY_MS: '300',
    SHUTDOWN_GRACE_MS: '10000',
    DATABASE_POOL_SIZE: '8',
  });
  cleanups.push(() => instances.stopAll());
  // All three at once: the migration lock lets them take turns on the schema.
  await Promise.all([0, 1, 2].map((i) => instances.start(i)));
  nginx = await startNginx(ports);
  cleanups.push(() => nginx.stop());
  db = new Client({ connectionString: urlFor(database) });
  await db.connect();
  cleanups.push(() => db.end());

  const login = async (username: string) => {
    const res = await requestJson<LoginResult>(nginx.url, 'POST', '/api/v1/auth/login', { body: { username, password: 'demo1234' } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    return res.body;
  };
  viewer = await login('viewer');
  worker = await login('worker1');
  const me = (await requestJson<UserView>(nginx.url, 'GET', '/api/v1/me', { token: worker.accessToken })).body;
  const { rows } = await db.query<{ id: number }>(
    'SELECT id FROM categories WHERE parent_id IS NOT NULL AND NOT photo_required_on_report ORDER BY id LIMIT 1',
  );
  report = { categoryId: rows[0]!.id, gridId: me.gridIds[0]! };
});

afterAll(async () => {
  for (const w of walls) w.close();
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

const regionId = () => viewer.user.regionId!;

async function reportedInDb(): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM issues WHERE district_id = $1', [regionId()]);
  return rows[0]!.n;
}

/** Sockets each instance holds, from its own /metrics. */
async function socketsPerInstance(): Promise<number[]> {
  return Promise.all(
    instances.ports.map(async (port, i) => {
      if (!instances.procs[i]) return 0;
      const res = await requestJson<string>(`http://127.0.0.1:${port}`, 'GET', '/metrics');
      const line = String(res.body)
        .split('\n')
        .find((l) => l.startsWith('gridline_live_sockets_connected '));
      return Number(line?.split(' ')[1] ?? 0);
    }),
  );
}

async function metricSum(name: string): Promise<number> {
  let sum = 0;
  for (const [i, port] of instances.ports.entries()) {
    if (!instances.procs[i]) continue;
    const text = String((await requestJson<string>(`http://127.0.0.1:${port}`, 'GET', '/metrics')).body);
    for (const line of text.split('\n')) if (line.startsWith(name) && !line.startsWith('#')) sum += Number(line.split(' ').pop());
  }
  return sum;
}

/** Every wall shows the database's count of reports (within `ms`). */
async function wallsConverge(ms: number): Promise<void> {
  await until(
    async () => {
      const truth = await reportedInDb();
      return walls.every((w) => w.stats?.total.reported === truth);
    },
    'every wall to show the database count',
    ms,
  );
}

/**
 * A report load through nginx from several source addresses (so it spreads over the instances):
 * each report has its Idempotency-Key and is retried, like the phone's outbox, until acknowledged.
 */
function startLoad(workers: number, pauseMs: number) {
  const acknowledged = new Map<string, number>();
  const errors: string[] = [];
  let attempts = 0;
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running) {
      const key = randomUUID();
      for (let tries = 0; ; tries++) {
        attempts++;
        const res = await requestJson<{ id: number }>(nginx.url, 'POST', '/api/v1/issues', {
          token: worker.accessToken,
          localAddress: `127.0.0.${100 + w}`,
          headers: { 'Idempotency-Key': key },
          body: { ...report, title: `负载 ${w}`, description: '集群测试负载上报' },
        }).catch((err: Error) => ({ status: 0, body: { id: 0, error: err.message } }));
        if (res.status === 201 || res.status === 200) {
          acknowledged.set(key, res.body.id);
          break;
        }
        errors.push(`${res.status}`);
        if (tries > 100) throw new Error(`report ${key} never acknowledged: ${JSON.stringify(res.body)}`);
        await sleep(100);
      }
      await sleep(pauseMs);
    }
  });
  return {
    acknowledged,
    errors,
    attempts: () => attempts,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function expectAllInDb(acknowledged: Map<string, number>): Promise<void> {
  const ids = [...acknowledged.values()];
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM issues WHERE id = ANY($1::int[])', [ids]);
  expect(rows[0]!.n).toBe(ids.length);
  expect(new Set(ids).size).toBe(ids.length);
}

it('spreads walls over all three instances through nginx', async () => {
  for (let a = 10; a < 40; a++) {
    walls.push(Wall.open(nginx.url, viewer.accessToken, regionId(), `127.0.0.${a}`));
  }
  await until(() => walls.every((w) => w.stats !== null), 'every wall subscribed', 60_000);
  const perInstance = await socketsPerInstance();
  expect(perInstance.reduce((a, b) => a + b, 0)).toBe(walls.length);
  for (const n of perInstance) expect(n).toBeGreaterThan(0);
});

it('a report through any instance reaches the walls on every instance', async () => {
  for (const port of instances.ports) {
    const res = await requestJson<{ id: number }>(`http://127.0.0.1:${port}`, 'POST', '/api/v1/issues', {
      token: worker.accessToken,
      body: { ...report, title: `经实例 ${port} 上报`, description: '集群测试' },
    });
    expect(res.status).toBe(201);
    await until(
      () => walls.every((w) => w.issueFrames.some((f) => f.issueId === res.body.id)),
      `issue ${res.body.id} on every wall`,
      15_000,
    );
  }
  await wallsConverge(10_000);
});

it('fires each SLA rung exactly once with three sweepers', async () => {
  const { rows: issues } = await db.query<{ id: number }>(
    `SELECT id FROM issues WHERE district_id = $1 AND status = 'reported' ORDER BY id DESC LIMIT 3`,
    [regionId()],
  );
  const ids = issues.map((r) => r.id);
  const framesOf = (w: Wall, action: string) => w.issueFrames.filter((f) => ids.includes(f.issueId) && f.action === action).length;
  for (const [level, action] of [
    ['warning', 'sla.warning'],
    ['breach', 'sla.breached'],
  ] as const) {
    const before = await metricSum(`gridline_sla_firings_total{level="${level}"}`);
    const { rowCount } = await db.query(
      `UPDATE sla_timers SET fire_at = now() - interval '1 second'
        WHERE level = $2 AND clock_id IN (SELECT id FROM sla_clocks WHERE issue_id = ANY($1::int[]) AND stopped_at IS NULL)`,
      [ids, level],
    );
    expect(rowCount).toBeGreaterThan(0);
    await until(() => walls.every((w) => framesOf(w, action) >= rowCount!), `${action} frames on every wall`, 15_000);
    await sleep(1500); // three sweepers at 200 ms: a second firing would have happened by now
    for (const w of walls) expect(framesOf(w, action)).toBe(rowCount);
    expect((await metricSum(`gridline_sla_firings_total{level="${level}"}`)) - before).toBe(rowCount);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sla_firings f JOIN sla_clocks c ON c.id = f.clock_id WHERE c.issue_id = ANY($1::int[]) AND f.level = $2`,
      [ids, level],
    );
    expect(rows[0]!.n).toBe(rowCount);
  }
});

it('kill -9 of one instance under load loses no acknowledged report; its walls reconnect and converge within 10 s', async () => {
  const victim = (await socketsPerInstance()).findIndex((n) => n > 0);
  const connectsBefore = walls.map((w) => w.connects);
  const load = startLoad(6, 20);
  await sleep(2000);
  await instances.kill(victim);
  const killedAt = Date.now();
  await sleep(3000);
  await load.stop();
  expect(load.acknowledged.size).toBeGreaterThan(20);
  await expectAllInDb(load.acknowledged);

  // The killed instance's walls came back through nginx, on the two others, and show the database's numbers.
  await wallsConverge(Math.max(1000, 10_000 - (Date.now() - killedAt)));
  expect(walls.some((w, i) => w.connects > connectsBefore[i]!)).toBe(true);
  const perInstance = await socketsPerInstance();
  expect(perInstance[victim]).toBe(0);
  expect(perInstance.reduce((a, b) => a + b, 0)).toBe(walls.length);

  await instances.start(victim);
});

it('a rolling restart of all three under load loses nothing', async () => {
  const load = startLoad(6, 20);
  await sleep(1000);
  for (const i of [0, 1, 2]) {
    expect(await instances.terminate(i)).toBe(0);
    await instances.start(i);
    await sleep(500);
  }
  await sleep(1000);
  await load.stop();
  expect(load.acknowledged.size).toBeGreaterThan(20);
  await expectAllInDb(load.acknowledged);
  await wallsConverge(10_000);
  expect((await socketsPerInstance()).reduce((a, b) => a + b, 0)).toBe(walls.length);
});
