import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SlaCalendarView, SlaPolicyView, SlaStats } from '@gridline/shared';
import { addWorkingMs, isWorkingInstant, MINUTE_MS, type WorkingCalendar } from '../server/src/sla/calendar';
import { expectApiError } from './support/checks';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { clockOf } from './support/sla';
import { startTestApp, type TestApp } from './support/test-app';

/** SLA configuration over the admin API, working-time due dates from it, and the KPI endpoint. */
let t: TestApp;
let cast: Cast;
const holidays2026 = JSON.parse(readFileSync(join(__dirname, '..', 'server', 'src', 'seed', 'data', 'cn-holidays-2026.json'), 'utf8'));
const WEEK = [
  [
    [510, 720],
    [810, 1050],
  ],
  [[510, 1050]],
  [[510, 1050]],
  [[510, 1050]],
  [[510, 1050]],
  [],
  [],
];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const admin = () => cast.tokens.admin!;

describe('calendars', () => {
  it('lists the seeded default calendar with the 2026 holidays and 调休 days', async () => {
    const res = await t.api.get<SlaCalendarView[]>('/api/v1/admin/sla/calendars', admin());
    expect(res.status).toBe(200);
    const def = res.body.find((c) => c.isDefault)!;
    expect(def.timeZone).toBe('Asia/Shanghai');
    expect(def.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07', '2026-02-15']));
    expect(def.makeUpWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('is for admins only', async () => {
    expectApiError(await t.api.get('/api/v1/admin/sla/calendars', cast.tokens.dispatcher), 403, 'FORBIDDEN_ROLE');
    expectApiError(await t.api.post('/api/v1/admin/sla/holidays', holidays2026, cast.tokens.viewer), 403, 'FORBIDDEN_ROLE');
  });

  it('creates and updates a calendar, refusing bad intervals and zones with stable codes', async () => {
    const created = await t.api.post<SlaCalendarView>(
      '/api/v1/admin/sla/calendars',
      { code: 'street', name: '街道', weekly: WEEK },
      admin(),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'street', timeZone: 'Asia/Shanghai', isDefault: false, holidays: [] });
    expectApiError(
      await t.api.post('/api/v1/admin/sla/calendars', { code: 'street', name: 'x', weekly: WEEK }, admin()),
      409,
      'SLA_CALENDAR_CODE_TAKEN',
    );
    const overlap = [
      [
        [600, 800],
        [700, 900],
      ],
      [],
      [],
      [],
      [],
      [],
      [],
    ];
    expectApiError(
      await t.api.post('/api/v1/admin/sla/calendars', { code: 'x1', name: 'x', weekly: overlap }, admin()),
      422,
      'SLA_CALENDAR_INVALID',
    );
    expectApiError(
      await t.api.post('/api/v1/admin/sla/calendars', { code: 'x2', name: 'x', weekly: [[[600, 1500]], [], [], [], [], [], []] }, admin()),
      422,
      'SLA_CALENDAR_INVALID',
    );
    expectApiError(
      await t.api.post('/api/v1/admin/sla/calendars', { code: 'x3', name: 'x', weekly: [[]] }, admin()),
      400,
      'VALIDATION_FAILED',
    );
    expectApiError(
      await t.api.post('/api/v1/admin/sla/calendars', { code: 'x4', name: 'x', weekly: 'weekdays' }, admin()),
      400,
      'VALIDATION_FAILED',
    );
    expectApiError(
      await t.api.post('/api/v1/admin/sla/calendars', { code: 'x5', name: 'x', weekly: WEEK, timeZone: 'Mars/Olympus' }, admin()),
      422,
      'SLA_CALENDAR_INVALID',
    );
    const patched = await t.api.request<SlaCalendarView>('PATCH', `/api/v1/admin/sla/calendars/${created.body.id}`, {
      token: admin(),
      body: { name: '街道办' },
    });
    expect(patched.body.name).toBe('街道办');
    expectApiError(
      await t.api.request('PATCH', '/api/v1/admin/sla/calendars/99999', { token: admin(), body: { name: 'x' } }),
      404,
      'SLA_CALENDAR_NOT_FOUND',
    );
  });

  it('imports a year of holidays idempotently, replacing that year only', async () => {
    const cal = (await t.api.get<SlaCalendarView[]>('/api/v1/admin/sla/calendars', admin())).body.find((c) => c.code === 'street')!;
    const path = `/api/v1/admin/sla/calendars/${cal.id}/holidays`;
    const first = await t.api.post(path, holidays2026, admin());
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ calendarId: cal.id, year: 2026, holidays: 33, makeUpWorkdays: 6 });
    expect((await t.api.post(path, holidays2026, admin())).body).toEqual(first.body);
    const y2027 = { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], makeUpWorkdays: [] };
    expect((await t.api.post(path, y2027, admin())).body).toMatchObject({ holidays: 3 });
    const smaller = { ...holidays2026, holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-03' }], makeUpWorkdays: [] };
    expect((await t.api.post(path, smaller, admin())).body).toMatchObject({ holidays: 3, makeUpWorkdays: 0 });
    const after = (await t.api.get<SlaCalendarView[]>('/api/v1/admin/sla/calendars', admin())).body.find((c) => c.id === cal.id)!;
    expect(after.holidays).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('refuses malformed schedules with stable codes', async () => {
    const bad = (body: object) => t.api.post('/api/v1/admin/sla/holidays', body, admin());
    expectApiError(await bad({ ...holidays2026, year: 1999 }), 400, 'VALIDATION_FAILED');
    expectApiError(await bad({ ...holidays2026, makeUpWorkdays: ['2026-13-01'] }), 422, 'HOLIDAY_SCHEDULE_INVALID');
    expectApiError(
      await bad({ ...holidays2026, holidays: [{ name: 'x', from: '2026-10-07', to: '2026-10-01' }] }),
      422,
      'HOLIDAY_SCHEDULE_INVALID',
    );
    expectApiError(
      await bad({ ...holidays2026, holidays: [{ name: 'x', from: '2027-01-01', to: '2027-01-02' }] }),
      422,
      'HOLIDAY_SCHEDULE_INVALID',
    );
    expectApiError(await bad({ ...holidays2026, makeUpWorkdays: ['2026-10-01'] }), 422, 'HOLIDAY_SCHEDULE_INVALID');
    expectApiError(await bad({ ...holidays2026, extra: true }), 400, 'VALIDATION_FAILED');
  });
});

describe('policies', () => {
  it('upserts and deletes, and falls back to the global default: never "no clock"', async () => {
    const put = (body: object) => t.api.request<SlaPolicyView>('PUT', '/api/v1/admin/sla/policies', { token: admin(), body });
    const created = await put({ categoryId: cast.category.id, priority: null, stage: 'accept', unit: 'work_minutes', target: 90 });
    expect(created.status).toBe(200);
    const again = await put({
      categoryId: cast.category.id,
      priority: null,
      stage: 'accept',
      unit: 'work_minutes',
      target: 90,
      warnFraction: 0.5,
    });
    expect(again.body).toMatchObject({ id: created.body.id, warnFraction: 0.5 });

    // Working time: the due time is 90 working minutes of the default calendar after the report; the warning falls in working hours.
    const issue = await report(t.api, cast);
    const accept = clockOf(issue, 'accept');
    const cals = (await t.api.get<SlaCalendarView[]>('/api/v1/admin/sla/calendars', admin())).body;
    const def = cals.find((c) => c.isDefault)!;
    const cal: WorkingCalendar = {
      timeZone: def.timeZone,
      weekly: def.weekly,
      holidays: new Set(def.holidays),
      makeUpDays: new Set(def.makeUpWorkdays),
    };
    expect(Date.parse(accept.dueAt!)).toBe(addWorkingMs(cal, Date.parse(accept.startedAt), 90 * MINUTE_MS));
    const { rows } = await t.sql.query('SELECT fire_at FROM sla_timers t JOIN sla_clocks c ON c.id = t.clock_id WHERE c.id = $1', [
      accept.id,
    ]);
    expect(isWorkingInstant(cal, rows[0].fire_at.getTime())).toBe(true);

    expect((await t.api.request('DELETE', `/api/v1/admin/sla/policies/${created.body.id}`, { token: admin() })).status).toBe(204);
    expectApiError(
      await t.api.request('DELETE', `/api/v1/admin/sla/policies/${created.body.id}`, { token: admin() }),
      404,
      'SLA_POLICY_NOT_FOUND',
    );
    // Every global row deleted too: the built-in default still gives a clock.
    const all = (await t.api.get<SlaPolicyView[]>('/api/v1/admin/sla/policies', admin())).body;
    for (const p of all.filter((x) => x.stage === 'accept'))
      await t.api.request('DELETE', `/api/v1/admin/sla/policies/${p.id}`, { token: admin() });
    const fallback = await report(t.api, cast);
    expect(clockOf(fallback, 'accept')).toMatchObject({ unit: 'work_days', target: 3 });
  });

  it('refuses bad policies with stable codes', async () => {
    const put = (body: object) => t.api.request('PUT', '/api/v1/admin/sla/policies', { token: admin(), body });
    const base = { categoryId: null, priority: null, stage: 'sign', unit: 'work_minutes', target: 60 };
    expectApiError(await put({ ...base, unit: 'fortnights' }), 400, 'VALIDATION_FAILED');
    expectApiError(await put({ ...base, target: 0 }), 400, 'VALIDATION_FAILED');
    expectApiError(await put({ ...base, warnFraction: 1.5 }), 400, 'VALIDATION_FAILED');
    expectApiError(await put({ ...base, categoryId: 99999 }), 422, 'UNKNOWN_REFERENCE');
    expectApiError(await put({ ...base, calendarId: 99999 }), 404, 'SLA_CALENDAR_NOT_FOUND');
    expectApiError(
      await t.api.request('PUT', '/api/v1/admin/sla/policies', { token: cast.tokens.lead1, body: base }),
      403,
      'FORBIDDEN_ROLE',
    );
  });
});

describe('GET /stats/sla', () => {
  it('gives 结案率, 按期结案率, time per stage, overdue now and returns per department, within scope', async () => {
    const dispatched = await issueIn(t.api, cast, 'dispatched');
    await act(t.api, cast.tokens.lead1!, dispatched, 'return', { reason: '不属于本部门' });
    await issueIn(t.api, cast, 'closed');
    const res = await t.api.get<SlaStats>('/api/v1/stats/sla', cast.tokens.dispatcher);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.closed).toBeGreaterThan(0);
    expect(s.closeRate).toBeCloseTo(s.closed / s.issues, 3);
    expect(s.onTimeCloseRate).toBeGreaterThanOrEqual(0);
    expect(s.onTimeCloseRate).toBeLessThanOrEqual(1);
    expect(s.stages.map((x) => x.stage)).toEqual(['accept', 'dispatch', 'sign', 'handle', 'verify', 'overall']);
    const handle = s.stages.find((x) => x.stage === 'handle')!;
    expect(handle.count).toBeGreaterThan(0);
    expect(handle.p90Ms!).toBeGreaterThanOrEqual(0);
    expect(s.departments.find((d) => d.departmentId === cast.departmentId)!.returns).toBeGreaterThan(0);
    expect(s.overdueNow).toBeGreaterThanOrEqual(0);

    const lead = await t.api.get<SlaStats>('/api/v1/stats/sla', cast.tokens.lead1);
    expect(lead.body.departmentId).toBe(cast.departmentId);
    expect(lead.body.departments.every((d) => d.departmentId === cast.departmentId)).toBe(true);
    expectApiError(
      await t.api.get(`/api/v1/stats/sla?departmentId=${cast.users.lead2!.departmentId}`, cast.tokens.lead1),
      404,
      'NOT_FOUND',
    );
    const { s2 } = await import('./support/checks').then((m) => m.demoRegions(t));
    expectApiError(await t.api.get(`/api/v1/stats/sla?regionId=${s2}`, cast.tokens.dispatcher_s1), 404, 'NOT_FOUND');
    expectApiError(await t.api.get('/api/v1/stats/sla?from=yesterday', cast.tokens.viewer), 400, 'VALIDATION_FAILED');
    expectApiError(await t.api.get('/api/v1/stats/sla', cast.tokens.worker1), 403, 'FORBIDDEN_ROLE');
    const empty = await t.api.get<SlaStats>('/api/v1/stats/sla?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z', cast.tokens.viewer);
    expect(empty.body).toMatchObject({ issues: 0, closed: 0, closeRate: null, onTimeCloseRate: null });
  });
});
