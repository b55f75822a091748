/**
 * `npm run bench:feed`: what a subscribe's live feed costs as the trail grows, for busy regions
 * and for quiet ones (no status change for longer than the feed's window).
 *
 * 1. A fresh database with the demo district. One community is made quiet: its issues' events
 *    are moved 330 days back, and the synthetic events below skip its issues. Its busiest grid is
 *    the quiet grid.
 * 2. The trail grows to each of BENCH_FEED_EVENTS (default 1,000,000 and 4,000,000) events:
 *    synthetic events on the other issues, spread over the last 365 days, one in three a status
 *    change (set-based, triggers off: a bench database only).
 * 3. At each size, the server's feed statement (`feedSql`) for the district, a street, the busiest
 *    community and grid, and the quiet community and grid: median and max of BENCH_FEED_RUNS (15).
 *    Beside it, the reference: the walk by id without a window, as the feed read was before ADR 0066.
 */
import { Client } from 'pg';
import { LIVE_FEED_HOURS, LIVE_FEED_SIZE } from '@gridline/shared';
import { prepareDatabase } from '../database/prepare-database';
import { FEED_COLUMNS, feedSql } from '../stats/wall-stats.service';
import { benchDatabase, fmt, insertInBatches, percentile, timed, withBenchDatabase } from './bench-support';

const SIZES = (process.env.BENCH_FEED_EVENTS ?? '1000000,4000000').split(',').filter(Boolean).map(Number);
const RUNS = Number(process.env.BENCH_FEED_RUNS ?? 15);
/** The reference walks the whole trail for a quiet region: fewer runs. */
const REFERENCE_RUNS = Math.min(RUNS, 5);
const QUIET_DAYS = 330;

type Level = 'district_id' | 'street_id' | 'community_id' | 'grid_id';

/** The feed read before ADR 0066: the trail by id, newest first, until 30 changes of the region. */
const referenceSql = (level: Level) => `SELECT ${FEED_COLUMNS}
  FROM issue_events e JOIN issues i ON i.id = e.issue_id
 WHERE i.${level} = $2 AND e.to_status IS NOT NULL
 ORDER BY e.id DESC LIMIT $1`;

async function main(): Promise<void> {
  await withBenchDatabase('feed', async (dbUrl) => {
    const c = new Client({ connectionString: dbUrl });
    try {
      await prepareDatabase(benchDatabase(dbUrl), { seed: true });
      await c.connect();
      const regions = await pickRegions(c);
      const quietCommunity = regions.find((r) => r.name === 'quiet community')!.id;
      await c.query('SET session_replication_role = replica'); // no triggers: the trail is append-only and sealed
      await c.query(
        `UPDATE issue_events SET at = at - make_interval(days => ${QUIET_DAYS})
        WHERE issue_id IN (SELECT id FROM issues WHERE community_id = $1)`,
        [quietCommunity],
      );
      let events = await count(c);
      console.log(`demo district: ${events.toLocaleString('en-US')} events; feed window ${LIVE_FEED_HOURS} h, ${LIVE_FEED_SIZE} items`);
      for (const size of SIZES) {
        if (size > events) {
          await insertInBatches(c, 'events', 'events', size - events, syntheticEvents(quietCommunity, events), ['issue_events']);
          events = await count(c);
        }
        console.log(`\ntrail of ${events.toLocaleString('en-US')} events:`);
        for (const region of regions) {
          const feed = await times(
            c,
            feedSql(`i.${region.level} = $3`),
            [LIVE_FEED_SIZE, new Date(Date.now() - LIVE_FEED_HOURS * 3600_000), region.id],
            RUNS,
          );
          const before = await times(c, referenceSql(region.level), [LIVE_FEED_SIZE, region.id], REFERENCE_RUNS);
          console.log(
            `  ${region.name.padEnd(18)} feed ${String(feed.rows).padStart(2)} items: median ${fmt(feed.median)} ms, max ${fmt(feed.max)} ms` +
              ` | reference (no window) ${String(before.rows).padStart(2)} items: median ${fmt(before.median)} ms, max ${fmt(before.max)} ms` +
              ` | reference ÷ feed ${(before.median / feed.median).toFixed(1)}`,
          );
        }
      }
    } finally {
      await c.end().catch(() => undefined);
    }
  });
}

interface Region {
  name: string;
  level: Level;
  id: number;
}

/** The district, a street, the busiest community and grid, and the quiet community and its busiest grid. */
async function pickRegions(c: Client): Promise<Region[]> {
  const busiest = async (level: Level, where = 'true', params: unknown[] = []) =>
    (await c.query<{ id: number }>(`SELECT ${level} AS id FROM issues WHERE ${where} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`, params))
      .rows[0]!.id;
  const district = await busiest('district_id');
  const street = await busiest('street_id');
  const community = await busiest('community_id');
  const grid = await busiest('grid_id', 'community_id = $1', [community]);
  const quietCommunity = await busiest('community_id', 'community_id <> $1', [community]);
  const quietGrid = await busiest('grid_id', 'community_id = $1', [quietCommunity]);
  return [
    { name: 'district', level: 'district_id', id: district },
    { name: 'street', level: 'street_id', id: street },
    { name: 'busiest community', level: 'community_id', id: community },
    { name: 'busiest grid', level: 'grid_id', id: grid },
    { name: 'quiet community', level: 'community_id', id: quietCommunity },
    { name: 'quiet grid', level: 'grid_id', id: quietGrid },
  ];
}

/** Events $1..$2 (after `offset` earlier ones) on the issues outside the quiet community, over the last 365 days, one in three a status change. */
const syntheticEvents = (quietCommunity: number, offset: number) => `
  INSERT INTO issue_events (issue_id, type, from_status, to_status, data, at)
  SELECT ids.a[1 + g % cardinality(ids.a)],
         CASE WHEN g % 3 = 0 THEN 'accept' ELSE 'comment' END,
         CASE WHEN g % 3 = 0 THEN 'reported' END,
         CASE WHEN g % 3 = 0 THEN 'accepted' END,
         '{}', now() - ((g::bigint * 7919) % (365 * 86400)) * interval '1 second'
    FROM generate_series($1::int + ${offset}, $2::int + ${offset}) g,
         (SELECT array_agg(id ORDER BY id) AS a FROM issues WHERE community_id <> ${quietCommunity}) ids`;

async function count(c: Client): Promise<number> {
  return Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM issue_events')).rows[0]!.n);
}

/** One prepared statement, a warm-up run, then `runs` timed ones. */
async function times(c: Client, text: string, values: unknown[], runs: number): Promise<{ rows: number; median: number; max: number }> {
  const name = `feed_${Math.random().toString(36).slice(2)}`;
  const { rowCount } = await c.query({ name, text, values });
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await timed(() => c.query({ name, text, values })))[1]);
  ms.sort((a, b) => a - b);
  return { rows: rowCount ?? 0, median: percentile(ms, 50), max: ms.at(-1)! };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
