import type { CosignResult, MyTopicState, RegionView, TopicPage, TopicView } from '@gridline/shared';
import { EventRelay } from '../server/src/events/event-relay.service';
import { loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';
import { advancePast, communities, residentsOf } from './support/topics';

/**
 * 联名点题 / 双向约谈: a resident opens a topic in their community, neighbours co-sign (once each,
 * whatever arrives at once), the threshold moves it to the review queue exactly once, the
 * dispatcher assigns it with a reply due date under a clock that warns and breaches, the answer is
 * published and co-signers evaluate it. Every refusal is a 4xx with a stable code and writes nothing.
 */
let t: TestApp;
let cast: Cast;
let home: RegionView;
let other: RegionView;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  ({ home, other } = await communities(t, cast.tokens.admin!, cast.gridId));
});
afterAll(() => t?.close());

const body = (title = '南门夜间照明不足') => ({ title, description: '小区南门到公交站一段路灯坏了三盏，晚上很黑', communityId: home.id });
const open = (token: string, b: object = body()) => t.api.post<TopicView & { code?: string }>('/api/v1/topics', b, token);
const view = async (id: number) => (await t.api.get<TopicView>(`/api/v1/topics/${id}`)).body;
const cosign = (id: number, token: string) => t.api.post<CosignResult & { code?: string }>(`/api/v1/topics/${id}/cosign`, {}, token);
const count = async (table: string) => (await t.sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
/** Everything a refusal must leave alone. */
const footprint = async () => ({
  topics: await count('topics'),
  cosigns: await count('topic_cosigns'),
  evaluations: await count('topic_evaluations'),
  events: await count('topic_events'),
  timers: await count('topic_timers'),
  outbox: (await t.sql.query(`SELECT count(*)::int AS n FROM (SELECT id FROM event_outbox UNION ALL SELECT id FROM event_archive) e`))
    .rows[0].n as number,
  versions: (await t.sql.query('SELECT coalesce(sum(version), 0)::int AS n FROM topics')).rows[0].n as number,
});
/** Rungs fired for one topic (the demo data's topics have clocks of their own). */
const firings = async (topicId: number) =>
  (await t.sql.query('SELECT count(*)::int AS n FROM topic_firings WHERE topic_id = $1', [topicId])).rows[0].n as number;
const setThreshold = (communityId: number, threshold: number | null) =>
  t.api.request('PUT', `/api/v1/admin/topic-thresholds/${communityId}`, { token: cast.tokens.admin, body: { threshold } });
const topicEvents = async (topicId: number) =>
  (
    await t.sql.query(
      `SELECT type, data FROM (SELECT id, type, data FROM event_outbox UNION ALL SELECT id, type, data FROM event_archive) e
        WHERE type LIKE 'topic.%' AND (data->>'topicId')::int = $1 ORDER BY id`,
      [topicId],
    )
  ).rows as { type: string; data: { seq: number; status: string; cosignCount: number } }[];

/** A topic in review: opened by one resident, co-signed up to the threshold by others (threshold 3). */
async function topicInReview(communityId = home.id): Promise<{ id: number; cosigners: { id: number; token: string }[] }> {
  await setThreshold(communityId, 3);
  const people = await residentsOf(t, communityId, 3);
  const opened = await open(people[0]!.token, { ...body(), communityId });
  expect(opened.status).toBe(201);
  for (const p of people.slice(1)) expect((await cosign(opened.body.id, p.token)).status).toBe(201);
  expect((await view(opened.body.id)).status).toBe('review');
  return { id: opened.body.id, cosigners: people };
}

describe('home community', () => {
  it('a resident says where they live; staff and bad ids are refused', async () => {
    const [r] = await residentsOf(t, null, 1);
    expect((await t.api.get('/api/v1/resident/community', r!.token)).body).toEqual({ communityId: null, communityName: null });
    const set = await t.api.request('PUT', '/api/v1/resident/community', { token: r!.token, body: { communityId: home.id } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ communityId: home.id, communityName: home.name });
    const grid = await t.api.request('PUT', '/api/v1/resident/community', { token: r!.token, body: { communityId: cast.gridId } });
    expect([grid.status, grid.body.code]).toEqual([422, 'COMMUNITY_INVALID']);
    const bad = await t.api.request('PUT', '/api/v1/resident/community', { token: r!.token, body: { communityId: 'x' } });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const staff = await t.api.request('PUT', '/api/v1/resident/community', {
      token: cast.tokens.dispatcher,
      body: { communityId: home.id },
    });
    expect([staff.status, staff.body.code]).toEqual([403, 'FORBIDDEN_ROLE']);
  });
});

describe('opening', () => {
  it('opens a topic with the opener as first co-signer, writing its trail and event', async () => {
    await setThreshold(home.id, null);
    const [r] = await residentsOf(t, home.id, 1);
    const res = await open(r!.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'open', cosignCount: 1, threshold: 10, communityId: home.id, assignee: null, answer: null });
    expect(res.body.timeline.map((e) => e.type)).toEqual(['opened']);
    expect((await topicEvents(res.body.id)).map((e) => [e.type, e.data.seq])).toEqual([['topic.opened', 1]]);
  });

  it('refuses without a home community, outside it, for staff, without a token and for bad input; nothing written', async () => {
    const [homeless] = await residentsOf(t, null, 1);
    const [stranger] = await residentsOf(t, other.id, 1);
    const before = await footprint();
    const cases: [string | undefined, object, number, string][] = [
      [homeless!.token, body(), 409, 'RESIDENT_COMMUNITY_REQUIRED'],
      [stranger!.token, body(), 403, 'NOT_COMMUNITY_RESIDENT'],
      [cast.tokens.dispatcher, body(), 403, 'FORBIDDEN_ROLE'],
      [undefined, body(), 401, 'AUTH_REQUIRED'],
      [stranger!.token, { ...body(), title: '   ' }, 400, 'VALIDATION_FAILED'],
      [stranger!.token, { ...body(), title: 'x'.repeat(101) }, 400, 'VALIDATION_FAILED'],
      [stranger!.token, { ...body(), communityId: cast.gridId }, 422, 'COMMUNITY_INVALID'],
      [stranger!.token, { ...body(), communityId: 2 ** 31 }, 400, 'VALIDATION_FAILED'],
      [stranger!.token, { ...body(), extra: 1 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [token, b, status, code] of cases) {
      const res = await open(token as string, b);
      expect([res.status, res.body?.code]).toEqual([status, code]);
    }
    expect(await footprint()).toEqual(before);
  });
});

describe('co-signing', () => {
  it('50 parallel co-signs by one resident make one row, one count and one event', async () => {
    await setThreshold(home.id, null);
    const [opener, r] = await residentsOf(t, home.id, 2);
    const topic = (await open(opener!.token)).body;
    const answers = await Promise.all(Array.from({ length: 50 }, () => cosign(topic.id, r!.token)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.body.created === false)).toHaveLength(49);
    const rows = await t.sql.query('SELECT count(*)::int AS n FROM topic_cosigns WHERE topic_id = $1 AND user_id = $2', [topic.id, r!.id]);
    expect(rows.rows[0].n).toBe(1);
    expect((await view(topic.id)).cosignCount).toBe(2);
    expect((await topicEvents(topic.id)).map((e) => e.type)).toEqual(['topic.opened', 'topic.cosigned']);
    const mine = await t.api.get<MyTopicState>(`/api/v1/topics/${topic.id}/mine`, r!.token);
    expect(mine.body).toEqual({ cosigned: true, mayCosign: false, score: null, mayEvaluate: false });
  });

  it('crosses the threshold exactly once under concurrent co-signs', async () => {
    await setThreshold(home.id, 10);
    const people = await residentsOf(t, home.id, 25);
    const topic = (await open(people[0]!.token)).body;
    expect(topic.threshold).toBe(10);
    const answers = await Promise.all(people.slice(1).map((p) => cosign(topic.id, p.token)));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const after = await view(topic.id);
    expect(after).toMatchObject({ status: 'review', cosignCount: 25 });
    expect(after.reachedAt).not.toBeNull();
    const events = await topicEvents(topic.id);
    expect(events.filter((e) => e.type === 'topic.threshold_reached')).toHaveLength(1);
    // the crossing is the co-sign that made the tenth signature
    const crossing = events.findIndex((e) => e.type === 'topic.threshold_reached');
    expect(events[crossing - 1]!.data.cosignCount).toBe(10);
    expect(events.map((e) => e.data.seq)).toEqual(events.map((_, i) => i + 1));
    expect(after.timeline.filter((e) => e.type === 'threshold_reached')).toHaveLength(1);
  });

  it('a topic keeps the threshold it was opened with', async () => {
    await setThreshold(home.id, 2);
    const [a, b] = await residentsOf(t, home.id, 2);
    const topic = (await open(a!.token)).body;
    await setThreshold(home.id, 50);
    await cosign(topic.id, b!.token);
    expect(await view(topic.id)).toMatchObject({ threshold: 2, status: 'review' });
  });

  it('refuses residents of another community, staff, unknown topics and answered topics; nothing written', async () => {
    await setThreshold(home.id, null);
    const [opener] = await residentsOf(t, home.id, 1);
    const [stranger] = await residentsOf(t, other.id, 1);
    const [homeless] = await residentsOf(t, null, 1);
    const topic = (await open(opener!.token)).body;
    const before = await footprint();
    const cases: [string | undefined, string, number, string][] = [
      [stranger!.token, `${topic.id}`, 403, 'NOT_COMMUNITY_RESIDENT'],
      [homeless!.token, `${topic.id}`, 409, 'RESIDENT_COMMUNITY_REQUIRED'],
      [cast.tokens.dispatcher, `${topic.id}`, 403, 'FORBIDDEN_ROLE'],
      [undefined, `${topic.id}`, 401, 'AUTH_REQUIRED'],
      [stranger!.token, '999999', 404, 'TOPIC_NOT_FOUND'],
      [stranger!.token, 'abc', 400, 'VALIDATION_FAILED'],
    ];
    for (const [token, id, status, code] of cases) {
      const res = await t.api.post(`/api/v1/topics/${id}/cosign`, {}, token);
      expect([res.status, res.body?.code]).toEqual([status, code]);
    }
    expect(await footprint()).toEqual(before);
  });
});

describe('lists and the public page', () => {
  it('residents list their community’s topics only; staff by region, department and assignment', async () => {
    const mineTopic = await topicInReview(home.id);
    const theirs = await topicInReview(other.id);
    const [neighbour] = await residentsOf(t, home.id, 1);
    const ids = async (token: string, q = '') =>
      (await t.api.get<TopicPage>(`/api/v1/topics?pageSize=100${q}`, token)).body.items.map((i) => i.id);
    const resident = await t.api.get<TopicPage>('/api/v1/topics?pageSize=100', neighbour!.token);
    expect(resident.body.items.every((i) => i.communityId === home.id)).toBe(true);
    expect(resident.body.items.find((i) => i.id === mineTopic.id)?.mine).toEqual({ cosigned: false, score: null });
    expect(await ids(neighbour!.token)).not.toContain(theirs.id);
    expect(await ids(cast.tokens.dispatcher!)).toEqual(expect.arrayContaining([mineTopic.id, theirs.id]));
    expect(await ids(cast.tokens.dispatcher_s1!)).toContain(mineTopic.id);
    expect(await ids(cast.tokens.dispatcher_s1!)).not.toContain(theirs.id);
    expect(await ids(cast.tokens.lead1!)).not.toContain(mineTopic.id);
    expect(await ids(cast.tokens.dispatcher!, '&status=review')).toContain(mineTopic.id);
    const bad = await t.api.get('/api/v1/topics?status=closed', cast.tokens.dispatcher);
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await t.api.get('/api/v1/topics')).status).toBe(401);
  });

  it('the progress page is public and carries counts, never who signed', async () => {
    const { id, cosigners } = await topicInReview();
    const res = await t.api.get<TopicView>(`/api/v1/topics/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, cosignCount: 3, status: 'review' });
    const text = JSON.stringify(res.body);
    for (const c of cosigners) expect(text).not.toMatch(new RegExp(`"(userId|openedBy|cosigners?)"|\\b${c.id}\\b.*resident`));
    expect(Object.keys(res.body)).not.toEqual(expect.arrayContaining(['openedBy']));
    expect((await t.api.get('/api/v1/topics/999999')).body.code).toBe('TOPIC_NOT_FOUND');
  });
});

describe('assignment, the reply clock, the answer and evaluation', () => {
  it('the dispatcher assigns to a department; the clock warns, breaches; the late answer is evaluated once per co-signer', async () => {
    const { id, cosigners } = await topicInReview();
    const assigned = await t.api.post<TopicView>(
      `/api/v1/topics/${id}/assign`,
      { departmentId: cast.departmentId, workDays: 2, note: '会审: 交城管' },
      cast.tokens.dispatcher_s1,
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'assigned', assignee: { kind: 'department', departmentId: cast.departmentId } });
    const reply = assigned.body.reply!;
    expect(Date.parse(reply.warnAt)).toBeGreaterThan(Date.parse(reply.assignedAt));
    expect(Date.parse(reply.dueAt)).toBeGreaterThan(Date.parse(reply.warnAt));
    // now the department sees it
    expect((await t.api.get<TopicPage>('/api/v1/topics?pageSize=100', cast.tokens.lead1)).body.items.map((i) => i.id)).toContain(id);

    // nothing fires before the warning instant
    await advancePast(t, new Date(Date.parse(reply.warnAt) - 120_000).toISOString());
    expect(await firings(id)).toBe(0);
    expect((await view(id)).reply!.warnedAt).toBeNull();
    expect(await advancePast(t, reply.warnAt)).toBeGreaterThanOrEqual(1);
    expect(await firings(id)).toBe(1);
    expect((await view(id)).reply).toMatchObject({ warnedAt: expect.any(String), breachedAt: null, overdue: false });
    await advancePast(t, reply.dueAt);
    expect(await firings(id)).toBe(2);
    const late = await view(id);
    expect(late.reply).toMatchObject({ breachedAt: expect.any(String), overdue: true });
    expect(late.timeline.map((e) => e.type)).toEqual(['opened', 'threshold_reached', 'assigned', 'reply_warning', 'reply_breached']);
    expect(
      (await t.api.get<TopicPage>('/api/v1/topics?overdue=true&pageSize=100', cast.tokens.dispatcher)).body.items.map((i) => i.id),
    ).toContain(id);
    // a second sweep fires nothing more
    await advancePast(t, new Date(Date.parse(reply.dueAt) + 86_400_000).toISOString());
    expect(await firings(id)).toBe(2);

    // answer: refusals first, nothing written
    const before = await footprint();
    const refusals: [string | undefined, object, number, string][] = [
      [cast.tokens.lead2, { answer: '答复' }, 404, 'TOPIC_NOT_FOUND'],
      [cast.tokens.dispatcher_s1, { answer: '答复' }, 403, 'FORBIDDEN_RELATION'],
      [cosigners[0]!.token, { answer: '答复' }, 403, 'FORBIDDEN_ROLE'],
      [cast.tokens.lead1, { answer: '  ' }, 400, 'VALIDATION_FAILED'],
      [cast.tokens.lead1, {}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [token, b, status, code] of refusals) {
      const res = await t.api.post(`/api/v1/topics/${id}/answer`, b, token);
      expect([res.status, res.body?.code]).toEqual([status, code]);
    }
    const early = await t.api.post(`/api/v1/topics/${id}/evaluate`, { score: 5 }, cosigners[0]!.token);
    expect([early.status, early.body.code]).toEqual([409, 'TOPIC_ACTION_NOT_ALLOWED']);
    expect(await footprint()).toEqual(before);

    const answered = await t.api.post<TopicView>(
      `/api/v1/topics/${id}/answer`,
      { answer: '已安排维修，本周内修复三盏路灯。' },
      cast.tokens.lead1,
    );
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', answer: '已安排维修，本周内修复三盏路灯。' });
    expect(answered.body.reply).toMatchObject({ onTime: false, overdue: false, answeredAt: expect.any(String) });
    const again = await t.api.post(`/api/v1/topics/${id}/answer`, { answer: '再答' }, cast.tokens.lead1);
    expect([again.status, again.body.code]).toEqual([409, 'TOPIC_ACTION_NOT_ALLOWED']);
    const [neighbour] = await residentsOf(t, home.id, 1);
    expect((await cosign(id, neighbour!.token)).body.code).toBe('TOPIC_ACTION_NOT_ALLOWED');

    // evaluation: co-signers once each
    const first = await t.api.post<TopicView>(`/api/v1/topics/${id}/evaluate`, { score: 4, comment: '还算及时' }, cosigners[0]!.token);
    expect(first.status).toBe(200);
    const second = await t.api.post<TopicView>(`/api/v1/topics/${id}/evaluate`, { score: 2 }, cosigners[1]!.token);
    expect(second.body.evaluation).toEqual({ count: 2, average: 3 });
    const beforeBad = await footprint();
    const bad: [string, object, number, string][] = [
      [cosigners[0]!.token, { score: 5 }, 409, 'ALREADY_EVALUATED'],
      [neighbour!.token, { score: 5 }, 403, 'NOT_A_COSIGNER'],
      [cosigners[2]!.token, { score: 6 }, 400, 'VALIDATION_FAILED'],
      [cosigners[2]!.token, { score: 2.5 }, 400, 'VALIDATION_FAILED'],
      [cast.tokens.lead1!, { score: 5 }, 403, 'FORBIDDEN_ROLE'],
    ];
    for (const [token, b, status, code] of bad) {
      const res = await t.api.post(`/api/v1/topics/${id}/evaluate`, b, token);
      expect([res.status, res.body?.code]).toEqual([status, code]);
    }
    expect(await footprint()).toEqual(beforeBad);
    const state = await t.api.get<MyTopicState>(`/api/v1/topics/${id}/mine`, cosigners[0]!.token);
    expect(state.body).toMatchObject({ cosigned: true, score: 4, mayEvaluate: false });

    await t.app.get(EventRelay).drain();
    const events = await topicEvents(id);
    expect(events.map((e) => e.type)).toEqual([
      'topic.opened',
      'topic.cosigned',
      'topic.cosigned',
      'topic.threshold_reached',
      'topic.assigned',
      'topic.reply_warning',
      'topic.reply_breached',
      'topic.answered',
      'topic.evaluated',
      'topic.evaluated',
    ]);
    expect(events.map((e) => e.data.seq)).toEqual(events.map((_, i) => i + 1));
    // payloads carry counts and offices, never a resident's id
    for (const e of events) for (const c of cosigners) expect(Object.values(e.data)).not.toContain(c.id);
  });

  it('an answer before the warning stops the clock: nothing fires later', async () => {
    const { id } = await topicInReview();
    const leader = cast.users.viewer!;
    const res = await t.api.post<TopicView>(
      `/api/v1/topics/${id}/assign`,
      { assigneeUserId: leader.id, dueAt: new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString() },
      cast.tokens.dispatcher,
    );
    expect(res.body.assignee).toMatchObject({ kind: 'user', userId: leader.id });
    // the leader sees it among theirs and answers it
    expect((await t.api.get<TopicPage>('/api/v1/topics?pageSize=100', cast.tokens.viewer)).body.items.map((i) => i.id)).toContain(id);
    const answered = await t.api.post<TopicView>(`/api/v1/topics/${id}/answer`, { answer: '已研究，下月启动改造。' }, cast.tokens.viewer);
    expect(answered.body.reply).toMatchObject({ onTime: true });
    await advancePast(t, res.body.reply!.dueAt);
    expect(await firings(id)).toBe(0);
    expect((await view(id)).reply).toMatchObject({ warnedAt: null, breachedAt: null, overdue: false });
  });

  it('refuses bad assignments with stable codes; nothing written', async () => {
    const { id } = await topicInReview();
    const [opener] = await residentsOf(t, other.id, 1);
    await setThreshold(other.id, null);
    const outside = (await open(opener!.token, { ...body(), communityId: other.id })).body;
    const resident = cast.users.res1!;
    const future = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const before = await footprint();
    const cases: [string | undefined, number, object, number, string][] = [
      [cast.tokens.lead1, id, { departmentId: cast.departmentId, workDays: 2 }, 403, 'FORBIDDEN_ROLE'],
      [cast.tokens.viewer, id, { departmentId: cast.departmentId, workDays: 2 }, 403, 'FORBIDDEN_ROLE'],
      [cast.tokens.dispatcher_s1, outside.id, { departmentId: cast.departmentId, workDays: 2 }, 404, 'TOPIC_NOT_FOUND'],
      [cast.tokens.dispatcher, outside.id, { departmentId: cast.departmentId, workDays: 2 }, 409, 'TOPIC_ACTION_NOT_ALLOWED'],
      [
        cast.tokens.dispatcher,
        id,
        { departmentId: cast.departmentId, assigneeUserId: cast.users.viewer!.id, workDays: 2 },
        400,
        'VALIDATION_FAILED',
      ],
      [cast.tokens.dispatcher, id, { departmentId: cast.departmentId }, 400, 'VALIDATION_FAILED'],
      [cast.tokens.dispatcher, id, { departmentId: cast.departmentId, workDays: 2, dueAt: future }, 400, 'VALIDATION_FAILED'],
      [cast.tokens.dispatcher, id, { departmentId: cast.departmentId, workDays: 0 }, 400, 'VALIDATION_FAILED'],
      [cast.tokens.dispatcher, id, { departmentId: cast.departmentId, dueAt: 'tomorrow' }, 400, 'VALIDATION_FAILED'],
      [cast.tokens.dispatcher, id, { departmentId: cast.departmentId, dueAt: '2020-01-01T00:00:00Z' }, 422, 'TOPIC_DUE_INVALID'],
      [cast.tokens.dispatcher, id, { assigneeUserId: resident.id, workDays: 2 }, 422, 'TOPIC_ASSIGNEE_INVALID'],
      [cast.tokens.dispatcher, id, { departmentId: 99999, workDays: 2 }, 422, 'TOPIC_ASSIGNEE_INVALID'],
      [cast.tokens.dispatcher, 999999, { departmentId: cast.departmentId, workDays: 2 }, 404, 'TOPIC_NOT_FOUND'],
      [undefined, id, { departmentId: cast.departmentId, workDays: 2 }, 401, 'AUTH_REQUIRED'],
    ];
    for (const [token, topicId, b, status, code] of cases) {
      const res = await t.api.post(`/api/v1/topics/${topicId}/assign`, b, token);
      expect([res.status, res.body?.code]).toEqual([status, code]);
    }
    expect(await footprint()).toEqual(before);
  });
});

describe('thresholds (admin)', () => {
  it('only admins set a community’s threshold; each change is audited', async () => {
    const forbidden = await t.api.request('PUT', `/api/v1/admin/topic-thresholds/${home.id}`, {
      token: cast.tokens.dispatcher,
      body: { threshold: 5 },
    });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    const zero = await setThreshold(home.id, 0);
    expect([zero.status, zero.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const grid = await setThreshold(cast.gridId, 5);
    expect([grid.status, grid.body.code]).toEqual([422, 'COMMUNITY_INVALID']);
    const auditBefore = await count('admin_audit');
    const ok = await setThreshold(home.id, 7);
    expect(ok.body).toMatchObject({ communityId: home.id, threshold: 7, effective: 7 });
    const { rows } = await t.sql.query(
      `SELECT action, after FROM admin_audit WHERE entity_type = 'region' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [String(home.id)],
    );
    expect(rows[0]).toEqual({ action: 'topic_threshold', after: { topicThreshold: 7 } });
    expect(await count('admin_audit')).toBe(auditBefore + 1);
    const list = await t.api.get<{ communityId: number; effective: number }[]>('/api/v1/admin/topic-thresholds', cast.tokens.admin);
    expect(list.body.find((c) => c.communityId === home.id)?.effective).toBe(7);
  });
});
