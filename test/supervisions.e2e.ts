import { isIssueEvent, type AnyDomainEvent, type IssueDetail, type IssueSummary, type Page, type SupervisionView } from '@gridline/shared';
import { EventBus } from '../server/src/events/event-bus.service';
import { EventRelay } from '../server/src/events/event-relay.service';
import { act, issueIn, loadCast, type Cast } from './support/fixtures';
import { advanceAndSweep, continuousPolicies, detail, MIN } from './support/sla';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * 督办 that someone answers (SPEC §15): the queue in scope, the department's answer, the
 * dispatcher's close, the flag on the department's lists and the detail, and the events of both
 * through the outbox — for a 督办 raised by hand and one the SLA engine raised on a breach.
 */
let t: TestApp;
let cast: Cast;
const heard: AnyDomainEvent[] = [];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  const bus = t.app.get(EventBus);
  for (const type of ['supervision.raised', 'supervision.responded', 'supervision.closed'] as const) {
    bus.subscribe(type, (e) => heard.push(e as AnyDomainEvent));
  }
});
afterAll(() => t?.close());

const tok = (name: string) => cast.tokens[name]!;

async function list(name: string, query = ''): Promise<SupervisionView[]> {
  const res = await t.api.get<Page<SupervisionView>>(`/api/v1/supervisions?pageSize=100${query}`, tok(name));
  expect(res.status).toBe(200);
  return res.body.items;
}

async function supervised(): Promise<{ issue: IssueDetail; sup: SupervisionView }> {
  const issue = await issueIn(t.api, cast, 'in_progress');
  const after = await act(t.api, tok('dispatcher'), issue, 'supervise', { note: '群众反映强烈，请加快处置' });
  const sup = (await list('dispatcher', '&state=open')).find((s) => s.issueId === issue.id);
  expect(sup).toBeDefined();
  return { issue: after, sup: sup! };
}

it('a 督办 by hand is in the queue of the command centers and the department in scope, and nowhere else', async () => {
  const { issue, sup } = await supervised();
  expect(sup).toMatchObject({
    issueNumber: issue.number,
    level: 1,
    automatic: false,
    byUserId: cast.users.dispatcher!.id,
    departmentId: cast.departmentId,
    reason: '群众反映强烈，请加快处置',
    response: null,
    closedAt: null,
  });
  for (const name of ['dispatcher_s1', 'viewer', 'lead1', 'admin']) {
    expect((await list(name)).map((s) => s.id)).toContain(sup.id);
  }
  // another street's viewer, another department's lead: not theirs
  for (const name of ['viewer_s2', 'lead2']) {
    expect((await list(name)).map((s) => s.id)).not.toContain(sup.id);
  }
  // a grid worker has no 督办 queue
  expect((await t.api.get('/api/v1/supervisions', tok('worker1'))).status).toBe(403);
  // filters: level, department, region; a region outside the caller's scope is 404
  expect((await list('dispatcher', '&level=2')).map((s) => s.id)).not.toContain(sup.id);
  expect((await list('dispatcher', `&departmentId=${cast.departmentId}`)).map((s) => s.id)).toContain(sup.id);
  expect((await list('dispatcher', `&regionId=${cast.gridId}`)).map((s) => s.id)).toContain(sup.id);
  const s2 = cast.users.viewer_s2!.regionId!;
  expect((await list('dispatcher', `&regionId=${s2}`)).map((s) => s.id)).not.toContain(sup.id);
  expect((await t.api.get(`/api/v1/supervisions?regionId=${cast.gridId}`, tok('viewer_s2'))).status).toBe(404);
  expect((await t.api.get('/api/v1/supervisions?state=pending', tok('dispatcher'))).status).toBe(400);
});

it('the department sees the flag and level on its list and the detail, answers, and the dispatcher closes', async () => {
  const { issue, sup } = await supervised();
  const tasks = await t.api.get<Page<IssueSummary>>('/api/v1/issues?status=in_progress&pageSize=100', tok('lead1'));
  expect(tasks.body.items.find((i) => i.id === issue.id)?.supervision).toEqual({ level: 1, open: 1 });
  const d = await detail(t, tok('lead1'), issue.id);
  expect(d.supervision).toEqual({ level: 1, open: 1 });
  expect(d.supervisions.map((s) => s.id)).toEqual([sup.id]);

  // refusals write nothing
  const before = await t.sql.query('SELECT response_note, closed_at FROM supervisions WHERE id = $1', [sup.id]);
  expect((await t.api.post(`/api/v1/supervisions/${sup.id}/respond`, { note: '' }, tok('lead1'))).status).toBe(400);
  expect((await t.api.post(`/api/v1/supervisions/${sup.id}/respond`, { note: 'x', extra: 1 }, tok('lead1'))).status).toBe(400);
  const other = await t.api.post<{ code: string }>(`/api/v1/supervisions/${sup.id}/respond`, { note: '已安排' }, tok('lead2'));
  expect(other.status).toBe(404);
  expect(other.body.code).toBe('SUPERVISION_NOT_FOUND');
  expect((await t.api.post(`/api/v1/supervisions/${sup.id}/respond`, { note: '已安排' }, tok('dispatcher'))).status).toBe(403);
  expect((await t.api.post(`/api/v1/supervisions/${sup.id}/close`, {}, tok('lead1'))).status).toBe(403);
  expect((await t.api.post(`/api/v1/supervisions/999999/respond`, { note: '已安排' }, tok('lead1'))).status).toBe(404);
  expect((await t.api.post(`/api/v1/supervisions/${sup.id}/close`, {}, tok('viewer_s2'))).status).toBe(403);
  expect((await t.sql.query('SELECT response_note, closed_at FROM supervisions WHERE id = $1', [sup.id])).rows).toEqual(before.rows);

  const queue = await t.api.get<Page<IssueSummary>>('/api/v1/issues?supervised=true&pageSize=100', tok('dispatcher'));
  expect(queue.body.items.map((i) => i.id)).toContain(issue.id);
  const answered = await t.api.post<SupervisionView>(
    `/api/v1/supervisions/${sup.id}/respond`,
    { note: '已增派人手，明日办结' },
    tok('lead1'),
  );
  expect(answered.status).toBe(200);
  expect(answered.body.response).toMatchObject({ note: '已增派人手，明日办结', byUserId: cast.users.lead1!.id });
  expect(answered.body.closedAt).toBeNull();

  const closed = await t.api.post<SupervisionView>(`/api/v1/supervisions/${sup.id}/close`, { note: '答复属实' }, tok('dispatcher_s1'));
  expect(closed.status).toBe(200);
  expect(closed.body.closedByUserId).toBe(cast.users.dispatcher_s1!.id);
  const again = await t.api.post<{ code: string }>(`/api/v1/supervisions/${sup.id}/close`, {}, tok('dispatcher'));
  expect(again.status).toBe(409);
  expect(again.body.code).toBe('SUPERVISION_CLOSED');
  expect((await t.api.post(`/api/v1/supervisions/${sup.id}/respond`, { note: '补充' }, tok('lead1'))).status).toBe(409);

  expect((await list('dispatcher', '&state=closed')).map((s) => s.id)).toContain(sup.id);
  expect((await list('dispatcher', '&state=open')).map((s) => s.id)).not.toContain(sup.id);
  const after = await t.api.get<Page<IssueSummary>>('/api/v1/issues?status=in_progress&pageSize=100', tok('lead1'));
  expect(after.body.items.find((i) => i.id === issue.id)?.supervision).toBeNull();
  const queueAfter = await t.api.get<Page<IssueSummary>>('/api/v1/issues?supervised=true&pageSize=100', tok('dispatcher'));
  expect(queueAfter.body.items.map((i) => i.id)).not.toContain(issue.id);

  // the timeline keeps both steps; the events went through the outbox, numbered on from the issue's counter
  const timeline = (await detail(t, tok('dispatcher'), issue.id)).timeline.map((e) => e.type);
  expect(timeline.slice(-2)).toEqual(['supervision.responded', 'supervision.closed']);
  await t.app.get(EventRelay).drain();
  const mine = heard.filter(isIssueEvent).filter((e) => e.data.issueId === issue.id);
  expect(mine.map((e) => e.type)).toEqual(['supervision.raised', 'supervision.responded', 'supervision.closed']);
  const seqs = mine.map((e) => e.data.seq);
  expect(seqs[1]).toBe(seqs[0]! + 1);
  expect(seqs[2]).toBe(seqs[0]! + 2);
  expect(mine[1]!.data).toMatchObject({ supervisionId: sup.id, level: 1, actorId: cast.users.lead1!.id, departmentId: cast.departmentId });
  const { rows } = await t.sql.query<{ last_seq: number }>('SELECT last_seq FROM issue_event_counters WHERE issue_id = $1', [issue.id]);
  expect(rows[0]!.last_seq).toBe(seqs[2]);
});

it('a breach raises an automatic 督办 to the street; the department answers it the same way', async () => {
  await continuousPolicies(t, tok('admin'), cast.category.id, { handle: 5 });
  const issue = await issueIn(t.api, cast, 'in_progress');
  await advanceAndSweep(t, 6 * MIN);
  const auto = (await list('dispatcher_s1', '&state=open')).find((s) => s.issueId === issue.id && s.automatic);
  expect(auto).toMatchObject({ level: 1, regionId: cast.users.dispatcher_s1!.regionId, byUserId: null });
  const tasks = await t.api.get<Page<IssueSummary>>('/api/v1/issues?status=in_progress&pageSize=100', tok('lead1'));
  expect(tasks.body.items.find((i) => i.id === issue.id)?.supervision).toMatchObject({ level: 1 });
  const res = await t.api.post<SupervisionView>(`/api/v1/supervisions/${auto!.id}/respond`, { note: '材料未到，已催' }, tok('lead1'));
  expect(res.status).toBe(200);
  expect(res.body.automatic).toBe(true);
});
