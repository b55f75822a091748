import type { AnyDomainEvent, EventPage, IssueEventBase } from '@gridline/shared';
import { EventRelay } from '../server/src/events/event-relay.service';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** The issue fields of an event (pool events have none: they read as undefined). */
const issueOf = (e: AnyDomainEvent): Partial<IssueEventBase> => e.data as Partial<IssueEventBase>;

/**
 * `GET /api/v1/events?after=&limit=`: the delivered events after a cursor, in delivery order,
 * scoped like the issue list (by the issue as it was at each event), validated like any query.
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const drain = () => t.app.get(EventRelay).drain();
const page = (token: string, query: string) => t.api.get<EventPage>(`/api/v1/events${query}`, token);

/** Every event the caller may see after `after`, page by page. */
async function all(token: string, after = '0', limit = 50): Promise<EventPage['items']> {
  const out: EventPage['items'] = [];
  for (;;) {
    const res = await page(token, `?after=${after}&limit=${limit}`);
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    if (!res.body.nextAfter) return out;
    after = res.body.nextAfter;
  }
}

it('pages through the delivered events in order, without overlap, each with its id and type', async () => {
  const issue = await report(t.api, cast);
  await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
  await drain();
  const everything = await all(cast.tokens.admin!, '0', 500);
  const paged = await all(cast.tokens.admin!, '0', 7);
  expect(paged.map((e) => e.id)).toEqual(everything.map((e) => e.id));
  expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
  const mine = everything.filter((e) => issueIdOf(e) === issue.id);
  expect(mine.map((e) => [e.type, issueOf(e).seq])).toEqual([
    ['issue.reported', 1],
    ['issue.transitioned', 2],
  ]);
  expect(mine[0]!.occurredAt).toBe(issue.reportedAt);
  // after = the id of the report: only what came later
  const later = await all(cast.tokens.admin!, mine[0]!.id);
  expect(later.map((e) => e.id)).toContain(mine[1]!.id);
  expect(later.map((e) => e.id)).not.toContain(mine[0]!.id);
  // filtered by type and issue
  const one = await page(cast.tokens.admin!, `?issueId=${issue.id}&type=issue.transitioned`);
  expect(one.body.items.map((e) => e.id)).toEqual([mine[1]!.id]);
  // nothing after the newest: no cursor to move to
  const end = await page(cast.tokens.admin!, `?after=${everything.at(-1)!.id}`);
  expect(end.body).toEqual({ items: [], nextAfter: null });
});

it('a department lead sees only the events of issues while they were its department’s', async () => {
  const issue = await issueIn(t.api, cast, 'in_progress'); // dispatched to lead1's department, signed
  await drain();
  const lead1 = await all(cast.tokens.lead1!);
  const mine = lead1.filter((e) => issueIdOf(e) === issue.id);
  // the report and the accept happened before the dispatch: not the department's then
  expect(mine.map((e) => issueOf(e).seq)).toEqual([3, 4]);
  expect(lead1.every((e) => issueOf(e).departmentId === cast.departmentId)).toBe(true);
  const lead2 = await all(cast.tokens.lead2!);
  expect(lead2.some((e) => issueIdOf(e) === issue.id)).toBe(false);
  expect(lead2.every((e) => issueOf(e).departmentId === cast.users.lead2!.departmentId)).toBe(true);
  // a dispatcher of another street, a viewer of another street: not theirs either
  const other = await all(cast.tokens.viewer_s2!);
  expect(other.some((e) => issueIdOf(e) === issue.id)).toBe(false);
});

it('an issue the caller may not see is 404, as on the issue routes', async () => {
  const issue = await issueIn(t.api, cast, 'dispatched');
  await drain();
  const hidden = await page(cast.tokens.lead2!, `?issueId=${issue.id}`);
  expect(hidden.status).toBe(404);
  expect(hidden.body).toMatchObject({ code: 'ISSUE_NOT_FOUND' });
  const missing = await page(cast.tokens.admin!, '?issueId=99999999');
  expect(missing.status).toBe(404);
  const seen = await page(cast.tokens.lead1!, `?issueId=${issue.id}`);
  expect(seen.status).toBe(200);
  expect(seen.body.items.map((e) => e.type)).toEqual(['issue.transitioned']);
});

it('refuses bad queries with 400 and a code, and strangers with 401', async () => {
  for (const query of [
    '?after=abc',
    '?after=-1',
    '?after=1.5',
    '?after=99999999999999999999',
    '?limit=0',
    '?limit=501',
    '?limit=x',
    '?type=issue.nope',
    '?issueId=0',
    '?foo=1',
  ]) {
    const res = await page(cast.tokens.admin!, query);
    expect([query, res.status, (res.body as unknown as { code: string }).code]).toEqual([query, 400, 'VALIDATION_FAILED']);
  }
  const anonymous = await t.api.get('/api/v1/events');
  expect(anonymous.status).toBe(401);
});

/** The issue an event is about (topic events have none). */
function issueIdOf(e: AnyDomainEvent): number | null {
  return 'issueId' in e.data ? e.data.issueId : null;
}
