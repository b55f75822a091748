import { expectApiError } from './support/checks';
import { issueIn, loadCast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';
import { auditSince, configDigest, lastAuditId, square, withOneAudit } from './admin-helpers';

/** Admin writes: each change one audit row with before/after; bad input a 4xx with a stable code and nothing written. */
describe('admin API', () => {
  let t: TestApp;
  let admin: string;
  let adminId: number;
  const ids = {
    district: 0,
    street: 0,
    community: 0,
    grid: 0,
    department: 0,
    parentCategory: 0,
    leafCategory: 0,
    otherCategoryCode: '',
    adminId: 0,
    dispatcherId: 0,
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.token('admin');
    adminId = (await t.api.get('/api/v1/me', admin)).body.id;
    const { rows } = await t.sql.query(
      `SELECT (SELECT id FROM regions WHERE code = 'D01') AS district, (SELECT id FROM regions WHERE code = 'D01S01') AS street,
              (SELECT id FROM regions WHERE code = 'D01S01C01') AS community, (SELECT id FROM regions WHERE code = 'D01S01C01G01') AS grid,
              (SELECT min(id) FROM departments) AS department,
              (SELECT min(id) FROM categories WHERE parent_id IS NULL) AS "parentCategory",
              (SELECT min(id) FROM categories WHERE parent_id IS NOT NULL) AS "leafCategory",
              (SELECT code FROM categories WHERE parent_id IS NOT NULL ORDER BY id DESC LIMIT 1) AS "otherCategoryCode",
              (SELECT id FROM users WHERE username = 'admin') AS "adminId", (SELECT id FROM users WHERE username = 'dispatcher') AS "dispatcherId"`,
    );
    Object.assign(ids, rows[0]);
  });
  afterAll(async () => t?.close());

  const send = (method: string, path: string, body?: unknown) => t.api.request(method, `/api/v1/admin${path}`, { token: admin, body });

  describe('bad input is refused with a stable code and writes nothing', () => {
    type Ids = typeof ids;
    const pw = 'long-enough-1';
    const openRing = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    };
    /** [name, method, path, body, status, code]; path and body are built from the seeded ids once they are known. */
    const cases: [string, string, (i: Ids) => string, (i: Ids) => unknown, number, string][] = [
      [
        'region: unknown field',
        'POST',
        () => '/regions',
        (i) => ({ parentId: i.district, level: 'street', code: 'S1', name: 'x', extra: 1 }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'region: bad code',
        'POST',
        () => '/regions',
        (i) => ({ parentId: i.district, level: 'street', code: 'has space', name: 'x' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'region: bad level',
        'POST',
        () => '/regions',
        (i) => ({ parentId: i.district, level: 'province', code: 'S1', name: 'x' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'region: empty name',
        'POST',
        () => '/regions',
        (i) => ({ parentId: i.district, level: 'street', code: 'S1', name: '' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'region: skips a level',
        'POST',
        () => '/regions',
        (i) => ({ parentId: i.district, level: 'grid', code: 'G1', name: 'x' }),
        422,
        'HIERARCHY_INVALID',
      ],
      ['region: grid without parent', 'POST', () => '/regions', () => ({ level: 'grid', code: 'G1', name: 'x' }), 422, 'HIERARCHY_INVALID'],
      [
        'region: unknown parent',
        'POST',
        () => '/regions',
        () => ({ parentId: 999999, level: 'street', code: 'S1', name: 'x' }),
        422,
        'UNKNOWN_REFERENCE',
      ],
      [
        'region: code taken',
        'POST',
        () => '/regions',
        (i) => ({ parentId: i.district, level: 'street', code: 'D01S02', name: 'x' }),
        409,
        'CODE_TAKEN',
      ],
      [
        'region: open ring',
        'POST',
        () => '/regions',
        (i) => ({ parentId: i.community, level: 'grid', code: 'G1', name: 'x', polygon: openRing }),
        422,
        'GEOJSON_INVALID',
      ],
      ['region: rename to a taken code', 'PATCH', (i) => `/regions/${i.street}`, () => ({ code: 'D01S02' }), 409, 'CODE_TAKEN'],
      ['region: unknown id', 'PATCH', () => '/regions/999999', () => ({ name: 'x' }), 404, 'NOT_FOUND'],
      ['region: bad id', 'PATCH', () => '/regions/abc', () => ({ name: 'x' }), 400, 'VALIDATION_FAILED'],
      ['region: delete one with issues', 'DELETE', (i) => `/regions/${i.grid}`, () => undefined, 409, 'REGION_IN_USE'],
      ['region: delete one with children', 'DELETE', (i) => `/regions/${i.street}`, () => undefined, 409, 'REGION_IN_USE'],
      ['department: empty code', 'POST', () => '/departments', () => ({ code: '', name: 'x' }), 400, 'VALIDATION_FAILED'],
      ['department: code taken', 'POST', () => '/departments', () => ({ code: 'CG', name: 'x' }), 409, 'CODE_TAKEN'],
      [
        'department: active not boolean',
        'PATCH',
        (i) => `/departments/${i.department}`,
        () => ({ active: 'no' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'duty: for a 大类',
        'POST',
        () => '/duties',
        (i) => ({ departmentId: i.department, categoryId: i.parentCategory }),
        422,
        'HIERARCHY_INVALID',
      ],
      [
        'duty: unknown category',
        'POST',
        () => '/duties',
        (i) => ({ departmentId: i.department, categoryId: 999999 }),
        422,
        'UNKNOWN_REFERENCE',
      ],
      [
        'duty: unknown region',
        'POST',
        () => '/duties',
        (i) => ({ departmentId: i.department, categoryId: i.leafCategory, regionId: 999999 }),
        422,
        'UNKNOWN_REFERENCE',
      ],
      [
        'category: third level',
        'POST',
        () => '/categories',
        (i) => ({ parentId: i.leafCategory, code: 'C3', name: 'x' }),
        422,
        'HIERARCHY_INVALID',
      ],
      [
        'category: unknown department',
        'POST',
        () => '/categories',
        () => ({ code: 'C3', name: 'x', defaultDepartmentId: 999999 }),
        422,
        'UNKNOWN_REFERENCE',
      ],
      [
        'category: photo flag not boolean',
        'POST',
        () => '/categories',
        () => ({ code: 'C3', name: 'x', photoRequiredOnReport: 'yes' }),
        400,
        'VALIDATION_FAILED',
      ],
      ['category: code taken', 'PATCH', (i) => `/categories/${i.leafCategory}`, (i) => ({ code: i.otherCategoryCode }), 409, 'CODE_TAKEN'],
      [
        'user: short password',
        'POST',
        () => '/users',
        () => ({ username: 'u1', displayName: 'x', password: 'short', role: 'admin' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'user: bad username',
        'POST',
        () => '/users',
        () => ({ username: 'a b', displayName: 'x', password: pw, role: 'admin' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'user: unknown role',
        'POST',
        () => '/users',
        () => ({ username: 'u1', displayName: 'x', password: pw, role: 'root' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'user: username taken',
        'POST',
        () => '/users',
        () => ({ username: 'WORKER1', displayName: 'x', password: pw, role: 'admin' }),
        409,
        'USERNAME_TAKEN',
      ],
      [
        'user: grid worker without grids',
        'POST',
        () => '/users',
        () => ({ username: 'u1', displayName: 'x', password: pw, role: 'grid_worker' }),
        422,
        'SCOPE_INVALID',
      ],
      [
        'user: dispatcher with grids, no region',
        'POST',
        () => '/users',
        (i) => ({ username: 'u1', displayName: 'x', password: pw, role: 'dispatcher', gridIds: [i.grid] }),
        422,
        'SCOPE_INVALID',
      ],
      [
        'user: lead with a region',
        'POST',
        () => '/users',
        (i) => ({ username: 'u1', displayName: 'x', password: pw, role: 'dept_lead', departmentId: i.department, regionId: i.district }),
        422,
        'SCOPE_INVALID',
      ],
      [
        'user: a street as a grid',
        'POST',
        () => '/users',
        (i) => ({ username: 'u1', displayName: 'x', password: pw, role: 'grid_worker', gridIds: [i.street] }),
        422,
        'UNKNOWN_REFERENCE',
      ],
      [
        'user: unknown department',
        'POST',
        () => '/users',
        () => ({ username: 'u1', displayName: 'x', password: pw, role: 'dept_staff', departmentId: 999999 }),
        422,
        'UNKNOWN_REFERENCE',
      ],
      [
        'user: to grid worker without grids',
        'PATCH',
        (i) => `/users/${i.dispatcherId}`,
        () => ({ role: 'grid_worker' }),
        422,
        'SCOPE_INVALID',
      ],
      ['user: page size too big', 'GET', () => '/users?pageSize=1000', () => undefined, 400, 'VALIDATION_FAILED'],
      ['user: unknown id', 'PATCH', () => '/users/999999', () => ({ away: true }), 404, 'NOT_FOUND'],
      [
        'user: demote yourself',
        'PATCH',
        (i) => `/users/${i.adminId}`,
        (i) => ({ role: 'viewer', regionId: i.district }),
        409,
        'SELF_LOCKOUT',
      ],
      ['user: deactivate yourself', 'PATCH', (i) => `/users/${i.adminId}`, () => ({ active: false }), 409, 'SELF_LOCKOUT'],
      [
        'user: reset to a short password',
        'POST',
        (i) => `/users/${i.dispatcherId}/reset-password`,
        () => ({ password: 'x' }),
        400,
        'VALIDATION_FAILED',
      ],
      ['audit: unknown entity type', 'GET', () => '/audit?entityType=planet', () => undefined, 400, 'VALIDATION_FAILED'],
    ];

    it.each(cases)('%s', async (_name, method, path, body, status, code) => {
      const before = await configDigest(t);
      const res = await send(method, path(ids), body(ids));
      expectApiError(res, status, code);
      expect(await configDigest(t)).toEqual(before);
    });

    it('points at the field in details, for forms', async () => {
      const taken = await send('POST', '/categories', { code: ids.otherCategoryCode, name: 'x' });
      expect(taken.body.details).toEqual({ field: 'code' });
      const invalid = await send('POST', '/categories', { code: 'ok', name: '' });
      expect(invalid.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
    });
  });

  describe('regions', () => {
    it('creates a grid below a community with its path, audited, and the public tree shows it', async () => {
      const polygon = square(120.1001, 30.3401, 0.0005);
      const { res, row } = await withOneAudit(t, { entityType: 'region', action: 'create' }, () =>
        send('POST', '/regions', { parentId: ids.community, level: 'grid', code: 'D01S01C01G99', name: '测试网格', polygon }),
      );
      expect(res.status).toBe(201);
      const { rows } = await t.sql.query(`SELECT path, parent_id FROM regions WHERE id = $1`, [res.body.id]);
      const parentPath = (await t.sql.query(`SELECT path FROM regions WHERE id = $1`, [ids.community])).rows[0].path;
      expect(rows[0].path).toEqual([...parentPath, res.body.id]);
      expect(row).toMatchObject({ actor_id: adminId, entity_id: String(res.body.id), before: null });
      expect(row.after).toMatchObject({ code: 'D01S01C01G99', level: 'grid', polygon });
      const tree = (await t.api.get('/api/v1/regions?level=grid', admin)).body;
      expect(tree.find((r: { code: string }) => r.code === 'D01S01C01G99')).toMatchObject({ active: true });
    });

    it('renames with before/after, deactivates (reports there are refused), and deletes an unused grid', async () => {
      const created = (await send('POST', '/regions', { parentId: ids.community, level: 'grid', code: 'G-TMP', name: '临时网格' })).body;
      const { row } = await withOneAudit(t, { entityType: 'region', action: 'update' }, () =>
        send('PATCH', `/regions/${created.id}`, { name: '临时网格（改）' }),
      );
      expect([row.before.name, row.after.name]).toEqual(['临时网格', '临时网格（改）']);

      // the same values again: no change, no audit row
      const since = await lastAuditId(t);
      expect((await send('PATCH', `/regions/${created.id}`, { name: '临时网格（改）' })).status).toBe(200);
      expect(await auditSince(t, since)).toEqual([]);

      await withOneAudit(t, { entityType: 'region', action: 'deactivate' }, () => send('PATCH', `/regions/${ids.grid}`, { active: false }));
      const worker = await t.api.token('gw_d01s01c01');
      const refused = await t.api.post('/api/v1/issues', { categoryId: ids.leafCategory, gridId: ids.grid, description: '测试' }, worker);
      expectApiError(refused, 422, 'UNKNOWN_REFERENCE');
      await withOneAudit(t, { entityType: 'region', action: 'activate' }, () => send('PATCH', `/regions/${ids.grid}`, { active: true }));

      const { row: deleted } = await withOneAudit(t, { entityType: 'region', action: 'delete' }, () =>
        send('DELETE', `/regions/${created.id}`),
      );
      expect(deleted.after).toBeNull();
      expect(deleted.before.code).toBe('G-TMP');
    });

    it('reads one region with what uses it', async () => {
      const res = await send('GET', `/regions/${ids.grid}`);
      expect(res.status).toBe(200);
      expect(res.body.usage.issues).toBeGreaterThan(0);
      expect(res.body.polygon.type).toBe('Polygon');
    });
  });

  describe('departments, duties and categories', () => {
    it('creates a department and a duty, deactivates the department (dispatch refused), removes the duty', async () => {
      const { res: dept } = await withOneAudit(t, { entityType: 'department', action: 'create' }, () =>
        send('POST', '/departments', { code: 'TESTD', name: '测试局' }),
      );
      const { res: duty, row } = await withOneAudit(t, { entityType: 'duty', action: 'create' }, () =>
        send('POST', '/duties', { departmentId: dept.body.id, categoryId: ids.leafCategory, regionId: ids.street }),
      );
      expect(row.after).toEqual({ id: duty.body.id, departmentId: dept.body.id, categoryId: ids.leafCategory, regionId: ids.street });
      expectApiError(
        await send('POST', '/duties', { departmentId: dept.body.id, categoryId: ids.leafCategory, regionId: ids.street }),
        409,
        'DUTY_EXISTS',
      );
      expect((await send('GET', `/duties?departmentId=${dept.body.id}`)).body).toHaveLength(1);

      await withOneAudit(t, { entityType: 'department', action: 'deactivate' }, () =>
        send('PATCH', `/departments/${dept.body.id}`, { active: false }),
      );
      const cast = await loadCast(t.api);
      const issue = await issueIn(t.api, cast, 'accepted');
      const dispatch = await t.api.post(
        `/api/v1/issues/${issue.id}/actions/dispatch`,
        { version: issue.version, departmentId: dept.body.id },
        cast.tokens.dispatcher,
      );
      expectApiError(dispatch, 422, 'UNKNOWN_REFERENCE');
      const pub = (await t.api.get('/api/v1/departments', admin)).body;
      expect(pub.find((d: { id: number }) => d.id === dept.body.id)).toMatchObject({ active: false });

      const { row: removed } = await withOneAudit(t, { entityType: 'duty', action: 'delete' }, () =>
        send('DELETE', `/duties/${duty.body.id}`),
      );
      expect(removed.before.id).toBe(duty.body.id);
    });

    it('creates a 大类 and a 小类 with photo rules; the public list and the report form see it at once', async () => {
      const { res: parent } = await withOneAudit(t, { entityType: 'category', action: 'create' }, () =>
        send('POST', '/categories', { code: 'T0', name: '测试大类' }),
      );
      const { res: leaf, row } = await withOneAudit(t, { entityType: 'category', action: 'create' }, () =>
        send('POST', '/categories', {
          parentId: parent.body.id,
          code: 'T01',
          name: '测试小类',
          defaultDepartmentId: ids.department,
          photoRequiredOnReport: true,
        }),
      );
      expect(row.after).toMatchObject({ code: 'T01', photoRequiredOnReport: true, photoRequiredOnResolve: false, active: true });
      const pub = (await t.api.get('/api/v1/categories', admin)).body;
      expect(pub.find((c: { id: number }) => c.id === leaf.body.id)).toMatchObject({
        code: 'T01',
        photoRequiredOnReport: true,
        active: true,
      });

      const { row: update } = await withOneAudit(t, { entityType: 'category', action: 'update' }, () =>
        send('PATCH', `/categories/${leaf.body.id}`, { photoRequiredOnReport: false }),
      );
      expect([update.before.photoRequiredOnReport, update.after.photoRequiredOnReport]).toEqual([true, false]);

      // deactivating the 大类 closes its 小类 to new reports
      await withOneAudit(t, { entityType: 'category', action: 'deactivate' }, () =>
        send('PATCH', `/categories/${parent.body.id}`, { active: false }),
      );
      const worker = await t.api.token('worker1');
      const me = (await t.api.get('/api/v1/me', worker)).body;
      const refused = await t.api.post('/api/v1/issues', { categoryId: leaf.body.id, gridId: me.gridIds[0], description: '测试' }, worker);
      expectApiError(refused, 422, 'UNKNOWN_REFERENCE');
    });
  });

  describe('users', () => {
    it('creates a grid worker who can sign in; the password is in no response and no audit row', async () => {
      const password = 'S3cret-Passw0rd!';
      const { res, row } = await withOneAudit(t, { entityType: 'user', action: 'create' }, () =>
        send('POST', '/users', { username: 'gw_new', displayName: '新网格员', password, role: 'grid_worker', gridIds: [ids.grid] }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        username: 'gw_new',
        role: 'grid_worker',
        gridIds: [ids.grid],
        departmentId: null,
        regionId: null,
        active: true,
      });
      const hash = (await t.sql.query(`SELECT password_hash FROM users WHERE username = 'gw_new'`)).rows[0].password_hash;
      expect(hash).toMatch(/^\$argon2id\$/);
      for (const text of [JSON.stringify(res.body), JSON.stringify(row), JSON.stringify((await send('GET', '/users?q=gw_new')).body)]) {
        expect(text).not.toContain(password);
        expect(text).not.toContain(hash);
        expect(text).not.toMatch(/password_?hash/i);
      }
      const login = await t.api.post('/api/v1/auth/login', { username: 'gw_new', password });
      expect(login.status).toBe(200);
      expect(login.body.user.gridIds).toEqual([ids.grid]);
    });

    it('changes role with the scope of the new role, clearing the old one', async () => {
      const user = (
        await send('POST', '/users', {
          username: 'u_role',
          displayName: '角色测试',
          password: 'long-enough-1',
          role: 'grid_worker',
          gridIds: [ids.grid],
        })
      ).body;
      const { res, row } = await withOneAudit(t, { entityType: 'user', action: 'update' }, () =>
        send('PATCH', `/users/${user.id}`, { role: 'dispatcher', regionId: ids.street }),
      );
      expect(res.body).toMatchObject({ role: 'dispatcher', regionId: ids.street, gridIds: [], departmentId: null });
      expect([row.before.role, row.after.role, row.before.gridIds, row.after.gridIds]).toEqual([
        'grid_worker',
        'dispatcher',
        [ids.grid],
        [],
      ]);
      // lead → staff keeps the department (both use departmentId)
      const lead = (
        await send('POST', '/users', {
          username: 'u_lead',
          displayName: '负责人',
          password: 'long-enough-1',
          role: 'dept_lead',
          departmentId: ids.department,
        })
      ).body;
      expect((await send('PATCH', `/users/${lead.id}`, { role: 'dept_staff' })).body).toMatchObject({
        role: 'dept_staff',
        departmentId: ids.department,
      });
    });

    it('sets a backup of the same role and marks away; the backup inherits the scope (AB 岗)', async () => {
      const dispatchers = (await send('GET', '/users?role=dispatcher&active=true')).body.items;
      const [a, b] = dispatchers;
      const viewer = (await send('GET', '/users?role=viewer')).body.items[0];
      expectApiError(await send('PATCH', `/users/${a.id}`, { backupUserId: viewer.id }), 422, 'BACKUP_INVALID');
      expectApiError(await send('PATCH', `/users/${a.id}`, { backupUserId: a.id }), 422, 'BACKUP_INVALID');
      const { res } = await withOneAudit(t, { entityType: 'user', action: 'update' }, () =>
        send('PATCH', `/users/${a.id}`, { backupUserId: b.id, away: true }),
      );
      expect(res.body).toMatchObject({ backupUserId: b.id, backupName: b.displayName, away: true });
      const bToken = await t.api.token(b.username);
      const me = (await t.api.get('/api/v1/me', bToken)).body;
      expect(me.scope.regionIds).toEqual(expect.arrayContaining([a.regionId]));
    });

    it('deactivates (tokens stop working), resets the password, unlocks', async () => {
      const user = (
        await send('POST', '/users', {
          username: 'u_life',
          displayName: '生命周期',
          password: 'first-password',
          role: 'viewer',
          regionId: ids.district,
        })
      ).body;
      const token = (await t.api.post('/api/v1/auth/login', { username: 'u_life', password: 'first-password' })).body.accessToken;
      expect((await t.api.get('/api/v1/me', token)).status).toBe(200);

      const { row } = await withOneAudit(t, { entityType: 'user', action: 'reset_password' }, () =>
        send('POST', `/users/${user.id}/reset-password`, { password: 'second-password' }),
      );
      expect(JSON.stringify(row)).not.toContain('second-password');
      expect((await t.api.post('/api/v1/auth/login', { username: 'u_life', password: 'first-password' })).status).toBe(401);
      expect((await t.api.post('/api/v1/auth/login', { username: 'u_life', password: 'second-password' })).status).toBe(200);

      for (let i = 0; i < 5; i++) await t.api.post('/api/v1/auth/login', { username: 'u_life', password: 'wrong-password' });
      expect((await send('GET', `/users/${user.id}`)).body.locked).toBe(true);
      await withOneAudit(t, { entityType: 'user', action: 'unlock' }, () => send('POST', `/users/${user.id}/unlock`, {}));
      expect((await send('GET', `/users/${user.id}`)).body.locked).toBe(false);
      expect((await t.api.post('/api/v1/auth/login', { username: 'u_life', password: 'second-password' })).status).toBe(200);

      await withOneAudit(t, { entityType: 'user', action: 'deactivate' }, () => send('PATCH', `/users/${user.id}`, { active: false }));
      expect((await t.api.get('/api/v1/me', token)).status).toBe(401);
    });

    it('searches and paginates', async () => {
      const page = (await send('GET', '/users?q=lead&pageSize=3&page=1')).body;
      expect(page.items.length).toBeLessThanOrEqual(3);
      expect(page.total).toBeGreaterThan(3);
      for (const u of page.items) expect(`${u.username} ${u.displayName}`.toLowerCase()).toContain('lead');
      expect(page.items[0]).not.toHaveProperty('passwordHash');
    });
  });

  describe('audit trail', () => {
    it('lists changes newest first, filtered by entity, with who made them', async () => {
      const res = await send('GET', `/audit?entityType=region&entityId=${ids.grid}`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['activate', 'deactivate']);
      expect(res.body.items[0]).toMatchObject({
        entityType: 'region',
        entityId: String(ids.grid),
        actorId: adminId,
        actorName: expect.any(String),
      });
      const all = (await send('GET', '/audit?pageSize=5')).body;
      expect(all.items).toHaveLength(5);
      expect(all.total).toBeGreaterThan(10);
    });

    it('refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
      await expect(t.sql.query(`UPDATE admin_audit SET action = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(t.sql.query(`DELETE FROM admin_audit`)).rejects.toThrow(/append-only/);
      await expect(t.sql.query(`TRUNCATE admin_audit`)).rejects.toThrow(/append-only/);
    });
  });
});
