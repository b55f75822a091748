import type { DomainEventEnvelope, IssueTransitionData } from '@gridline/shared';
import { EventBus } from '../server/src/events/event-bus.service';
import { EventRelay } from '../server/src/events/event-relay.service';
import { act, loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Realtime listens to the workflow events ('issue.reported', 'issue.transitioned'): one event per committed change,
 * none for refusals or replays. They come from the outbox relay, after the commit: drain() waits for it.
 */
let t: TestApp;
let cast: Cast;
const seen: IssueTransitionData[] = [];
type Listener = (e: IssueTransitionData) => void;
const listeners: Listener[] = [(e) => seen.push(e)];
const drain = () => t.app.get(EventRelay).drain();

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  const onStep = (e: DomainEventEnvelope<'issue.reported' | 'issue.transitioned'>) => listeners.forEach((l) => l(e.data));
  t.app.get(EventBus).subscribe('issue.reported', onStep);
  t.app.get(EventBus).subscribe('issue.transitioned', onStep);
});
afterAll(() => t?.close());
beforeEach(() => (seen.length = 0));

it('publishes a report and each action once, after the row is committed', async () => {
  const checks: Promise<unknown>[] = [];
  const onEvent = (e: IssueTransitionData) =>
    // Whatever a listener reads at that moment must already show the change.
    checks.push(
      t.sql
        .query('SELECT status, version FROM issues WHERE id = $1', [e.issueId])
        .then(({ rows }) => expect(rows[0]).toEqual({ status: e.toStatus, version: e.version })),
    );
  listeners.push(onEvent);
  try {
    const issue = await report(t.api, cast);
    const accepted = await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
    await act(t.api, cast.tokens.dispatcher!, accepted, 'dispatch', { departmentId: cast.departmentId });
    await drain();
  } finally {
    listeners.pop();
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
  await drain();
  seen.length = 0;
  const stale = await t.api.post(`/api/v1/issues/${issue.id}/actions/accept`, { version: issue.version + 5 }, cast.tokens.dispatcher);
  expect(stale.status).toBe(409);
  const wrongRole = await t.api.post(`/api/v1/issues/${issue.id}/actions/accept`, { version: issue.version }, cast.tokens.lead1);
  expect(wrongRole.status).toBe(403);

  const body = { categoryId: cast.category.id, gridId: cast.gridId, description: '同一次上报，重试' };
  const headers = { 'idempotency-key': 'domain-events-replay-1' };
  expect((await t.api.post('/api/v1/issues', body, cast.tokens.worker1, { headers })).status).toBe(201);
  expect((await t.api.post('/api/v1/issues', body, cast.tokens.worker1, { headers })).status).toBe(200);
  await drain();
  expect(seen.map((e) => e.action)).toEqual(['report']);
});
