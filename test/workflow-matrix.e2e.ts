import {
  ISSUE_STATUSES,
  TRANSITION_ACTIONS,
  type IssueDetail,
  type IssueStatus,
  type IssueTransitionAction,
  type Relation,
  type Role,
} from '@gridline/shared';
import { act, issueIn, loadCast, photo, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';
import { expectedActions, expectedFrom, expectedNext, expectedRoleMayTake } from './support/workflow-expected';

/**
 * Every action × every status × every role, the expected answers taken from the hand-written
 * table (support/workflow-expected.ts), not from the table the server enforces: allowed ones
 * succeed and move the issue as the product says; the rest get the right 403/404/409 and write
 * nothing. The fixture issue lies in worker1's grid and, once dispatched, belongs to lead1's
 * department and is assigned to staff1 (see issueIn). The dispatcher is the street centre over
 * that grid (dispatcher_s1): it does all a dispatcher does and, as a centre with one above it,
 * may also pass issues up (escalate).
 */
const ACTORS: Record<Role, string> = {
  grid_worker: 'worker1',
  dispatcher: 'dispatcher_s1',
  dept_lead: 'lead1',
  dept_staff: 'staff1',
  viewer: 'viewer',
  admin: 'admin',
  resident: 'res1',
  volunteer: 'vol1',
};

const WITH_DEPARTMENT: IssueStatus[] = ['dispatched', 'in_progress', 'suspended', 'resolved', 'closed'];

/** What each actor should be able to see of the fixture issue, written out by hand. */
function sees(role: Role, status: IssueStatus): boolean {
  if (role === 'dept_lead' || role === 'dept_staff') return WITH_DEPARTMENT.includes(status);
  // A resident sees only what they reported; the fixture issue is worker1's.
  if (role === 'resident' || role === 'volunteer') return false;
  return true;
}

function relationsOf(role: Role, status: IssueStatus): Set<Relation> {
  switch (role) {
    case 'grid_worker':
      return new Set(['grid', 'reporter']);
    case 'dispatcher':
      // A street centre handling the issue (nothing in the fixtures was passed up).
      return new Set(['region', 'local_centre']);
    case 'viewer':
      return new Set(['region']);
    case 'dept_lead':
      return new Set(WITH_DEPARTMENT.includes(status) ? ['department'] : []);
    case 'dept_staff':
      return new Set(WITH_DEPARTMENT.includes(status) ? (status === 'dispatched' ? ['department'] : ['department', 'assignee']) : []);
    case 'admin':
    case 'resident':
    case 'volunteer':
      return new Set();
  }
}

type Expected = { status: 200 } | { status: 403 | 404 | 409; code: string };

function expected(role: Role, action: IssueTransitionAction, status: IssueStatus): Expected {
  if (!expectedRoleMayTake(role, action, ISSUE_STATUSES)) return { status: 403, code: 'FORBIDDEN_ROLE' };
  if (!sees(role, status)) return { status: 404, code: 'ISSUE_NOT_FOUND' };
  if (!expectedFrom(status, action, ROLES)) return { status: 409, code: 'ISSUE_ACTION_NOT_ALLOWED' };
  if (!expectedActions(status, role, relationsOf(role, status)).includes(action)) return { status: 403, code: 'FORBIDDEN_RELATION' };
  return { status: 200 };
}

const ROLES = Object.keys(ACTORS) as Role[];
const CASES = TRANSITION_ACTIONS.flatMap((action) =>
  ISSUE_STATUSES.flatMap((status) => ROLES.map((role) => ({ action, status, role, expect: expected(role, action, status) }))),
);

let t: TestApp;
let cast: Cast;
/** One issue per status for the refusals: they must leave it untouched, so it can be shared. */
const shared = new Map<IssueStatus, IssueDetail>();

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  for (const status of ISSUE_STATUSES) shared.set(status, await issueIn(t.api, cast, status));
});
afterAll(() => t?.close());

async function footprint(issueId: number) {
  const { rows } = await t.sql.query(
    `SELECT i.version, i.status, i.department_id, i.assignee_id,
            (SELECT count(*)::int FROM issue_events WHERE issue_id = i.id) AS events,
            (SELECT count(*)::int FROM extension_requests WHERE issue_id = i.id) AS extensions,
            (SELECT count(*)::int FROM supervisions WHERE issue_id = i.id) AS supervisions,
            (SELECT count(*)::int FROM evaluations WHERE issue_id = i.id) AS evaluations,
            (SELECT count(*)::int FROM attachments WHERE issue_id = i.id) AS attachments,
            (SELECT count(*)::int FROM hold_requests WHERE issue_id = i.id) AS holds,
            i.escalated_to_region_id
       FROM issues i WHERE i.id = $1`,
    [issueId],
  );
  return rows[0];
}

async function bodyFor(action: IssueTransitionAction): Promise<{ body: object; photos?: Buffer[] }> {
  switch (action) {
    case 'resolve_on_site':
      return { body: { note: '现场已处理' }, photos: [photo()] };
    case 'reject':
    case 'return':
    case 'suspend':
    case 'reopen':
    case 'request_hold':
    case 'decline_hold':
    case 'escalate':
      return { body: { reason: '测试理由' } };
    case 'assign':
      // The fixture task is staff1's; the lead takes it over.
      return { body: { assigneeId: cast.users.lead1!.id } };
    case 'merge':
      return { body: { primaryIssueId: (await report(t.api, cast)).id } };
    case 'dispatch':
      return { body: { departmentId: cast.departmentId } };
    case 'resolve':
      return { body: { note: '处置完毕' } };
    case 'request_extension':
      return { body: { minutes: 120, reason: '需要协调物资' } };
    case 'decide_extension':
      return { body: { approve: true } };
    case 'supervise':
      return { body: { note: '请尽快处置' } };
    case 'evaluate':
      return { body: { score: 5 } };
    case 'reclassify':
      return { body: { priority: 'high' } };
    case 'request_info':
      return { body: { note: '请补充照片' } };
    case 'provide_info':
      return { body: { note: '已补充' } };
    default:
      return { body: {} };
  }
}

/** A fresh issue in `status`, with what the action needs beforehand (a pending extension or hold request, a question). */
async function freshIssueFor(action: IssueTransitionAction, status: IssueStatus): Promise<IssueDetail> {
  if (action === 'decline_hold') {
    const issue = await issueIn(t.api, cast, 'in_progress');
    return act(t.api, cast.tokens.lead1!, issue, 'request_hold', { reason: '等待管线迁改' });
  }
  if (action === 'provide_info') {
    // An answer needs a question waiting.
    const issue = await issueIn(t.api, cast, 'in_progress');
    return act(t.api, cast.tokens.lead1!, issue, 'request_info', { note: '请补充照片' });
  }
  if (action !== 'decide_extension') return issueIn(t.api, cast, status);
  let issue = await issueIn(t.api, cast, 'in_progress');
  issue = await act(t.api, cast.tokens.lead1!, issue, 'request_extension', { minutes: 60, reason: '材料未到' });
  if (status === 'suspended') issue = await act(t.api, cast.tokens.dispatcher!, issue, 'suspend', { reason: '挂账' });
  return issue;
}

describe.each(TRANSITION_ACTIONS)('%s', (action) => {
  const cases = CASES.filter((c) => c.action === action);

  it.each(cases)('from $status as $role → $expect.status', async ({ status, role, expect: want }) => {
    const token = cast.tokens[ACTORS[role]]!;
    const issue = want.status === 200 ? await freshIssueFor(action, status) : shared.get(status)!;
    const current = await footprint(issue.id);
    const { body, photos } = await bodyFor(action);
    const res = await t.api.request('POST', `/api/v1/issues/${issue.id}/actions/${action}`, {
      token,
      body: { version: current.version, ...body },
      photos: photos?.map((bytes) => ({ bytes })),
    });

    expect({ status: res.status, code: res.body?.code }).toEqual(want.status === 200 ? { status: 200, code: undefined } : want);
    const after = await footprint(issue.id);
    if (want.status !== 200) {
      expect(after).toEqual(current);
      return;
    }
    expect(after.status).toBe(expectedNext(status, action));
    expect(after.version).toBe(current.version + 1);
    expect(after.events).toBe(current.events + 1);
    const { rows } = await t.sql.query(
      'SELECT type, actor_id, from_status, to_status FROM issue_events WHERE issue_id = $1 ORDER BY id DESC LIMIT 1',
      [issue.id],
    );
    expect(rows[0]).toEqual({
      type: action,
      actor_id: cast.users[ACTORS[role]]!.id,
      from_status: status,
      to_status: expectedNext(status, action),
    });
  });
});

// The buttons each actor is offered (the API's allowedActions) are the hand-written table's too.
it.each(ISSUE_STATUSES)('offers each actor in scope exactly the expected actions in %s', async (status) => {
  const issue = shared.get(status)!;
  for (const role of ROLES.filter((r) => sees(r, status))) {
    const res = await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, cast.tokens[ACTORS[role]]!);
    expect({ role, status: res.status, actions: [...res.body.allowedActions].sort() }).toEqual({
      role,
      status: 200,
      actions: expectedActions(status, role, relationsOf(role, status)).sort(),
    });
  }
});

// Relation refusals (FORBIDDEN_RELATION) need a second actor of the same role; scope.e2e.ts has them.
it('covers every action, status and role, with successes and each kind of refusal', () => {
  expect(CASES).toHaveLength(TRANSITION_ACTIONS.length * ISSUE_STATUSES.length * ROLES.length);
  const outcomes = new Set(CASES.map((c) => ('code' in c.expect ? c.expect.code : 'OK')));
  expect([...outcomes].sort()).toEqual(['FORBIDDEN_ROLE', 'ISSUE_ACTION_NOT_ALLOWED', 'ISSUE_NOT_FOUND', 'OK']);
  expect(CASES.filter((c) => c.expect.status === 200).length).toBeGreaterThan(20);
});
