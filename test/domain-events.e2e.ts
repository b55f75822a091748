import { EventEmitter2 } from '@nestjs/event-emitter';
import type { IssueTransitionedEvent } from '@gridline/shared';
import { act, loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Realtime and SLA will listen to 'issue.transitioned': one event per committed change, none for refusals or replays. */
let t: TestApp;
let cast: Cast;
const seen: IssueTransitionedEvent[] = [];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  t.app.get(EventEmitter2).on('issue.transitioned', (e: IssueTransitionedEvent) => seen.push(e));
});
afterAll(() => t?.close());
beforeEach(() => (seen.length = 0));

it('publishes a report and each action once, after the row is committed', async () => {
  const checks: Promise<unknown>[] = [];
  const emitter = t.app.get(EventEmitter2);
  const onEvent = (e: IssueTransitionedEvent) =>
    // Whatever a listener reads at that moment must already show the change.
    checks.push(
      t.sql
        .query('SELECT status, version FROM issues WHERE id = $1', [e.issueId])
        .then(({ rows }) => expect(rows[0]).toEqual({ status: e.toStatus, version: e.version })),
    );
  emitter.on('issue.transitioned', onEvent);
  try {
    const issue = await report(t.api, cast);
    const accepted = await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
    await act(t.api, cast.tokens.dispatcher!, accepted, 'dispatch', { departmentId: cast.departmentId });
  } finally {
    emitter.off('issue.transitioned', onEvent);
  }
  await Promise.all(checks);
  expect(seen.map((e) => [e.action, e.fromStatus, e.toStatus, e.version])).toEqual([
    ['report', null, 'reported', 1],
    ['accept', 'reported', 'accepted', 2],
    ['dispatch', 'accepted', 'dispatched', 3],
  ]);
  const [reported, , dispatched] = seen;
  expect(reported).toMatchObject({
    gridId: cast.gridId,
    categoryId: cast.category.id,
    actorId: cast.users.worker1!.id,
    departmentId: null,
  });
  expect(dispatched).toMatchObject({ departmentId: cast.departmentId, previousDepartmentId: null, actorId: cast.users.dispatcher!.id });
});

it('publishes nothing for a refused action or a replayed report', async () => {
  const issue = await report(t.api, cast, {}); // its own event, cleared below
  seen.length = 0;
  const stale = await t.api.post(`/api/v1/issues/${issue.id}/actions/accept`, { version: issue.version + 5 }, cast.tokens.dispatcher);
  expect(stale.status).toBe(409);
  const wrongRole = await t.api.post(`/api/v1/issues/${issue.id}/actions/accept`, { version: issue.version }, cast.tokens.lead1);
  expect(wrongRole.status).toBe(403);

  const body = { categoryId: cast.category.id, gridId: cast.gridId, description: '同一次上报，重试' };
  const headers = { 'idempotency-key': 'domain-events-replay-1' };
  expect((await t.api.post('/api/v1/issues', body, cast.tokens.worker1, { headers })).status).toBe(201);
  expect((await t.api.post('/api/v1/issues', body, cast.tokens.worker1, { headers })).status).toBe(200);
  expect(seen.map((e) => e.action)).toEqual(['report']);
});
