/**
 * `npm run bench:webhooks`: outbound webhook delivery.
 *
 * 1. A fresh database with the demo district; the real server as its own process; a receiver
 *    (plain Node http, 204) in this process on 127.0.0.1.
 * 2. Throughput: with 1 and with 10 subscriptions, BENCH_WEBHOOK_EVENTS (1,000) events are
 *    committed to the event outbox at once (as producers write them); timed until the receiver has
 *    every delivery. This is the whole path: relay → fan-out rows → claim → signed POST → record.
 * 3. Lag under load: one subscription to issue.reported, reports through the REST API at
 *    BENCH_WEBHOOK_RATE (200/s) for BENCH_SECONDS (10 s), open loop. Lag = arrival at the receiver −
 *    the event's `timestamp` (the report transaction's clock): commit → relay → delivery → receiver.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type { CategoryView, LoginResult, RegionView } from '@gridline/shared';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { benchDatabase, fmt, freePort, openLoop, percentile, sql, startServer, stopServer, withBenchDatabase } from './bench-support';

const env = process.env;
const EVENTS = Number(env.BENCH_WEBHOOK_EVENTS ?? 1000);
const RATE = Number(env.BENCH_WEBHOOK_RATE ?? 200);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const MAX_IN_FLIGHT = 256;

interface Arrival {
  id: string;
  at: number;
  body: { type: string; timestamp: string; data: { issueId?: number } };
}

/** The receiver: answers 204 at once and keeps what arrived. */
async function startReceiver(): Promise<{ url: string; arrivals: Arrival[]; close(): Promise<void> }> {
  const arrivals: Arrival[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals.push({ id: String(req.headers['webhook-id']), at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

async function call<T>(base: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function waitFor(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  await withBenchDatabase('webhooks', async (dbUrl) => {
    let server: ChildProcess | undefined;
    const receiver = await startReceiver();
    try {
      await prepareDatabase(benchDatabase(dbUrl), { seed: true });
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      server = await startServer(dbUrl, port);
      const login = (username: string) => call<LoginResult>(base, 'POST', '/api/v1/auth/login', { username, password: DEMO_PASSWORD });
      const admin = (await login('admin')).accessToken;
      const [grid] = await sql<{ id: number }>(dbUrl, `SELECT id FROM regions WHERE level = 'grid' ORDER BY id LIMIT 1`);

      console.log(
        `\nWebhook delivery (${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}; a shared machine: figures are pessimistic)`,
      );
      console.log('\nThroughput: events committed to the outbox at once, until the receiver has every delivery');
      console.log('subscriptions | events | deliveries | seconds | deliveries/s | events/s');
      for (const subscriptions of [1, 10]) {
        const ids: number[] = [];
        for (let i = 0; i < subscriptions; i++) {
          const w = await call<{ id: number }>(
            base,
            'POST',
            '/api/v1/admin/webhooks',
            { name: `bench ${i}`, url: receiver.url, events: ['issue.*'] },
            admin,
          );
          ids.push(w.id);
        }
        receiver.arrivals.length = 0;
        const t0 = Date.now();
        await sql(
          dbUrl,
          `INSERT INTO event_outbox (type, occurred_at, data)
         SELECT 'issue.reported', now(), jsonb_build_object('issueId', 1000000 + n, 'number', 'B' || n, 'seq', 1, 'gridId', $2::int)
           FROM generate_series(1, $1::int) n`,
          [EVENTS, grid!.id],
        );
        // as a producer's instance does after its commit: wake the relays
        await sql(dbUrl, `SELECT pg_notify('gridline_events', '')`);
        const want = EVENTS * subscriptions;
        await waitFor(`${want} deliveries`, () => receiver.arrivals.length >= want, 600_000);
        const seconds = (Date.now() - t0) / 1000;
        console.log(
          `${String(subscriptions).padStart(13)} | ${String(EVENTS).padStart(6)} | ${String(want).padStart(10)} | ${seconds.toFixed(2).padStart(7)} | ${fmt(want / seconds).padStart(12)} | ${fmt(EVENTS / seconds).padStart(8)}`,
        );
        for (const id of ids) await call(base, 'DELETE', `/api/v1/admin/webhooks/${id}`, undefined, admin);
      }

      // Lag under a report load.
      await call(base, 'POST', '/api/v1/admin/webhooks', { name: 'bench lag', url: receiver.url, events: ['issue.reported'] }, admin);
      receiver.arrivals.length = 0;
      const dispatcher = (await login('dispatcher')).accessToken;
      const regions = await call<RegionView[]>(base, 'GET', '/api/v1/regions', undefined, dispatcher);
      const workers = await Promise.all(regions.filter((r) => r.level === 'community').map((c) => login(`gw_${c.code.toLowerCase()}`)));
      const categories = await call<CategoryView[]>(base, 'GET', '/api/v1/categories', undefined, dispatcher);
      const category = categories.find((c) => c.parentId !== null && !c.photoRequiredOnReport)!;
      const reported = new Set<number>();
      const start = Date.now();
      const { errors, skipped } = await openLoop(
        RATE,
        SECONDS,
        async (k) => {
          const w = workers[k % workers.length]!;
          const issue = await call<{ id: number }>(
            base,
            'POST',
            '/api/v1/issues',
            { categoryId: category.id, gridId: w.user.gridIds[0], description: `webhook bench ${k}` },
            w.accessToken,
          );
          reported.add(issue.id);
          return true;
        },
        MAX_IN_FLIGHT,
      );
      const sentSeconds = (Date.now() - start) / 1000;
      const arrivedFor = () =>
        new Set(receiver.arrivals.filter((a) => reported.has(a.body.data.issueId ?? -1)).map((a) => a.body.data.issueId));
      await waitFor('every report delivered', () => arrivedFor().size >= reported.size, 120_000);
      const lags = receiver.arrivals
        .filter((a) => a.body.type === 'issue.reported' && reported.has(a.body.data.issueId ?? -1))
        .map((a) => a.at - Date.parse(a.body.timestamp))
        .sort((a, b) => a - b);
      console.log(
        `\nLag under load: ${reported.size} reports at ${fmt(reported.size / sentSeconds)}/s (asked ${RATE}/s; ${errors} errors, ${skipped} skipped at ${MAX_IN_FLIGHT} in flight)`,
      );
      console.log('commit → receiver, ms | p50 | p95 | p99 | max');
      console.log(
        `                      | ${fmt(percentile(lags, 50))} | ${fmt(percentile(lags, 95))} | ${fmt(percentile(lags, 99))} | ${fmt(lags[lags.length - 1] ?? NaN)}`,
      );
    } finally {
      await stopServer(server);
      await receiver.close();
    }
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
