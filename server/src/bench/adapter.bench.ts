/**
 * `npm run bench:adapter`: how many inter-instance messages the socket.io cluster adapter carries.
 * Only one thing crosses instances in Gridline: the relay leader's batches (and stats signals),
 * sent with `serverSideEmit` on the peers namespace; each instance then sends frames to its own
 * sockets. So the adapter's limit is how many batches/s the leader can send to N − 1 peers.
 *
 * For each engine (Redis Streams on a redis-server of the bench's own, PostgreSQL NOTIFY on the
 * bench database) and each instance count (BENCH_ADAPTER_INSTANCES, default 3,6), N processes open
 * the product's adapter link (live-io.adapter.ts); instance 0 sends batches of BENCH_ADAPTER_BATCH
 * (1 and 20) realistic events at a rising rate for 3 s per step; the others count what arrives and
 * how late. The ceiling is the last rate every peer received ≥ 99 % of, with p99 lag ≤ 1 s.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Server } from 'socket.io';
import { PEERS_NAMESPACE } from '../events/event-peers.gateway';
import { postgresLink, redisLink, type ClusterLink } from '../live/live-io.adapter';
import { fmt, freePort, percentile, sql } from './bench-support';

type Engine = 'redis' | 'postgres';
const ENGINES = (process.env.BENCH_ADAPTER_ENGINES ?? 'redis,postgres').split(',') as Engine[];
const INSTANCES = (process.env.BENCH_ADAPTER_INSTANCES ?? '3,6').split(',').map(Number);
const BATCHES = (process.env.BENCH_ADAPTER_BATCH ?? '1,20').split(',').map(Number);
const RATES = [100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600];
const STEP_MS = 3_000;
const GRACE_MS = 2_000;
const MAX_P99_MS = 1_000;

/** One relayed event as the relay sends it (an issue transition: the biggest common payload). */
const sampleEvent = (i: number) => ({
  id: String(1_000_000 + i),
  type: 'issue.transitioned',
  occurredAt: new Date().toISOString(),
  data: {
    seq: 4,
    issueId: 100_000 + i,
    number: `GL-20261205-${String(i).padStart(5, '0')}`,
    status: 'dispatched',
    version: 4,
    title: '小区门口垃圾桶满溢，多日无人清运',
    categoryId: 12,
    priority: 'normal',
    source: 'grid_worker',
    gridId: 311,
    communityId: 58,
    streetId: 7,
    districtId: 1,
    departmentId: 3,
    reporterId: 120,
    assigneeId: null,
    action: 'dispatch',
    fromStatus: 'accepted',
    actorId: 4,
    note: '请环卫所当日处理',
  },
});

type ToInstance = { send: { rate: number; batch: number; ms: number } } | { report: true } | { stop: true };
type FromInstance = { ready: true } | { sent: number } | { received: number; lags: number[] };

/** One instance: the product's adapter link, a socket.io server without an HTTP port, the peers namespace. */
async function instance(engine: Engine, url: string, index: number): Promise<void> {
  const link: ClusterLink = engine === 'redis' ? await redisLink(url) : postgresLink(url);
  const io = new Server({ serveClient: false });
  io.adapter(link.adapter);
  const nsp = io.of(PEERS_NAMESPACE);
  let lags: number[] = [];
  nsp.on('relay', (message: { sentAt: number; events: unknown[] }) => lags.push(Date.now() - message.sentAt));
  const reply = (m: FromInstance) => process.send!(m);
  process.on('message', (m: ToInstance) => {
    if ('send' in m) {
      const { rate, batch, ms } = m.send;
      const events = Array.from({ length: batch }, (_, i) => sampleEvent(i));
      // Paced by the clock, not by the ticks: a late timer (a busy machine) sends what is due.
      const started = Date.now();
      let sent = 0;
      const timer = setInterval(() => {
        const due = Math.floor(((Date.now() - started) * rate) / 1000);
        for (; sent < due; sent++) nsp.serverSideEmit('relay', { sentAt: Date.now(), events });
      }, 10);
      setTimeout(() => {
        clearInterval(timer);
        reply({ sent });
      }, ms);
    } else if ('report' in m) {
      reply({ received: lags.length, lags });
      lags = [];
    } else {
      // The process ends with its connections (closing the link first only makes the adapter log retries).
      process.exit(0);
    }
  });
  // Let the adapter subscribe (Redis XREAD / PostgreSQL LISTEN) before the parent starts sending.
  setTimeout(() => reply({ ready: true }), index === 0 ? 1_000 : 1_500);
}

function nextMessage<T extends FromInstance>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: FromInstance) => {
      if (key in m) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
  });
}

async function startRedis(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .trim() === 'PONG'
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

interface StepResult {
  rate: number;
  sent: number;
  worstShare: number;
  p50: number;
  p99: number;
}

async function run(engine: Engine, url: string, n: number, batch: number): Promise<StepResult[]> {
  const children = Array.from({ length: n }, (_, i) =>
    fork(__filename, ['instance', engine, url, String(i)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const results: StepResult[] = [];
  try {
    await Promise.all(children.map((c) => nextMessage(c, 'ready')));
    const [leader, ...peers] = children;
    for (const rate of RATES) {
      leader!.send({ send: { rate, batch, ms: STEP_MS } } satisfies ToInstance);
      const { sent } = await nextMessage<{ sent: number }>(leader!, 'sent');
      await new Promise((r) => setTimeout(r, GRACE_MS));
      const reports = await Promise.all(
        peers.map((p) => {
          const got = nextMessage<{ received: number; lags: number[] }>(p, 'received');
          p.send({ report: true } satisfies ToInstance);
          return got;
        }),
      );
      leader!.send({ report: true } satisfies ToInstance);
      await nextMessage(leader!, 'received');
      const lags = reports.flatMap((r) => r.lags).sort((a, b) => a - b);
      const worstShare = Math.min(...reports.map((r) => r.received / Math.max(1, sent)));
      // The rate actually sent (timers are late under load), not the one asked for.
      const step = { rate: sent / (STEP_MS / 1000), sent, worstShare, p50: percentile(lags, 50), p99: percentile(lags, 99) };
      results.push(step);
      console.log(
        `  ${engine} ×${n} batch ${batch}: asked ${fmt(rate)}, sent ${fmt(step.rate)} msgs/s (${fmt(step.rate * batch)} events/s) → worst peer got ${(worstShare * 100).toFixed(1)} %, lag p50 ${fmt(step.p50)} ms, p99 ${fmt(step.p99)} ms`,
      );
      if (worstShare < 0.99 || step.p99 > MAX_P99_MS) break;
      // Let a backlog drain before the next step so steps do not bleed into each other.
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    for (const c of children) if (c.connected) c.send({ stop: true } satisfies ToInstance);
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  }
  return results;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  // The PostgreSQL adapter sends large packets through this table (created by a migration in the product).
  await sql(
    databaseUrl,
    `CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)`,
  );
  const redis = ENGINES.includes('redis') ? await startRedis() : null;
  const summary: string[] = [];
  try {
    for (const engine of ENGINES) {
      for (const n of INSTANCES) {
        for (const batch of BATCHES) {
          const steps = await run(engine, engine === 'redis' ? redis!.url : databaseUrl, n, batch);
          const held = steps.filter((s) => s.worstShare >= 0.99 && s.p99 <= MAX_P99_MS).at(-1);
          const ceiling = held
            ? `${fmt(held.rate)} msgs/s = ${fmt(held.rate * batch)} events/s to each of ${n - 1} peers (p99 ${fmt(held.p99)} ms)${held === steps.at(-1) && steps.length === RATES.length ? ' — not reached' : ''}`
            : `below ${RATES[0]} msgs/s`;
          summary.push(`${engine.padEnd(8)} ${String(n).padStart(2)} instances, ${String(batch).padStart(2)} events/batch: ${ceiling}`);
        }
      }
    }
  } finally {
    redis?.stop();
  }
  console.log(`\nAdapter ceiling (last step where every peer got ≥ 99 % with p99 lag ≤ ${MAX_P99_MS} ms; all processes on this machine):`);
  for (const line of summary) console.log(`  ${line}`);
  console.log(
    `\nGridline's need: one batch per relay drain (up to 500 events) plus a stats signal per applied batch — a province at 40 reports/s` +
      ` with ~4 workflow actions per report is ≈ 200 events/s; a drain per commit is the worst case (≈ 200 single-event batches/s).`,
  );
}

if (process.argv[2] === 'instance') {
  void instance(process.argv[3] as Engine, process.argv[4]!, Number(process.argv[5]));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
