import { CONFIG_TOPICS, type ConfigTopic } from '@gridline/shared';
import { ConfigInvalidation } from '../server/src/admin/core/config-invalidation.service';
import { startTestApp, type TestApp } from './support/test-app';

/** Two server instances on one database: an admin change on A reaches B's in-memory caches through NOTIFY. */
describe('config caches across instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({}, { attachTo: a });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Resolves when instance `t` has reloaded `topic` (its listener got the NOTIFY): no polling, no sleeps. */
  function nextReload(t: TestApp, topic: ConfigTopic): Promise<void> {
    const invalidation = t.app.get(ConfigInvalidation);
    const original = invalidation.reload.bind(invalidation);
    return new Promise((resolve) => {
      invalidation.reload = async (topics) => {
        await original(topics);
        if (topics.includes(topic)) {
          invalidation.reload = original;
          resolve();
        }
      };
    });
  }

  it('a category created on A is offered on B', async () => {
    const admin = await a.api.token('admin');
    const parent = (await a.api.get('/api/v1/admin/categories', admin)).body.find((c: any) => c.parentId === null);
    const reloaded = nextReload(b, 'categories');
    const created = await a.api.post('/api/v1/admin/categories', { parentId: parent.id, code: 'SYNC1', name: '同步测试' }, admin);
    expect(created.status).toBe(201);
    await reloaded;
    const onB = (await b.api.get('/api/v1/categories', await b.api.token('worker1'))).body;
    expect(onB.find((c: any) => c.code === 'SYNC1')).toMatchObject({ id: created.body.id, active: true });
  });

  it('a grid deactivated on A refuses reports on B', async () => {
    const admin = await a.api.token('admin');
    const worker = await b.api.token('worker1');
    const me = (await b.api.get('/api/v1/me', worker)).body;
    const category = (await b.api.get('/api/v1/categories', worker)).body.find((c: any) => c.parentId && !c.photoRequiredOnReport);
    const report = () =>
      b.api.post('/api/v1/issues', { categoryId: category.id, gridId: me.gridIds[0], description: '两实例测试' }, worker);
    expect((await report()).status).toBe(201);

    const reloaded = nextReload(b, 'regions');
    expect((await a.api.request('PATCH', `/api/v1/admin/regions/${me.gridIds[0]}`, { token: admin, body: { active: false } })).status).toBe(
      200,
    );
    await reloaded;
    expect((await report()).status).toBe(422);
  });

  it('a listener that loses its connection reconnects, reloads everything, and hears the next change', async () => {
    const admin = await a.api.token('admin');
    const invalidation = b.app.get(ConfigInvalidation);
    const original = invalidation.reload.bind(invalidation);
    const fullReload = new Promise<void>((resolve) => {
      invalidation.reload = async (topics) => {
        await original(topics);
        if (topics.length === CONFIG_TOPICS.length) {
          invalidation.reload = original;
          resolve();
        }
      };
    });
    // kill the listening connections of this database (both instances'), as a failover would
    const { rows } = await a.sql.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE application_name = 'gridline-config-listener' AND datname = current_database()`,
    );
    expect(rows.length).toBeGreaterThan(0);
    await fullReload;

    const reloaded = nextReload(b, 'categories');
    const created = await a.api.post('/api/v1/admin/categories', { code: 'SYNC2', name: '重连之后' }, admin);
    expect(created.status).toBe(201);
    await reloaded;
    const onB = (await b.api.get('/api/v1/categories', await b.api.token('worker1'))).body;
    expect(onB.map((c: any) => c.code)).toContain('SYNC2');
  });

  it('a department renamed on A shows on B', async () => {
    const admin = await a.api.token('admin');
    const dept = (await a.api.get('/api/v1/admin/departments', admin)).body[0];
    const reloaded = nextReload(b, 'departments');
    await a.api.request('PATCH', `/api/v1/admin/departments/${dept.id}`, { token: admin, body: { name: '改名后的部门' } });
    await reloaded;
    const onB = (await b.api.get('/api/v1/departments', await b.api.token('dispatcher'))).body;
    expect(onB.find((d: any) => d.id === dept.id).name).toBe('改名后的部门');
  });
});
