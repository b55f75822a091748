/**
 * `npm run bench:sla`: is the SLA sweep's cost proportional to what is due, not to what is open?
 *
 * 1. A fresh database with the demo district, then BENCH_SLA_CLOCKS (default 1,000,000) open
 *    issues, each with a running clock and its pending timer spread over the next 30 days
 *    (set-based SQL, generate_series).
 * 2. Idle tick: the sweep statement, nothing due, BENCH_SLA_TICKS times; median and p99.
 * 3. Catch-up: BENCH_SLA_DUE (default 100,000) breaches made due at once, then swept by
 *    BENCH_SLA_SWEEPERS (default 2) concurrent sweepers in batches of BENCH_SLA_BATCH (2,000)
 *    until none is left; clocks/s, and a check that each fired exactly once.
 * 4. Reference, measured in the same run: the bare inserts a firing must make (one audit event
 *    and one supervision per clock) for the same number of rows, as one statement each.
 * 5. EXPLAIN (ANALYZE, BUFFERS) of the sweep statement, idle and with a batch due (rolled back).
 * 6. Where the cores went (/proc): PostgreSQL's CPU per firing and per reference row pair. The
 *    sweepers run on every core and the reference on one, so their rates compare machines' core
 *    counts as much as statements; the CPU per row does not.
 * Targets (issue 3, this 2-core machine): idle tick ≤ 50 ms, catch-up ≥ 20,000 clocks/s.
 */
import { Pool } from 'pg';
import { CLOCK_COLUMNS, fromRow, toRecord, type ClockRow } from '../sla/clock-rows';
import { startClock, stopClock, type Measure } from '../sla/clock-state';
import { TRANSITION_WRITE_SQL } from '../sla/clock-writes.sql';
import { SWEEP_SQL } from '../sla/sweep.sql';
import { cpuSplit, type CpuPerRequest } from './bench-support';
import { drain, makeBreachesDue, withFilledDatabase } from './sla-bench-support';

const CLOCKS = Number(process.env.BENCH_SLA_CLOCKS ?? 1_000_000);
const DUE = Number(process.env.BENCH_SLA_DUE ?? 100_000);
const TICKS = Number(process.env.BENCH_SLA_TICKS ?? 50);
const SWEEPERS = Number(process.env.BENCH_SLA_SWEEPERS ?? 2);
const BATCH = Number(process.env.BENCH_SLA_BATCH ?? 2000);

async function main(): Promise<void> {
  await withFilledDatabase('sla', CLOCKS, SWEEPERS + 1, async (pool) => {
    const c = await pool.connect();
    try {
      const open = await one(c, `SELECT count(*)::int AS n FROM sla_clocks WHERE stopped_at IS NULL`);
      const pending = await one(c, `SELECT count(*)::int AS n FROM sla_timers`);
      console.log(`open clocks: ${fmt(open)}, pending timers: ${fmt(pending)}`);

      // Idle: what every tick of every instance costs when nothing is due.
      await c.query({ name: 'sweep', text: SWEEP_SQL, values: [0, BATCH] }); // prepare + warm
      const idle: number[] = [];
      for (let i = 0; i < TICKS; i++) {
        const t0 = process.hrtime.bigint();
        const r = await c.query({ name: 'sweep', text: SWEEP_SQL, values: [0, BATCH] });
        idle.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.rowCount) throw new Error('something fired in the idle run');
      }
      idle.sort((a, b) => a - b);
      console.log(
        `\nidle sweep tick (${TICKS} runs, nothing due): median ${idle[Math.floor(TICKS / 2)]!.toFixed(2)} ms, p99 ${idle[Math.floor(TICKS * 0.99)]!.toFixed(2)} ms (target ≤ 50 ms)`,
      );
      console.log('\nEXPLAIN (ANALYZE, BUFFERS), idle:');
      console.log(await explain(c));
      console.log(
        "\nEXPLAIN (ANALYZE, BUFFERS) of a transition's clock write (accept: stop the accept clock, start dispatch), rolled back:",
      );
      console.log(await explainTransition(c));

      await makeBreachesDue(c, DUE);
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS), ${fmt(BATCH)} due (rolled back):`);
      console.log(await explain(c));
    } finally {
      c.release();
    }

    const before = await counts(pool);
    const walBefore = await walStats(pool);
    const cpu = cpuSplit([]);
    const t0 = process.hrtime.bigint();
    const fired = await Promise.all(Array.from({ length: SWEEPERS }, () => drain(pool, BATCH)));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const sweepCpu = cpu(DUE);
    const after = await counts(pool);
    const walAfter = await walStats(pool);
    const total = fired.reduce((a, b) => a + b, 0);
    const rate = total / seconds;
    console.log(
      `\ncatch-up: ${fmt(total)} breaches in ${seconds.toFixed(2)} s by ${SWEEPERS} sweepers (batch ${fmt(BATCH)}): ${fmt(rate)} clocks/s (target ≥ 20,000)`,
    );
    const delta = {
      firings: after.firings - before.firings,
      events: after.events - before.events,
      supervisions: after.supervisions - before.supervisions,
    };
    const exact = delta.firings === DUE && delta.events === DUE && delta.supervisions === DUE && after.due === 0;
    console.log(`  written: ${JSON.stringify(delta)}, still due: ${after.due} → ${exact ? 'each fired exactly once' : 'MISMATCH'}`);
    console.log(
      `  WAL meanwhile: ${fmt((walAfter.bytes - walBefore.bytes) / 2 ** 20)} MiB, ${fmt(walAfter.fpi - walBefore.fpi)} full-page images, ` +
        `${walAfter.checkpoints - walBefore.checkpoints} checkpoint(s) started`,
    );

    const refCpu = cpuSplit([]);
    const ref = await reference(pool, DUE);
    const pairCpu = refCpu(DUE);
    console.log(
      `reference, same run: bare INSERT of ${fmt(DUE)} audit events + ${fmt(DUE)} supervisions as two statements: ${ref.toFixed(2)} s → ${fmt(DUE / ref)} rows-pairs/s`,
    );
    console.log(`ratio sweep catch-up / bare inserts: ${(rate / (DUE / ref)).toFixed(2)}`);
    if (sweepCpu && pairCpu) {
      // PostgreSQL's CPU per firing and per row pair: the machine's busy time but this process's (`rest`).
      const us = (split: CpuPerRequest) => (split.rest * 1000).toFixed(0);
      console.log(
        `CPU per firing: ${us(sweepCpu)} µs (cores busy ${Math.round(sweepCpu.busyShare * 100)} %); ` +
          `per reference row pair: ${us(pairCpu)} µs (cores busy ${Math.round(pairCpu.busyShare * 100)} %); ` +
          `a firing costs ${(sweepCpu.rest / Math.max(1e-9, pairCpu.rest)).toFixed(1)} row pairs`,
      );
    }
  });
}

async function explain(c: import('pg').PoolClient): Promise<string> {
  await c.query('BEGIN');
  try {
    const r = await c.query(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${SWEEP_SQL.replace('$1::float8', '0::float8').replace('LIMIT $2', `LIMIT ${BATCH}`)}`,
    );
    return r.rows.map((row: Record<string, string>) => `  ${row['QUERY PLAN']}`).join('\n');
  } finally {
    await c.query('ROLLBACK');
  }
}

const CONTINUOUS: Measure = { advance: (from, ms) => from + ms, between: (a, b) => Math.max(0, b - a) };

/** The statement every transition runs on its clocks, at this table size: it must stay on primary keys. */
async function explainTransition(c: import('pg').PoolClient): Promise<string> {
  const rows = (await c.query(`SELECT ${CLOCK_COLUMNS} FROM sla_clocks WHERE id = (SELECT max(id) FROM sla_clocks)`)).rows as ClockRow[];
  const clock = fromRow(rows[0]!);
  const now = Date.now();
  const stopped = stopClock(clock, now, CONTINUOUS);
  const terms = {
    policyId: null,
    calendarId: clock.calendarId,
    unit: 'calendar_minutes' as const,
    target: 60,
    targetMs: 3_600_000,
    warnFraction: 0.75,
  };
  const started = startClock('dispatch', terms, now, CONTINUOUS);
  await c.query('BEGIN');
  try {
    const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${TRANSITION_WRITE_SQL}`, [
      rows[0]!.issue_id,
      JSON.stringify([toRecord(stopped)]),
      JSON.stringify([toRecord(started)]),
      new Date(started.dueAt!),
      [stopped.id],
    ]);
    const plan = r.rows.map((row: Record<string, string>) => row['QUERY PLAN'] ?? '');
    const seq = plan.filter((l) => /Seq Scan on (sla_|issues)/.test(l));
    return [...plan.map((l) => `  ${l}`), `  → sequential scans of big tables: ${seq.length ? seq.join('; ') : 'none'}`].join('\n');
  } finally {
    await c.query('ROLLBACK');
  }
}

async function counts(pool: Pool) {
  const r = await pool.query(
    `SELECT (SELECT count(*)::int FROM sla_firings WHERE level = 'breach') AS firings,
            (SELECT count(*)::int FROM issue_events WHERE type = 'sla.breached') AS events,
            (SELECT count(*)::int FROM supervisions WHERE clock_id IS NOT NULL AND level = 1) AS supervisions,
            (SELECT count(*)::int FROM sla_timers WHERE level = 'breach' AND fire_at <= now()) AS due`,
  );
  return r.rows[0] as { firings: number; events: number; supervisions: number; due: number };
}

/** WAL written and checkpoints started so far (PostgreSQL 17+ views): what a catch-up costs the disk. */
async function walStats(pool: Pool): Promise<{ bytes: number; fpi: number; checkpoints: number }> {
  const r = await pool.query(
    `SELECT w.wal_bytes::float8 AS bytes, w.wal_fpi::float8 AS fpi, (c.num_timed + c.num_requested)::int AS checkpoints
       FROM pg_stat_wal w, pg_stat_checkpointer c`,
  );
  return r.rows[0] as { bytes: number; fpi: number; checkpoints: number };
}

/** The writes a firing cannot avoid, without the sweep around them; rolled back. */
async function reference(pool: Pool, n: number): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const t0 = process.hrtime.bigint();
    await c.query(
      `INSERT INTO issue_events (issue_id, type, data, at)
       SELECT id, 'bench.reference', jsonb_build_object('clockId', id, 'stage', 'accept', 'level', 'breach'), now()
         FROM issues WHERE number LIKE 'GL-SLA-%' LIMIT $1`,
      [n],
    );
    await c.query(
      `INSERT INTO supervisions (issue_id, level, region_id, reason, created_at)
       SELECT id, 9, street_id, 'bench reference', now() FROM issues WHERE number LIKE 'GL-SLA-%' LIMIT $1`,
      [n],
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await c.query('ROLLBACK');
    return seconds;
  } finally {
    c.release();
  }
}

async function one(c: import('pg').PoolClient, sql: string): Promise<number> {
  return ((await c.query(sql)).rows[0] as { n: number }).n;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
