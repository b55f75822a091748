/**
 * `npm run bench:pool`: claiming under a 秒杀 burst (ADR 0032).
 *
 * 1. A fresh database with the demo district; the real server as its own process.
 * 2. BENCH_POOL_VOLUNTEERS (2,000) approved volunteers of one community, each with a real session
 *    and token (inserted and signed here: the phone-code sign-in is rate limited per address).
 * 3. Burst on one item: every volunteer claims the same item (quota BENCH_POOL_QUOTA, 10) at once,
 *    at most BENCH_POOL_IN_FLIGHT (64) requests in flight (more only queue for the server's 10 database
 *    connections; past 3 s of waiting a request answers 503 DATABASE_UNAVAILABLE, safe to retry). Claims/s over the whole burst, latency
 *    percentiles per request, and the outcome: exactly `quota` 201s, the rest 409 POOL_FULL, the
 *    database's counter and claim rows agreeing.
 * 4. Burst on 100 items (BENCH_POOL_ITEMS, quota BENCH_POOL_ITEM_QUOTA 5): each volunteer claims one
 *    item picked at random; winners per item = min(quota, claimers), checked item by item.
 * Run it at small scale on a shared machine: BENCH_POOL_VOLUNTEERS=300 npm run bench:pool.
 */
import { createSecretKey } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { JwtService } from '@nestjs/jwt';
import type { LoginResult } from '@gridline/shared';
import { loadConfig } from '../config/app-config';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { DEMO_HOME_COMMUNITY } from '../seed/demo-pool';
import { benchDatabase, fmt, freePort, percentile, sql, startServer, stopServer, withBenchDatabase } from './bench-support';

const env = process.env;
const VOLUNTEERS = Number(env.BENCH_POOL_VOLUNTEERS ?? 2000);
const QUOTA = Number(env.BENCH_POOL_QUOTA ?? 10);
const ITEMS = Number(env.BENCH_POOL_ITEMS ?? 100);
const ITEM_QUOTA = Number(env.BENCH_POOL_ITEM_QUOTA ?? 5);
const IN_FLIGHT = Number(env.BENCH_POOL_IN_FLIGHT ?? 64);

async function call<T>(base: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

interface Shot {
  status: number;
  code?: string;
  ms: number;
}

/** Fires every claim as fast as IN_FLIGHT allows; returns each answer and the wall time of the whole burst. */
async function burst(base: string, claims: { token: string; itemId: number }[]): Promise<{ shots: Shot[]; seconds: number }> {
  const shots: Shot[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      const claim = claims[i];
      if (!claim) return;
      const t0 = performance.now();
      const res = await call<{ code?: string }>(base, `/api/v1/pool/${claim.itemId}/claim`, {}, claim.token);
      shots[i] = { status: res.status, code: res.body.code, ms: performance.now() - t0 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, claims.length) }, worker));
  return { shots, seconds: (performance.now() - started) / 1000 };
}

function report(label: string, shots: Shot[], seconds: number): void {
  const ms = shots.map((s) => s.ms).sort((a, b) => a - b);
  const counts = shots.reduce<Record<string, number>>((acc, s) => {
    const key = `${s.status}${s.code ? ` ${s.code}` : ''}`;
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});
  console.log(
    `${label.padEnd(22)} | ${String(shots.length).padStart(6)} | ${fmt(shots.length / seconds).padStart(9)} | ${fmt(percentile(ms, 50)).padStart(6)} | ${fmt(percentile(ms, 99)).padStart(6)} | ${fmt(ms.at(-1) ?? NaN).padStart(6)} | ${JSON.stringify(counts)}`,
  );
}

async function main(): Promise<void> {
  await withBenchDatabase('pool', async (dbUrl) => {
    let server: ChildProcess | undefined;
    let failed = false;
    try {
      await prepareDatabase(benchDatabase(dbUrl), { seed: true });
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      server = await startServer(dbUrl, port);
      const config = loadConfig({ ...env, DATABASE_URL: dbUrl, NODE_ENV: 'development' });
      const jwt = new JwtService({
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
        signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
      });

      const [home] = await sql<{ id: number }>(dbUrl, `SELECT id FROM regions WHERE code = $1`, [DEMO_HOME_COMMUNITY]);
      const volunteers = await sql<{ user_id: number; sid: string; ver: number }>(
        dbUrl,
        `WITH u AS (
         INSERT INTO users (username, display_name, password_hash, role, created_at)
         SELECT 'bench_vol_' || g, '群众', '!', 'volunteer', now() FROM generate_series(1, $1) g RETURNING id, token_version
       ), v AS (
         INSERT INTO volunteers (user_id, name, community_id, status, registered_at, approved_at, updated_at)
         SELECT id, '压测志愿者', $2, 'approved', now(), now(), now() FROM u
       ), s AS (
         INSERT INTO user_sessions (user_id, created_at, last_seen_at, ip, user_agent)
         SELECT id, now(), now(), '127.0.0.1', 'pool-bench' FROM u RETURNING id, user_id
       )
       SELECT s.user_id, s.id::text AS sid, u.token_version AS ver FROM s JOIN u ON u.id = s.user_id ORDER BY s.user_id`,
        [VOLUNTEERS, home!.id],
      );
      const tokens = await Promise.all(volunteers.map((v) => jwt.signAsync({ sub: v.user_id, sid: v.sid, ver: v.ver })));
      const login = await call<LoginResult>(base, '/api/v1/auth/login', { username: 'dispatcher_s1', password: DEMO_PASSWORD });
      const staff = login.body.accessToken;
      const open = async (quota: number): Promise<number> => {
        const created = await call<{ id: number }>(
          base,
          '/api/v1/pool',
          { kind: 'wish', title: '压测心愿', description: '秒杀', communityId: home!.id, quota },
          staff,
        );
        await call(base, `/api/v1/pool/${created.body.id}/publish`, {}, staff);
        return created.body.id;
      };

      console.log(
        `\nPool claim bench: ${VOLUNTEERS} volunteers, ${IN_FLIGHT} in flight; ${cpus().length} cores, load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      console.log(`${'burst'.padEnd(22)} | claims | claims/s  | p50 ms | p99 ms | max ms | answers`);
      // Warm the routes (JIT, prepared plans) on a throwaway item.
      const warm = await open(1);
      await burst(
        base,
        tokens.slice(0, 20).map((token) => ({ token, itemId: warm })),
      );

      const one = await open(QUOTA);
      const single = await burst(
        base,
        tokens.map((token) => ({ token, itemId: one })),
      );
      report(`1 item, quota ${QUOTA}`, single.shots, single.seconds);
      const [db1] = await sql<{ counter: number; claims: number }>(
        dbUrl,
        `SELECT claimed_count AS counter, (SELECT count(*)::int FROM pool_claims WHERE item_id = $1 AND status = 'active') AS claims FROM pool_items WHERE id = $1`,
        [one],
      );
      const wins1 = single.shots.filter((s) => s.status === 201).length;
      const full1 = single.shots.filter((s) => s.code === 'POOL_FULL').length;
      const unknown1 = single.shots.filter((s) => s.status === 503).length;
      const ok1 =
        db1!.claims === Math.min(QUOTA, VOLUNTEERS) &&
        db1!.counter === db1!.claims &&
        wins1 <= db1!.claims &&
        db1!.claims <= wins1 + unknown1;
      console.log(
        `  秒杀 check: ${wins1} winners (quota ${QUOTA}), ${full1} POOL_FULL, database counter ${db1!.counter}, claim rows ${db1!.claims} → ${ok1 ? 'OK' : 'FAILED'}`,
      );

      const items: number[] = [];
      for (let i = 0; i < ITEMS; i++) items.push(await open(ITEM_QUOTA));
      const picks = tokens.map((token) => ({ token, itemId: items[Math.floor(Math.random() * items.length)]! }));
      const many = await burst(base, picks);
      report(`${ITEMS} items, quota ${ITEM_QUOTA}`, many.shots, many.seconds);
      const rows = await sql<{ id: number; counter: number; claims: number }>(
        dbUrl,
        `SELECT p.id, p.claimed_count AS counter, (SELECT count(*)::int FROM pool_claims c WHERE c.item_id = p.id AND c.status = 'active') AS claims
         FROM pool_items p WHERE p.id = ANY($1::int[])`,
        [items],
      );
      const wanted = new Map<number, number>();
      for (const p of picks) wanted.set(p.itemId, (wanted.get(p.itemId) ?? 0) + 1);
      const bad = rows.filter((r) => r.counter !== r.claims || r.claims !== Math.min(ITEM_QUOTA, wanted.get(r.id) ?? 0));
      const wins2 = many.shots.filter((s) => s.status === 201).length;
      // A 503 (no database connection within 3 s) may come after the claim committed: the database is the truth, a retry answers 200.
      const unknown2 = many.shots.filter((s) => s.status === 503).length;
      const held = rows.reduce((n, r) => n + r.claims, 0);
      const ok2 = bad.length === 0 && wins2 <= held && held <= wins2 + unknown2;
      console.log(
        `  秒杀 check: ${held} slots held over ${ITEMS} items (${wins2} answered 201, ${unknown2} answered 503), every item min(quota, claimers) and counter = claim rows → ${ok2 ? 'OK' : `FAILED (${bad.length} items off)`}`,
      );
      console.log(
        `  load after: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      failed = !ok1 || !ok2;
    } finally {
      await stopServer(server);
    }
    if (failed) process.exitCode = 1;
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
