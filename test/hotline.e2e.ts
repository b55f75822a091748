import type { IssueDetail } from '@gridline/shared';
import { expectApiError, footprint } from './support/checks';
import { loadCast, type Cast } from './support/fixtures';
import { open311 } from './support/open311';
import { startTestApp, type TestApp } from './support/test-app';

/** 来电登记: the dispatcher's report with `source: hotline` and the caller kept once as the issue's resident contact. */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const call = (extra: object, headers: Record<string, string> = {}) =>
  t.api.post<IssueDetail>(
    '/api/v1/issues',
    { categoryId: cast.category.id, gridId: cast.gridId, description: '来电反映：小区门口路灯不亮', source: 'hotline', ...extra },
    cast.tokens.dispatcher,
    { headers },
  );

it('keeps the caller once as the resident contact: whole for the handling dispatcher, masked for other staff', async () => {
  const res = await call({ caller: { name: '王丽华', phone: '+86 139-1234-5678' } });
  expect(res.status).toBe(201);
  expect(res.body.source).toBe('hotline');
  expect(res.body.residentContact).toEqual({ residentId: expect.any(Number), name: '王丽华', phone: '13912345678', masked: false });
  const again = await t.api.get<IssueDetail>(`/api/v1/issues/${res.body.id}`, cast.tokens.dispatcher);
  expect(again.body.residentContact).toEqual(res.body.residentContact);
  const viewer = await t.api.get<IssueDetail>(`/api/v1/issues/${res.body.id}`, cast.tokens.viewer);
  expect(viewer.body.residentContact).toEqual({
    residentId: res.body.residentContact!.residentId,
    name: '王**',
    phone: '139****5678',
    masked: true,
  });

  // A second call from the same number: the same resident row, the name kept when none is given.
  const second = await call({ caller: { phone: '13912345678' } });
  expect(second.body.residentContact).toEqual(res.body.residentContact);
  const rows = await t.sql.query(`SELECT id, name FROM residents WHERE phone = '13912345678'`);
  expect(rows.rows).toEqual([{ id: res.body.residentContact!.residentId, name: '王丽华' }]);

  // Stored nowhere else: not in the issue row, its events, nor any Open311 answer.
  const trail = await t.sql.query(
    `SELECT (SELECT row_to_json(i)::text FROM issues i WHERE i.id = $1) || (SELECT string_agg(row_to_json(e)::text, '') FROM issue_events e WHERE e.issue_id = $1) AS all`,
    [res.body.id],
  );
  expect(trail.rows[0].all).not.toContain('13912345678');
  expect(trail.rows[0].all).not.toContain('王丽华');
  const o311 = await open311(t.baseUrl, 'GET', `requests/${res.body.number}.json`);
  expect(o311.status).toBe(200);
  expect(o311.text).not.toContain('5678');
  expect(o311.text).not.toContain('王');
});

it('an anonymous call has no contact', async () => {
  const res = await call({});
  expect([res.status, res.body.residentContact]).toEqual([201, null]);
});

it('refuses a bad caller, or a caller on a report that is not a hotline call, writing nothing', async () => {
  const before = await footprint(t);
  const residents = async () => (await t.sql.query('SELECT count(*)::int AS n FROM residents')).rows[0].n;
  const residentsBefore = await residents();
  expectApiError(await call({ caller: { phone: '12345678901' } }), 400, 'PHONE_INVALID');
  expectApiError(await call({ caller: { phone: 'call me' } }), 400, 'VALIDATION_FAILED');
  expectApiError(await call({ caller: { phone: '13912345678', name: '' } }), 400, 'VALIDATION_FAILED');
  expectApiError(await call({ caller: { phone: '13912345678', name: 'x'.repeat(51) } }), 400, 'VALIDATION_FAILED');
  expectApiError(await call({ caller: { phone: '13912345678', extra: 1 } }), 400, 'VALIDATION_FAILED');
  expectApiError(await call({ caller: '13912345678' }), 400, 'VALIDATION_FAILED');
  expectApiError(await call({ source: 'dispatcher', caller: { phone: '13912345678' } }), 400, 'VALIDATION_FAILED');
  const worker = await t.api.post(
    '/api/v1/issues',
    { categoryId: cast.category.id, gridId: cast.gridId, description: 'x', caller: { phone: '13912345678' } },
    cast.tokens.worker1,
  );
  expectApiError(worker, 400, 'VALIDATION_FAILED');
  expect(await footprint(t)).toEqual(before);
  expect(await residents()).toBe(residentsBefore);
});

it('a retry with the same Idempotency-Key replays; the key with another caller writes no contact', async () => {
  const headers = { 'idempotency-key': 'hotline-call-000001' };
  const first = await call({ caller: { phone: '13700001111', name: '赵先生' } }, headers);
  expect(first.status).toBe(201);
  const replay = await call({ caller: { phone: '13700001111', name: '赵先生' } }, headers);
  expect([replay.status, replay.body.id]).toEqual([200, first.body.id]);
  const before = await footprint(t);
  expectApiError(await call({ caller: { phone: '13700002222', name: '钱女士' } }, headers), 422, 'IDEMPOTENCY_KEY_REUSED');
  expect(await footprint(t)).toEqual(before);
  expect((await t.sql.query(`SELECT count(*)::int AS n FROM residents WHERE phone = '13700002222'`)).rows[0].n).toBe(0);
});
