import type { IssueDetail, IssueSummary, Page, RegionView, UserView } from '@gridline/shared';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The everyday moves of SPEC §15 (ADR 0041), each through the one transition path: a department's
 * hold request approved (suspend) or declined, a lead re-assigning the task after signing, and a
 * community or street centre passing an issue up — each with its audit event and outbox event,
 * its scope checks, and nothing written on refusal.
 */
let t: TestApp;
let cast: Cast;
/** A community centre over worker1's grid, its street centre (dispatcher_s1) and the district's (dispatcher). */
let ids: { grid: number; community: number; street: number; district: number };
let communityToken: string;
/** A dispatcher of another street: must never see worker1's issues. */
let otherStreetToken: string;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  const regions = (await t.api.get<RegionView[]>('/api/v1/regions', cast.tokens.admin)).body;
  const parent = (id: number) => regions.find((r) => r.id === id)!.parentId!;
  const grid = cast.gridId;
  const community = parent(grid);
  const street = parent(community);
  ids = { grid, community, street, district: parent(street) };
  const otherStreet = regions.find((r) => r.level === 'street' && r.id !== street)!.id;
  for (const [username, regionId] of [
    ['cc_community', community],
    ['cc_other_street', otherStreet],
  ] as const) {
    const res = await t.api.post<UserView>(
      '/api/v1/admin/users',
      { username, displayName: username, password: 'long-enough-1', role: 'dispatcher', regionId },
      cast.tokens.admin,
    );
    expect(res.status).toBe(201);
  }
  communityToken = await t.api.token('cc_community', 'long-enough-1');
  otherStreetToken = await t.api.token('cc_other_street', 'long-enough-1');
});
afterAll(() => t?.close());

const post = (token: string, issue: { id: number; version: number }, action: string, body: object = {}) =>
  t.api.request<IssueDetail & { code?: string }>('POST', `/api/v1/issues/${issue.id}/actions/${action}`, {
    token,
    body: { version: issue.version, ...body },
  });
const detail = async (token: string, id: number) => (await t.api.get<IssueDetail>(`/api/v1/issues/${id}`, token)).body;
const list = async (token: string, query: string) => (await t.api.get<Page<IssueSummary>>(`/api/v1/issues?${query}`, token)).body;

/** Domain events written, whether the relay already moved them to the archive or not. */
const EVENTS = 'SELECT id, type, data FROM event_outbox UNION ALL SELECT id, type, data FROM event_archive';

/** Everything a refused move must leave as it was. */
async function footprint(issueId: number) {
  const { rows } = await t.sql.query(
    `SELECT i.version, i.status, i.assignee_id, i.escalated_to_region_id,
            (SELECT count(*)::int FROM issue_events WHERE issue_id = i.id) AS events,
            (SELECT count(*)::int FROM (${EVENTS}) e WHERE (e.data->>'issueId')::int = i.id) AS outbox,
            (SELECT json_agg(h ORDER BY h.id) FROM hold_requests h WHERE h.issue_id = i.id) AS holds
       FROM issues i WHERE i.id = $1`,
    [issueId],
  );
  return rows[0];
}

/** The audit event and the outbox event of the issue's last move, written in the same transaction. */
async function lastMove(issueId: number) {
  const event = (
    await t.sql.query('SELECT type, actor_id, note, data FROM issue_events WHERE issue_id = $1 ORDER BY id DESC LIMIT 1', [issueId])
  ).rows[0];
  const outbox = (
    await t.sql.query(
      `SELECT type, data->>'action' AS action FROM (${EVENTS}) e WHERE (data->>'issueId')::int = $1 ORDER BY id DESC LIMIT 1`,
      [issueId],
    )
  ).rows[0];
  return { event, outbox };
}

async function expectRefused(token: string, issue: IssueDetail, action: string, body: object, status: number, code: string) {
  const before = await footprint(issue.id);
  const res = await post(token, issue, action, body);
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(await footprint(issue.id)).toEqual(before);
}

describe('挂账申请: a department asks for a hold', () => {
  it('shows the pending request to both sides; the dispatcher approves it by putting the issue on hold', async () => {
    let issue = await issueIn(t.api, cast, 'in_progress');
    issue = await act(t.api, cast.tokens.lead1!, issue, 'request_hold', { reason: '等待燃气管线迁改' });
    expect(issue.status).toBe('in_progress');
    expect(issue.pendingHoldRequest).toMatchObject({ reason: '等待燃气管线迁改', requestedById: cast.users.lead1!.id });
    expect(await lastMove(issue.id)).toMatchObject({
      event: { type: 'request_hold', actor_id: cast.users.lead1!.id, note: '等待燃气管线迁改' },
      outbox: { type: 'issue.transitioned', action: 'request_hold' },
    });

    const forDispatcher = await detail(cast.tokens.dispatcher!, issue.id);
    expect(forDispatcher.pendingHoldRequest?.reason).toBe('等待燃气管线迁改');
    expect(forDispatcher.allowedActions).toEqual(expect.arrayContaining(['suspend', 'decline_hold']));
    expect((await list(cast.tokens.dispatcher!, 'hasPendingHold=true')).items.map((i) => i.id)).toContain(issue.id);

    // One request at a time.
    await expectRefused(cast.tokens.lead1!, issue, 'request_hold', { reason: '再次申请' }, 409, 'HOLD_ALREADY_PENDING');

    const held = await act(t.api, cast.tokens.dispatcher!, forDispatcher, 'suspend', { reason: '同意挂账' });
    expect(held.status).toBe('suspended');
    expect(held.pendingHoldRequest).toBeNull();
    expect(held.slaClocks.find((c) => c.stage === 'handle' && c.stoppedAt === null)?.paused).toBe(true);
    const { rows } = await t.sql.query('SELECT id, status, decided_by, decision_note FROM hold_requests WHERE issue_id = $1', [issue.id]);
    expect(rows).toEqual([
      { id: expect.any(Number), status: 'approved', decided_by: cast.users.dispatcher!.id, decision_note: '同意挂账' },
    ]);
    expect(await lastMove(issue.id)).toMatchObject({
      event: { type: 'suspend', data: { holdRequestId: rows[0].id } },
      outbox: { type: 'issue.transitioned', action: 'suspend' },
    });
    expect((await list(cast.tokens.dispatcher!, 'hasPendingHold=true')).items.map((i) => i.id)).not.toContain(issue.id);
  });

  it('is declined with a reason; the task goes on and may be asked for again', async () => {
    let issue = await issueIn(t.api, cast, 'in_progress');
    // Nothing to decline yet.
    await expectRefused(cast.tokens.dispatcher!, issue, 'decline_hold', { reason: '无申请' }, 409, 'HOLD_NOT_PENDING');
    issue = await act(t.api, cast.tokens.lead1!, issue, 'request_hold', { reason: '等待物资' });
    await expectRefused(cast.tokens.dispatcher!, issue, 'decline_hold', {}, 400, 'VALIDATION_FAILED');
    const clocksBefore = issue.slaClocks;
    issue = await act(t.api, cast.tokens.dispatcher!, issue, 'decline_hold', { reason: '可先行处置' });
    expect(issue.status).toBe('in_progress');
    expect(issue.pendingHoldRequest).toBeNull();
    expect(issue.slaClocks.map((c) => [c.id, c.dueAt, c.paused])).toEqual(clocksBefore.map((c) => [c.id, c.dueAt, c.paused]));
    expect(await lastMove(issue.id)).toMatchObject({
      event: { type: 'decline_hold', actor_id: cast.users.dispatcher!.id, note: '可先行处置' },
      outbox: { type: 'issue.transitioned', action: 'decline_hold' },
    });
    const { rows } = await t.sql.query('SELECT status, decision_note FROM hold_requests WHERE issue_id = $1', [issue.id]);
    expect(rows).toEqual([{ status: 'declined', decision_note: '可先行处置' }]);
    issue = await act(t.api, cast.tokens.lead1!, issue, 'request_hold', { reason: '物资仍未到' });
    expect(issue.pendingHoldRequest?.reason).toBe('物资仍未到');
  });

  it('is for the lead of the department only, with a reason', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    await expectRefused(cast.tokens.lead1!, issue, 'request_hold', {}, 400, 'VALIDATION_FAILED');
    await expectRefused(cast.tokens.staff1!, issue, 'request_hold', { reason: '理由' }, 403, 'FORBIDDEN_ROLE');
    await expectRefused(cast.tokens.lead2!, issue, 'request_hold', { reason: '理由' }, 404, 'ISSUE_NOT_FOUND');
    await expectRefused(
      cast.tokens.lead1!,
      await issueIn(t.api, cast, 'dispatched'),
      'request_hold',
      { reason: '理由' },
      409,
      'ISSUE_ACTION_NOT_ALLOWED',
    );
  });

  it('lapses when the task is resolved before anyone decided', async () => {
    let issue = await issueIn(t.api, cast, 'in_progress');
    issue = await act(t.api, cast.tokens.lead1!, issue, 'request_hold', { reason: '等待' });
    issue = await act(t.api, cast.tokens.staff1!, issue, 'resolve', { note: '已处置' });
    expect(issue.pendingHoldRequest).toBeNull();
    const { rows } = await t.sql.query('SELECT status FROM hold_requests WHERE issue_id = $1', [issue.id]);
    expect(rows).toEqual([{ status: 'lapsed' }]);
  });
});

describe('改派: the lead re-assigns the task after signing', () => {
  it('hands the task to another member of the department: the old assignee loses it, the new one has it', async () => {
    let issue = await issueIn(t.api, cast, 'in_progress');
    expect(issue.assigneeId).toBe(cast.users.staff1!.id);
    expect(issue.allowedActions).toContain('assign');
    issue = await act(t.api, cast.tokens.lead1!, issue, 'assign', { assigneeId: cast.users.lead1!.id, note: '改由负责人处置' });
    expect(issue.assigneeId).toBe(cast.users.lead1!.id);
    expect(await lastMove(issue.id)).toMatchObject({
      event: { type: 'assign', data: { assigneeId: cast.users.lead1!.id, previousAssigneeId: cast.users.staff1!.id } },
      outbox: { type: 'issue.transitioned', action: 'assign' },
    });
    // Staff see only their own tasks.
    expect((await t.api.get(`/api/v1/issues/${issue.id}`, cast.tokens.staff1)).status).toBe(404);
    issue = await act(t.api, cast.tokens.lead1!, issue, 'assign', { assigneeId: cast.users.staff1!.id });
    expect((await detail(cast.tokens.staff1!, issue.id)).allowedActions).toContain('resolve');
  });

  it('refuses someone outside the department with a stable code, and the one already working it', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    // The lead of another department, and a dispatcher: neither works this department's tasks.
    await expectRefused(cast.tokens.lead1!, issue, 'assign', { assigneeId: cast.users.lead2!.id }, 422, 'ASSIGNEE_NOT_IN_DEPARTMENT');
    await expectRefused(cast.tokens.lead1!, issue, 'assign', { assigneeId: cast.users.dispatcher!.id }, 422, 'ASSIGNEE_NOT_IN_DEPARTMENT');
    await expectRefused(cast.tokens.lead1!, issue, 'assign', { assigneeId: cast.users.staff1!.id }, 409, 'ASSIGNEE_UNCHANGED');
    await expectRefused(cast.tokens.lead1!, issue, 'assign', {}, 400, 'VALIDATION_FAILED');
    await expectRefused(cast.tokens.staff1!, issue, 'assign', { assigneeId: cast.users.lead1!.id }, 403, 'FORBIDDEN_ROLE');
    await expectRefused(cast.tokens.lead2!, issue, 'assign', { assigneeId: cast.users.lead2!.id }, 404, 'ISSUE_NOT_FOUND');
    // Before signing there is nobody to re-assign: sign chooses the assignee.
    await expectRefused(
      cast.tokens.lead1!,
      await issueIn(t.api, cast, 'dispatched'),
      'assign',
      { assigneeId: cast.users.lead1!.id },
      409,
      'ISSUE_ACTION_NOT_ALLOWED',
    );
  });
});

describe('上报: a community or street centre passes an issue up', () => {
  it('goes to the centre one level up, which finds it in its queue; the lower centre watches; its clocks run on', async () => {
    let issue = await report(t.api, cast);
    const community = await detail(communityToken, issue.id);
    expect(community.allowedActions).toContain('escalate');
    expect((await detail(cast.tokens.dispatcher!, issue.id)).allowedActions).not.toContain('escalate');
    const clocks = async () =>
      (
        await t.sql.query('SELECT id, stage, started_at, due_at, paused_ms, stopped_at FROM sla_clocks WHERE issue_id = $1 ORDER BY id', [
          issue.id,
        ])
      ).rows;
    const clocksBefore = await clocks();
    expect(clocksBefore.length).toBeGreaterThan(0);

    t.clock.advance(5 * 60_000);
    issue = await act(t.api, communityToken, community, 'escalate', { reason: '涉及多个社区，需街道协调' });
    expect(issue.status).toBe('reported');
    expect(issue.escalatedToRegionId).toBe(ids.street);
    expect(issue.allowedActions).toEqual([]);
    expect(await lastMove(issue.id)).toMatchObject({
      event: { type: 'escalate', note: '涉及多个社区，需街道协调', data: { fromRegionId: ids.community, toRegionId: ids.street } },
      outbox: { type: 'issue.transitioned', action: 'escalate' },
    });
    // Not restarted, not stopped, not moved.
    expect(await clocks()).toEqual(clocksBefore);

    // The street centre's queue has it, and it acts on it; the community centre no longer may.
    expect((await list(cast.tokens.dispatcher_s1!, 'escalatedToMe=true')).items.map((i) => i.id)).toContain(issue.id);
    expect((await list(communityToken, 'escalatedToMe=true')).items.map((i) => i.id)).not.toContain(issue.id);
    await expectRefused(communityToken, issue, 'accept', {}, 403, 'FORBIDDEN_RELATION');
    await expectRefused(communityToken, issue, 'escalate', { reason: '再上报' }, 403, 'FORBIDDEN_RELATION');
    const street = await detail(cast.tokens.dispatcher_s1!, issue.id);
    expect(street.allowedActions).toEqual(expect.arrayContaining(['accept', 'escalate']));

    // And on to the district, the top: no further up from there.
    issue = await act(t.api, cast.tokens.dispatcher_s1!, street, 'escalate', { reason: '需区级统筹' });
    expect(issue.escalatedToRegionId).toBe(ids.district);
    expect((await list(cast.tokens.dispatcher!, 'escalatedToMe=true')).items.map((i) => i.id)).toContain(issue.id);
    expect((await list(cast.tokens.dispatcher_s1!, 'escalatedToMe=true')).items.map((i) => i.id)).not.toContain(issue.id);
    await expectRefused(cast.tokens.dispatcher_s1!, issue, 'accept', {}, 403, 'FORBIDDEN_RELATION');
    const district = await detail(cast.tokens.dispatcher!, issue.id);
    expect(district.allowedActions).toContain('accept');
    expect(district.allowedActions).not.toContain('escalate');
    await expectRefused(cast.tokens.dispatcher!, district, 'escalate', { reason: '无上级' }, 403, 'FORBIDDEN_RELATION');
    expect(await clocks()).toEqual(clocksBefore);
    await act(t.api, cast.tokens.dispatcher!, district, 'accept');
  });

  it('stays invisible to centres outside the scope, and needs a reason', async () => {
    const issue = await report(t.api, cast);
    await expectRefused(communityToken, issue, 'escalate', {}, 400, 'VALIDATION_FAILED');
    await expectRefused(otherStreetToken, issue, 'escalate', { reason: '理由' }, 404, 'ISSUE_NOT_FOUND');
    await expectRefused(cast.tokens.lead1!, issue, 'escalate', { reason: '理由' }, 403, 'FORBIDDEN_ROLE');
    const escalated = await act(t.api, communityToken, issue, 'escalate', { reason: '需街道协调' });
    expect((await t.api.get(`/api/v1/issues/${escalated.id}`, otherStreetToken)).status).toBe(404);
    expect((await list(otherStreetToken, 'escalatedToMe=true')).items.map((i) => i.id)).not.toContain(issue.id);
    expect((await t.api.get(`/api/v1/issues/${escalated.id}`, cast.tokens.viewer_s2)).status).toBe(404);
  });

  it('is not offered once the issue is resolved', async () => {
    const issue = await issueIn(t.api, cast, 'resolved');
    await expectRefused(communityToken, issue, 'escalate', { reason: '理由' }, 409, 'ISSUE_ACTION_NOT_ALLOWED');
  });
});
