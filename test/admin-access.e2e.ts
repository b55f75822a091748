import { expectApiError } from './support/checks';
import { startTestApp, type TestApp } from './support/test-app';
import { configDigest } from './admin-helpers';

/** Every admin route: 401 without a token, 403 FORBIDDEN_ROLE for every other role, and nothing written either way. */
const ROUTES: [method: string, path: string, body?: object][] = [
  ['GET', '/api/v1/admin/regions'],
  ['GET', '/api/v1/admin/regions/1'],
  ['POST', '/api/v1/admin/regions', { parentId: 1, level: 'district', code: 'X1', name: 'x' }],
  ['POST', '/api/v1/admin/regions/import', { geojson: { type: 'FeatureCollection', features: [] }, dryRun: true }],
  ['PATCH', '/api/v1/admin/regions/1', { name: 'x' }],
  ['DELETE', '/api/v1/admin/regions/1'],
  ['GET', '/api/v1/admin/departments'],
  ['POST', '/api/v1/admin/departments', { code: 'X1', name: 'x' }],
  ['PATCH', '/api/v1/admin/departments/1', { name: 'x' }],
  ['GET', '/api/v1/admin/duties'],
  ['POST', '/api/v1/admin/duties', { departmentId: 1, categoryId: 2 }],
  ['DELETE', '/api/v1/admin/duties/1'],
  ['GET', '/api/v1/admin/categories'],
  ['POST', '/api/v1/admin/categories', { code: 'X1', name: 'x' }],
  ['PATCH', '/api/v1/admin/categories/1', { name: 'x' }],
  ['GET', '/api/v1/admin/users'],
  ['GET', '/api/v1/admin/login-audit'],
  ['GET', '/api/v1/admin/users/1'],
  ['POST', '/api/v1/admin/users', { username: 'x1', displayName: 'x', password: 'long-enough-1', role: 'admin' }],
  ['PATCH', '/api/v1/admin/users/1', { away: true }],
  ['POST', '/api/v1/admin/users/1/reset-password', { password: 'long-enough-1' }],
  ['POST', '/api/v1/admin/users/1/unlock', {}],
  ['GET', '/api/v1/admin/audit'],
];

const OTHER_ROLES = ['dispatcher', 'viewer', 'worker1', 'lead1', 'staff1'];

describe('admin API access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('refuses callers without a token (401) and every role but admin (403), writing nothing', async () => {
    const before = await configDigest(t);
    for (const [method, path, body] of ROUTES) {
      const anonymous = await t.api.request(method, path, { body });
      expectApiError(anonymous, 401, 'AUTH_REQUIRED');
      for (const user of OTHER_ROLES) {
        const res = await t.api.request(method, path, { body, token: await t.api.token(user) });
        expect({ route: `${method} ${path}`, user, status: res.status, code: res.body?.code }).toEqual({
          route: `${method} ${path}`,
          user,
          status: 403,
          code: 'FORBIDDEN_ROLE',
        });
      }
    }
    expect(await configDigest(t)).toEqual(before);
  });

  it('lets the admin in', async () => {
    const token = await t.api.token('admin');
    for (const [method, path] of ROUTES.filter(([m]) => m === 'GET')) {
      const res = await t.api.request(method, path, { token });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  it('documents every admin route in OpenAPI', async () => {
    const doc = (await t.api.get('/api/docs-json')).body;
    for (const [method, path] of ROUTES) {
      const template = path.replace(/\/1(\/|$)/, '/{id}$1');
      expect({ route: `${method} ${template}`, documented: Boolean(doc.paths[template]?.[method.toLowerCase()]) }).toEqual({
        route: `${method} ${template}`,
        documented: true,
      });
    }
  });
});
