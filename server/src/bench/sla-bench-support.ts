import { Pool, type PoolClient } from 'pg';
import { prepareDatabase } from '../database/prepare-database';
import { SWEEP_SQL, totalFired, type FiredCount } from '../sla/sweep.sql';
import { benchDatabase, insertInBatches, withBenchDatabase } from './bench-support';

/** What the SLA benches share: the open clocks they sweep, the breaches they make due, one sweeper. */

/**
 * Runs `bench` (`npm run bench:<name>`) against a database of its own (withBenchDatabase): the demo
 * district and `clocks` open issues with a running clock each.
 */
export async function withFilledDatabase(
  name: string,
  clocks: number,
  poolSize: number,
  bench: (pool: Pool) => Promise<void>,
): Promise<void> {
  await withBenchDatabase(name, async (dbUrl) => {
    const pool = new Pool({ connectionString: dbUrl, max: poolSize });
    try {
      await prepareDatabase(benchDatabase(dbUrl), { seed: true, historyIssues: 300 });
      const c = await pool.connect();
      try {
        await fill(c, clocks);
      } finally {
        c.release();
      }
      await bench(pool);
    } finally {
      await pool.end();
    }
  });
}

/** `total` open issues with a running accept clock each and its warning timer. */
function fill(c: PoolClient, total: number): Promise<void> {
  return insertInBatches(
    c,
    'fill',
    'open issues with clocks and timers',
    total,
    `WITH grids AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, path FROM regions WHERE level = 'grid'),
            cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM categories WHERE parent_id IS NOT NULL),
            iss AS (
              INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id,
                                  district_id, reported_at, updated_at, sla_due_at)
              SELECT 'GL-SLA-' || g, '预置事件', '批量预置的未结事件', cats.ids[1 + g % cardinality(cats.ids)], 'normal', 'reported',
                     'grid_worker', gr.id, gr.path[4], gr.path[3], gr.path[2], now(), now(), now() + (60 + g % 43200) * interval '1 minute'
                FROM generate_series($1::int, $2::int) g
                JOIN grids gr ON gr.k = g % (SELECT count(*) FROM grids), cats
              RETURNING id, sla_due_at),
            clk AS (
              INSERT INTO sla_clocks (issue_id, stage, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
                                      warn_at, due_at, escalate_at)
              SELECT id, 'accept', (SELECT id FROM sla_calendars WHERE is_default), 'calendar_minutes', 60, 3600000, 0.75, now(), now(),
                     sla_due_at - interval '15 minutes', sla_due_at, sla_due_at + interval '1 hour'
                FROM iss
              RETURNING id, warn_at)
       INSERT INTO sla_timers (clock_id, level, fire_at) SELECT id, 'warning', warn_at FROM clk`,
    ['issues', 'sla_clocks', 'sla_timers'],
  );
}

/**
 * Makes `n` breaches due at once: the newest clocks whose warning is still pending (the bench's
 * clocks, not the demo's; one that fired before has moved on to its escalation) have their warning
 * marked fired and their timer turned into a breach due a second ago.
 */
export async function makeBreachesDue(c: PoolClient | Pool, n: number): Promise<void> {
  await c.query(
    `WITH due AS (SELECT clock_id FROM sla_timers WHERE level = 'warning' ORDER BY clock_id DESC LIMIT $1),
          upd AS (UPDATE sla_timers t SET level = 'breach', fire_at = now() - interval '1 second' FROM due
                   WHERE t.clock_id = due.clock_id AND t.level = 'warning' RETURNING t.clock_id)
     INSERT INTO sla_firings (clock_id, level, fired_at) SELECT clock_id, 'warning', now() FROM upd ON CONFLICT DO NOTHING`,
    [n],
  );
  await c.query('ANALYZE sla_timers');
}

/** One sweeper: the server's loop, statement after statement until nothing is due; how many rungs it fired. */
export async function drain(pool: Pool, batch: number): Promise<number> {
  const c = await pool.connect();
  let total = 0;
  try {
    for (;;) {
      const r = await c.query({ name: 'sweep', text: SWEEP_SQL, values: [0, batch] });
      const fired = totalFired(r.rows as FiredCount[]);
      total += fired;
      if (!fired) return total;
    }
  } finally {
    c.release();
  }
}
