/**
 * `npm run bench:sla-rounds`: is setup B's SLA catch-up faster than setup A's, beyond the noise?
 *
 * This machine kind's speed drifts by ±20 % over minutes, and `bench:sla` runs one catch-up: two
 * runs of it cannot tell a 5 % change from the drift. Here both setups run on one database, in
 * alternating rounds (A B B A A B …), so each pair of neighbouring rounds sees the same machine.
 *
 * 1. A fresh database with the demo district and BENCH_SLA_CLOCKS (1,000,000) open clocks.
 * 2. BENCH_SLA_ROUNDS (8) rounds of each setup. Before a round: its setup's SQL
 *    (BENCH_SLA_A_SQL / BENCH_SLA_B_SQL, e.g. DDL that swaps a constraint; none by default),
 *    BENCH_SLA_ROUND_DUE (20,000) breaches made due at once, and a CHECKPOINT, so that every round
 *    starts with the same WAL state. Then BENCH_SLA_SWEEPERS (2) sweepers drain them, in batches of
 *    BENCH_SLA_A_BATCH / BENCH_SLA_B_BATCH (2,000).
 * 3. Per round: breaches/s and PostgreSQL's CPU per firing (/proc). At the end: each setup's
 *    medians, B ÷ A per pair of neighbouring rounds, and in how many pairs B was faster.
 *
 * With neither setup given, A and B are the same: the printed spread is the bench's own noise.
 */
import type { Pool } from 'pg';
import { cpuSplit, fmt } from './bench-support';
import { drain, makeBreachesDue, withFilledDatabase } from './sla-bench-support';

const env = process.env;
const CLOCKS = Number(env.BENCH_SLA_CLOCKS ?? 1_000_000);
const DUE = Number(env.BENCH_SLA_ROUND_DUE ?? 20_000);
const ROUNDS = Number(env.BENCH_SLA_ROUNDS ?? 8);
const SWEEPERS = Number(env.BENCH_SLA_SWEEPERS ?? 2);

interface Setup {
  name: 'A' | 'B';
  sql: string;
  batch: number;
}
const SETUPS: Record<'A' | 'B', Setup> = {
  A: { name: 'A', sql: env.BENCH_SLA_A_SQL ?? '', batch: Number(env.BENCH_SLA_A_BATCH ?? 2000) },
  B: { name: 'B', sql: env.BENCH_SLA_B_SQL ?? '', batch: Number(env.BENCH_SLA_B_BATCH ?? 2000) },
};

interface Round {
  setup: 'A' | 'B';
  rate: number;
  cpuUs: number | null;
}

/** A B B A A B B A …: each setup runs as often first as second in a pair. */
const setupOfRound = (i: number): Setup => (i % 4 === 0 || i % 4 === 3 ? SETUPS.A : SETUPS.B);

async function main(): Promise<void> {
  await withFilledDatabase('sla-rounds', CLOCKS, SWEEPERS + 1, async (pool) => {
    console.log(`A: ${SETUPS.A.sql || '(as is)'}, batch ${SETUPS.A.batch}`);
    console.log(`B: ${SETUPS.B.sql || '(as is)'}, batch ${SETUPS.B.batch}`);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS * 2; i++) rounds.push(await round(pool, setupOfRound(i), i));
    report(rounds);
  });
}

async function round(pool: Pool, setup: Setup, i: number): Promise<Round> {
  if (setup.sql) await pool.query(setup.sql);
  await makeBreachesDue(pool, DUE);
  await pool.query('CHECKPOINT');
  const cpu = cpuSplit([]);
  const t0 = process.hrtime.bigint();
  const fired = (await Promise.all(Array.from({ length: SWEEPERS }, () => drain(pool, setup.batch)))).reduce((a, b) => a + b, 0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (fired !== DUE) throw new Error(`round ${i + 1}: ${fired} fired, ${DUE} were due`);
  const split = cpu(fired);
  const cpuUs = split ? split.rest * 1000 : null;
  console.log(
    `round ${String(i + 1).padStart(2)} ${setup.name}: ${fmt(fired / seconds)} breaches/s` +
      (cpuUs === null ? '' : `, PostgreSQL ${cpuUs.toFixed(0)} µs per firing (cores busy ${Math.round(split!.busyShare * 100)} %)`),
  );
  return { setup: setup.name, rate: fired / seconds, cpuUs };
}

function report(rounds: Round[]): void {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const of = (name: 'A' | 'B') => rounds.filter((r) => r.setup === name);
  for (const name of ['A', 'B'] as const) {
    const cpu = of(name).flatMap((r) => (r.cpuUs === null ? [] : [r.cpuUs]));
    console.log(
      `${name}: median ${fmt(median(of(name).map((r) => r.rate)))} breaches/s` +
        (cpu.length ? `, ${median(cpu).toFixed(0)} µs per firing` : ''),
    );
  }
  // Rounds 1–2, 3–4, …: one A and one B each, next to each other in time.
  const ratios: number[] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) {
    const [a, b] = rounds[i]!.setup === 'A' ? [rounds[i]!, rounds[i + 1]!] : [rounds[i + 1]!, rounds[i]!];
    ratios.push(b.rate / a.rate);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(
    `B ÷ A in ${ratios.length} pairs of neighbouring rounds: median ${median(ratios).toFixed(3)}, ` +
      `range ${sorted[0]!.toFixed(3)}–${sorted[sorted.length - 1]!.toFixed(3)}; B faster in ${ratios.filter((r) => r > 1).length} of ${ratios.length}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
