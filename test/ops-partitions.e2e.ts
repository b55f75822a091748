import { PartitionMaintenance } from '../server/src/database/partition-maintenance.service';
import { EventRelay } from '../server/src/events/event-relay.service';
import { ARCHIVE_KEEP_DAYS, PRUNE_ARCHIVE_SQL } from '../server/src/events/outbox-sql';
import { loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * issue_events is partitioned by month on `at`: new events land in the current month, a year of
 * months is kept ready, and an old month can be detached (archived) while the app goes on. The
 * delivered-events archive likewise, on `archived_at`, its retention dropping whole months.
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const partitions = async () =>
  (
    await t.sql.query<{ name: string; bound: string; rows: number }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound,
              (SELECT count(*)::int FROM issue_events e WHERE e.tableoid = c.oid) AS rows
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'issue_events'::regclass ORDER BY c.relname`,
    )
  ).rows;

it('is partitioned by month on at, a year ahead', async () => {
  const { rows } = await t.sql.query(`SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'issue_events'::regclass`);
  expect(rows).toEqual([{ partstrat: 'r' }]);
  const names = (await partitions()).map((p) => p.name);
  expect(names).toContain('issue_events_history');
  const month = (offset: number) => {
    const d = new Date();
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
    return `issue_events_y${m.getUTCFullYear()}m${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  for (let i = 0; i < 12; i++) expect(names).toContain(month(i));
  // Idempotent: the app's daily run makes nothing new today, a longer range makes the missing months.
  expect(await t.app.get(PartitionMaintenance).ensure()).toBe(0);
  const made = await t.sql.query<{ made: number }>(`SELECT issue_events_ensure_partitions(now(), now() + interval '15 months') AS made`);
  expect(made.rows[0]!.made).toBeGreaterThanOrEqual(2);
});

it('puts a new event in the current month', async () => {
  const res = await t.api.post<{ id: number }>(
    '/api/v1/issues',
    { categoryId: cast.category.id, gridId: cast.gridId, description: '分区测试' },
    cast.tokens.worker1,
  );
  expect(res.status).toBe(201);
  const { rows } = await t.sql.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM issue_events WHERE issue_id = $1`, [
    res.body.id,
  ]);
  const now = new Date();
  expect(rows[0]!.part).toBe(`issue_events_y${now.getUTCFullYear()}m${String(now.getUTCMonth() + 1).padStart(2, '0')}`);
});

it('detaches an old month: its rows leave the trail for the archive, the app goes on', async () => {
  const old = (await partitions()).find((p) => p.name !== 'issue_events_history' && p.rows > 0)!;
  expect(old).toBeDefined();
  const before = (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM issue_events')).rows[0]!.n;
  const { rows: sample } = await t.sql.query<{ issue_id: number }>(`SELECT issue_id FROM ${old.name} LIMIT 1`);

  await t.sql.query(`ALTER TABLE issue_events DETACH PARTITION ${old.name}`);
  const after = (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM issue_events')).rows[0]!.n;
  expect(after).toBe(before - old.rows);
  expect((await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${old.name}`)).rows[0]!.n).toBe(old.rows);
  expect((await partitions()).map((p) => p.name)).not.toContain(old.name);

  const detail = await t.api.get(`/api/v1/issues/${sample[0]!.issue_id}`, cast.tokens.admin);
  expect(detail.status).toBe(200);
  await t.sql.query(`DROP TABLE ${old.name}`);
});

it('keeps the trail append-only and attachments pointing at real events', async () => {
  await expect(t.sql.query(`UPDATE issue_events SET note = 'x' WHERE id = (SELECT max(id) FROM issue_events)`)).rejects.toThrow(
    /append-only/,
  );
  await expect(
    t.sql.query(
      `INSERT INTO attachments (issue_id, event_id, kind, mime_type, size_bytes, sha256, storage_key, created_at)
       VALUES ((SELECT min(id) FROM issues), 999999999, 'before', 'image/jpeg', 10, repeat('a', 64), 'no-such-event', now())`,
    ),
  ).rejects.toThrow(/names no issue event/);
});

describe('event_archive', () => {
  const archiveMonth = (offset: number) => {
    const d = new Date();
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
    return `event_archive_y${m.getUTCFullYear()}m${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  const archiveParts = async () =>
    (
      await t.sql.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'event_archive'::regclass ORDER BY c.relname`,
      )
    ).rows.map((r) => r.name);

  it('is partitioned by month on archived_at, a year ahead, and delivered events land in this month', async () => {
    const { rows } = await t.sql.query(`SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'event_archive'::regclass`);
    expect(rows).toEqual([{ partstrat: 'r' }]);
    const names = await archiveParts();
    for (let i = 0; i < 12; i++) expect(names).toContain(archiveMonth(i));

    const res = await t.api.post<{ id: number }>(
      '/api/v1/issues',
      { categoryId: cast.category.id, gridId: cast.gridId, description: '归档分区' },
      cast.tokens.worker1,
    );
    await t.app.get(EventRelay).drain();
    const archived = await t.sql.query<{ part: string }>(
      `SELECT tableoid::regclass::text AS part FROM event_archive WHERE issue_id = $1 AND type = 'issue.reported'`,
      [res.body.id],
    );
    expect(archived.rows).toEqual([{ part: archiveMonth(0) }]);
  });

  it('drops whole months once they ended longer ago than the catch-up window; this month and its events stay', async () => {
    // Two old months with one archived event each, as if the relay had run then.
    for (const offset of [-3, -2]) {
      const d = new Date();
      const at = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 10)).toISOString();
      await t.sql.query(`SELECT monthly_partitions_ensure('event_archive', $1::timestamptz, $1::timestamptz + interval '1 day')`, [at]);
      await t.sql.query(
        `INSERT INTO event_archive (id, type, occurred_at, data, archived_at) VALUES (-1000 + $2::int, 'issue.reported', $1, '{}', $1)`,
        [at, offset],
      );
    }
    expect(await archiveParts()).toEqual(expect.arrayContaining([archiveMonth(-3), archiveMonth(-2)]));
    const current = (
      await t.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM event_archive WHERE archived_at > now() - interval '1 day'")
    ).rows[0]!.n;

    const { rows } = await t.sql.query<{ dropped: number }>(PRUNE_ARCHIVE_SQL, [ARCHIVE_KEEP_DAYS]);
    // Month -3 ended more than 30 days ago; month -2 ended at least 28 days ago: dropped only when that is past 30 too.
    const names = await archiveParts();
    expect(names).not.toContain(archiveMonth(-3));
    expect(names).toContain(archiveMonth(0));
    expect(rows[0]!.dropped).toBeGreaterThanOrEqual(1);
    expect((await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM event_archive WHERE id = -1003')).rows[0]!.n).toBe(0);
    expect(
      (await t.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM event_archive WHERE archived_at > now() - interval '1 day'"))
        .rows[0]!.n,
    ).toBe(current);
  });
});
