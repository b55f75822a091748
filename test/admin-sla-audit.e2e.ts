import { ConfigInvalidation } from '../server/src/admin/core/config-invalidation.service';
import { expectApiError } from './support/checks';
import { startTestApp, type TestApp } from './support/test-app';
import { configDigest, withOneAudit } from './admin-helpers';

const WEEK = [[[510, 1050]], [[510, 1050]], [[510, 1050]], [[510, 1050]], [[510, 1050]], [], []];

/** SLA calendars and policies (the SLA engine's admin API) are audited like every other admin change, and reach other instances. */
describe('SLA configuration through the admin audit', () => {
  let t: TestApp;
  let admin: string;
  const send = (method: string, path: string, body?: unknown) => t.api.request(method, `/api/v1/admin/sla${path}`, { token: admin, body });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.token('admin');
  });
  afterAll(async () => t?.close());

  it('audits calendar create and update with before/after', async () => {
    const { res, row } = await withOneAudit(t, { entityType: 'sla_calendar', action: 'create' }, () =>
      send('POST', '/calendars', { code: 'audited', name: '审计日历', weekly: WEEK }),
    );
    expect(row.after).toMatchObject({ code: 'audited', name: '审计日历', weekly: WEEK });
    const { row: update } = await withOneAudit(t, { entityType: 'sla_calendar', action: 'update' }, () =>
      send('PATCH', `/calendars/${res.body.id}`, { name: '审计日历（改）' }),
    );
    expect([update.before.name, update.after.name]).toEqual(['审计日历', '审计日历（改）']);
  });

  it('audits a holiday import with the year before and after', async () => {
    const schedule = { year: 2031, holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-01' }], makeUpWorkdays: [] };
    const { row } = await withOneAudit(t, { entityType: 'sla_calendar', action: 'import_holidays' }, () =>
      send('POST', '/holidays', schedule),
    );
    expect(row.before).toEqual({ year: 2031, holidays: [], makeUpWorkdays: [] });
    expect(row.after).toEqual({ year: 2031, holidays: ['2031-01-01'], makeUpWorkdays: [] });
  });

  it('audits policy create, replace and delete', async () => {
    const category = (await t.api.get('/api/v1/categories', admin)).body.find((c: any) => c.parentId !== null);
    const policy = { categoryId: category.id, priority: 'urgent', stage: 'accept', unit: 'calendar_minutes', target: 15 };
    const { res } = await withOneAudit(t, { entityType: 'sla_policy', action: 'create' }, () => send('PUT', '/policies', policy));
    const { row } = await withOneAudit(t, { entityType: 'sla_policy', action: 'update' }, () =>
      send('PUT', '/policies', { ...policy, target: 20 }),
    );
    expect([row.before.target, row.after.target]).toEqual([15, 20]);
    await withOneAudit(t, { entityType: 'sla_policy', action: 'delete' }, () => send('DELETE', `/policies/${res.body.id}`));
  });

  it('writes nothing, not even an audit row, when refused', async () => {
    const before = await configDigest(t);
    expectApiError(await send('POST', '/calendars', { code: 'audited', name: 'x', weekly: WEEK }), 409, 'SLA_CALENDAR_CODE_TAKEN');
    expectApiError(await send('DELETE', '/policies/999999'), 404, 'SLA_POLICY_NOT_FOUND');
    expect(await configDigest(t)).toEqual(before);
  });

  it('reloads the SLA configuration of another instance at once', async () => {
    const b = await startTestApp({}, { attachTo: t });
    try {
      const invalidation = b.app.get(ConfigInvalidation);
      const reloaded = new Promise<void>((resolve) => {
        const original = invalidation.reload.bind(invalidation);
        invalidation.reload = async (topics) => {
          await original(topics);
          if (topics.includes('sla')) resolve();
        };
      });
      await send('POST', '/calendars', { code: 'elsewhere', name: '另一实例', weekly: WEEK });
      await reloaded;
      const onB = (await b.api.get('/api/v1/admin/sla/calendars', await b.api.token('admin'))).body;
      expect(onB.map((c: { code: string }) => c.code)).toContain('elsewhere');
    } finally {
      await b.close();
    }
  });
});
