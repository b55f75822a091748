import type { DomainEventType, IssueDetail } from '@gridline/shared';
import { Client } from 'pg';
import { slaFiredData, supervisionRaisedData, type IssueForEvent } from '../server/src/events/event-payloads';
import { EventRelay } from '../server/src/events/event-relay.service';
import { countEventsSql, lastSeqSql } from '../server/src/events/issue-event-counter';
import { act, loadCast, report, type Cast } from './support/fixtures';
import { until } from './support/screens';
import { advanceAndSweep, continuousPolicies, MIN } from './support/sla';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every producer writes its events into the outbox in the transaction of the change: exactly one
 * row per event of a committed change, none for a refusal or an idempotent replay, numbered per
 * issue (`seq`) without gaps, whatever produced them (report statement, transitions, SLA sweep).
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  await continuousPolicies(t, cast.tokens.admin!, cast.category.id, { accept: 10, overall: 600 });
});
afterAll(() => t?.close());

interface Row {
  id: string;
  type: DomainEventType;
  data: Record<string, unknown> & { seq: number };
  occurredAt: Date;
}

/** The events written for one issue, delivered or not, in id order (e.id, the bigint: a bare `id` would sort the text alias, 10 before 9). */
async function eventsOf(issueId: number): Promise<Row[]> {
  const { rows } = await t.sql.query<Row>(
    `SELECT id::text AS id, type, data, occurred_at AS "occurredAt" FROM (
       SELECT id, type, data, occurred_at FROM event_outbox UNION ALL SELECT id, type, data, occurred_at FROM event_archive
     ) e WHERE (data->>'issueId')::int = $1 ORDER BY e.id`,
    [issueId],
  );
  return rows;
}
const allCount = async () =>
  (await t.sql.query<{ n: number }>('SELECT ((SELECT count(*) FROM event_outbox) + (SELECT count(*) FROM event_archive))::int AS n'))
    .rows[0]!.n;

async function issueRow(id: number): Promise<IssueForEvent & { eventSeq: number }> {
  const { rows } = await t.sql.query<IssueForEvent & { eventSeq: number }>(
    `SELECT id, number, status, version, title, category_id AS "categoryId", priority, source, grid_id AS "gridId",
            community_id AS "communityId", street_id AS "streetId", district_id AS "districtId", department_id AS "departmentId",
            reporter_id AS "reporterId", assignee_id AS "assigneeId", ${lastSeqSql('k')} AS "eventSeq"
       FROM issues i LEFT JOIN issue_event_counters k ON k.issue_id = i.id WHERE i.id = $1`,
    [id],
  );
  return rows[0]!;
}

it('a report writes one issue.reported in its statement: event 1 of the issue, with no personal data', async () => {
  const issue = await report(t.api, cast, { title: '垃圾堆积', address: '幸福路 12 号', description: '住户张三 13800000000 反映' });
  const events = await eventsOf(issue.id);
  expect(events.map((e) => [e.type, e.data.seq])).toEqual([['issue.reported', 1]]);
  expect(events[0]!.data).toMatchObject({
    issueId: issue.id,
    number: issue.number,
    status: 'reported',
    version: 1,
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    gridId: cast.gridId,
    departmentId: null,
    reporterId: cast.users.worker1!.id,
    actorId: cast.users.worker1!.id,
    sla: { started: expect.arrayContaining(['accept', 'overall']) as unknown },
  });
  expect(events[0]!.occurredAt.toISOString()).toBe(issue.reportedAt);
  const text = JSON.stringify(events[0]!.data);
  expect(text).not.toContain('幸福路');
  expect(text).not.toContain('13800000000');
  expect(text).not.toContain(cast.users.worker1!.displayName);
  expect((await issueRow(issue.id)).eventSeq).toBe(1);
});

it('refused reports and idempotent replays write nothing', async () => {
  await t.app.get(EventRelay).drain();
  const before = await allCount();
  const body = { categoryId: cast.category.id, gridId: cast.gridId, description: '重试同一次上报' };
  const headers = { 'idempotency-key': 'events-producers-replay' };
  const first = await t.api.post<IssueDetail>('/api/v1/issues', body, cast.tokens.worker1, { headers });
  expect(first.status).toBe(201);
  expect((await t.api.post('/api/v1/issues', body, cast.tokens.worker1, { headers })).status).toBe(200);
  expect((await t.api.post('/api/v1/issues', body, cast.tokens.lead1)).status).toBe(403);
  expect((await t.api.post('/api/v1/issues', { ...body, gridId: 999_999 }, cast.tokens.worker1)).status).toBe(422);
  expect((await t.api.post('/api/v1/issues', { ...body, categoryId: 'x' }, cast.tokens.worker1)).status).toBe(400);
  expect(await allCount()).toBe(before + 1);
  expect((await eventsOf(first.body.id)).map((e) => e.type)).toEqual(['issue.reported']);
});

it('each action writes one issue.transitioned, numbered on; refusals write nothing', async () => {
  const issue = await report(t.api, cast);
  const accepted = await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
  // refused: stale version, wrong role, not allowed in this status
  expect((await t.api.post(`/api/v1/issues/${issue.id}/actions/accept`, { version: 1 }, cast.tokens.dispatcher)).status).toBe(409);
  expect(
    (await t.api.post(`/api/v1/issues/${issue.id}/actions/dispatch`, { version: 2, departmentId: cast.departmentId }, cast.tokens.lead1))
      .status,
  ).toBe(403);
  expect((await t.api.post(`/api/v1/issues/${issue.id}/actions/verify`, { version: 2 }, cast.tokens.dispatcher)).status).toBe(409);
  const dispatched = await act(t.api, cast.tokens.dispatcher!, accepted, 'dispatch', { departmentId: cast.departmentId });
  await act(t.api, cast.tokens.lead1!, dispatched, 'sign', { assigneeId: cast.users.staff1!.id });

  const events = await eventsOf(issue.id);
  expect(events.map((e) => [e.type, e.data.seq, e.data.action, e.data.fromStatus, e.data.toStatus, e.data.version])).toEqual([
    ['issue.reported', 1, 'report', null, 'reported', 1],
    ['issue.transitioned', 2, 'accept', 'reported', 'accepted', 2],
    ['issue.transitioned', 3, 'dispatch', 'accepted', 'dispatched', 3],
    ['issue.transitioned', 4, 'sign', 'dispatched', 'in_progress', 4],
  ]);
  expect(events[2]!.data).toMatchObject({ departmentId: cast.departmentId, previousDepartmentId: null, status: 'dispatched' });
  expect(events[3]!.data).toMatchObject({ assigneeId: cast.users.staff1!.id, previousAssigneeId: null, actorId: cast.users.lead1!.id });
  expect(events[1]!.data.sla).toMatchObject({ stopped: ['accept'] });
  expect((await issueRow(issue.id)).eventSeq).toBe(4);
});

it('a 督办 by hand writes the step and a supervision.raised after it', async () => {
  const issue = await report(t.api, cast);
  await act(t.api, cast.tokens.dispatcher!, issue, 'supervise', { note: '尽快处理' });
  const events = await eventsOf(issue.id);
  expect(events.map((e) => [e.type, e.data.seq])).toEqual([
    ['issue.reported', 1],
    ['issue.transitioned', 2],
    ['supervision.raised', 3],
  ]);
  const { rows } = await t.sql.query<{ id: number; region_id: number }>('SELECT id, region_id FROM supervisions WHERE issue_id = $1', [
    issue.id,
  ]);
  expect(events[2]!.data).toMatchObject({
    supervisionId: rows[0]!.id,
    regionId: rows[0]!.region_id,
    level: 1,
    clockId: null,
    byUserId: cast.users.dispatcher!.id,
    status: 'reported',
    version: 2,
  });
});

it('the SLA sweep writes one sla.* per rung fired and a supervision.raised per 督办, numbered on from the steps', async () => {
  const issue = await report(t.api, cast);
  await advanceAndSweep(t, 7.6 * MIN); // 黄牌 at 75 % of 10 min
  await advanceAndSweep(t, 2.5 * MIN); // 红牌 + 督办 to the street
  await advanceAndSweep(t, 10 * MIN); // escalation + 督办 to the district
  await advanceAndSweep(t, 60 * MIN); // nothing more for the accept clock
  const mine = (await eventsOf(issue.id)).filter(
    (e) => e.type === 'issue.reported' || e.data.stage === 'accept' || e.type === 'supervision.raised',
  );
  expect(mine.map((e) => [e.type, e.data.seq, e.data.level])).toEqual([
    ['issue.reported', 1, undefined],
    ['sla.warning', 2, 'warning'],
    ['sla.breached', 3, 'breach'],
    ['supervision.raised', 4, 1],
    ['sla.escalated', 5, 'escalation_1'],
    ['supervision.raised', 6, 2],
  ]);
  const all = await eventsOf(issue.id);
  expect(all.map((e) => e.data.seq)).toEqual(all.map((_, i) => i + 1));
  expect((await issueRow(issue.id)).eventSeq).toBe(all.length);

  // The sweep builds its payloads in SQL: they are what the TypeScript builders make of the same rows.
  const row = await issueRow(issue.id);
  const { rows: clocks } = await t.sql.query<{ id: string; due_at: Date }>(
    `SELECT id, due_at FROM sla_clocks WHERE issue_id = $1 AND stage = 'accept'`,
    [issue.id],
  );
  const { rows: sups } = await t.sql.query<{ id: number; level: number; region_id: number }>(
    'SELECT id, level, region_id FROM supervisions WHERE issue_id = $1 ORDER BY id',
    [issue.id],
  );
  const clockId = Number(clocks[0]!.id);
  const breached = mine[2]!;
  expect(breached.data).toEqual(
    slaFiredData(row, 3, {
      clockId,
      stage: 'accept',
      level: 'breach',
      dueAt: clocks[0]!.due_at,
      supervisionId: sups[0]!.id,
      supervisionRegionId: sups[0]!.region_id,
    }),
  );
  expect(mine[1]!.data).toEqual(
    slaFiredData(row, 2, {
      clockId,
      stage: 'accept',
      level: 'warning',
      dueAt: clocks[0]!.due_at,
      supervisionId: null,
      supervisionRegionId: null,
    }),
  );
  expect(mine[3]!.data).toEqual(
    supervisionRaisedData(row, 4, { id: sups[0]!.id, level: 1, regionId: sups[0]!.region_id, clockId, byUserId: null }),
  );

  // A sweep with nothing due writes nothing.
  await t.app.get(EventRelay).drain();
  const before = await allCount();
  expect(await advanceAndSweep(t, 1000)).toBe(0);
  expect(await allCount()).toBe(before);
});

it('the event counter counts on from a writer that committed after a counting statement began', async () => {
  // The sweep counts in a statement whose snapshot may predate a transition that committed since
  // (it only skips issues locked right now). The counter's upsert must add to the newest number.
  const issue = await report(t.api, cast); // event 1: no counter row yet
  const first = new Client({ connectionString: t.databaseUrl });
  await first.connect();
  try {
    await t.sql.query('BEGIN');
    await t.sql.query('SELECT pg_advisory_xact_lock(7355608)');
    // Its snapshot is taken now; it then waits for the lock before it counts 2 events.
    const counting = first.query<{ counted: number; seen: number }>(
      `WITH wait AS (SELECT pg_advisory_xact_lock(7355608)),
            counted AS (${countEventsSql('SELECT $1::int, 2 FROM wait')})
       SELECT (SELECT last_seq FROM counted) AS counted,
              (SELECT ${lastSeqSql('k')} FROM issues i LEFT JOIN issue_event_counters k ON k.issue_id = i.id WHERE i.id = $1) AS seen`,
      [issue.id],
    );
    await until(
      async () =>
        (await t.sql.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 7355608 AND NOT granted`)).rows.length > 0,
      'the counting statement to wait for the lock',
      5_000,
    );
    // Meanwhile another writer counts 3 events and commits.
    await t.sql.query(countEventsSql('VALUES ($1::int, 3)'), [issue.id]);
    await t.sql.query('COMMIT');
    const { rows } = await counting;
    expect(rows[0]!.seen).toBe(1); // the statement's snapshot predates the other writer's row
    expect(rows[0]!.counted).toBe(6); // 1 (report) + 3 + 2: counted on from the newest row
    expect((await issueRow(issue.id)).eventSeq).toBe(6);
  } finally {
    await t.sql.query('ROLLBACK').catch(() => undefined);
    await first.end();
  }
});
