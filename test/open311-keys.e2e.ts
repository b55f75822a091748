import type { Open311KeyCreated, Open311KeyView } from '@gridline/shared';
import { expectApiError } from './support/checks';
import { gridCentre } from './support/geo';
import { DEMO_OPEN311_KEY, open311 } from './support/open311';
import { startTestApp, type TestApp } from './support/test-app';

/** Open311 API keys: administered under /api/v1/admin/open311-keys, stored hashed, revocable, rate limited per key. */
let t: TestApp;
let admin: string;
let form: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp({ OPEN311_RATE_PER_MINUTE: '5' });
  admin = await t.api.token('admin');
  const worker = await t.api.token('worker1');
  const me = (await t.api.get('/api/v1/me', worker)).body;
  const centre = await gridCentre(t.api, worker, me.gridIds[0]);
  const code = (await t.sql.query(`SELECT code FROM categories WHERE parent_id IS NOT NULL AND NOT photo_required_on_report LIMIT 1`))
    .rows[0].code;
  form = { service_code: code, description: '路灯不亮', lat: String(centre.latitude), long: String(centre.longitude) };
});
afterAll(() => t?.close());

const create = (name: string) => t.api.post<Open311KeyCreated>('/api/v1/admin/open311-keys', { name }, admin);

it('shows a new key once, stores only its digest, and lists it by prefix', async () => {
  const res = await create('市民热线 App');
  expect(res.status).toBe(201);
  const key = res.body.key;
  expect(key).toMatch(/^gl311_[A-Za-z0-9_-]{32}$/);
  expect(res.body).toMatchObject({
    name: '市民热线 App',
    prefix: key.slice(0, 10),
    revokedAt: null,
    lastUsedAt: null,
    createdByName: expect.any(String),
  });

  const list = await t.api.get<Open311KeyView[]>('/api/v1/admin/open311-keys', admin);
  expect(list.status).toBe(200);
  const listed = list.body.find((k) => k.id === res.body.id)!;
  expect(listed).toEqual({ ...res.body, key: undefined });
  expect(JSON.stringify(list.body)).not.toContain(key);
  expect(list.body.map((k) => k.prefix)).toContain(DEMO_OPEN311_KEY.slice(0, 10));

  const stored = await t.sql.query('SELECT row_to_json(k)::text AS row FROM open311_keys k WHERE id = $1', [res.body.id]);
  expect(stored.rows[0].row).not.toContain(key);
  const audit = await t.sql.query(`SELECT action, before, after FROM admin_audit WHERE entity_type = 'api_key' AND entity_id = $1`, [
    String(res.body.id),
  ]);
  expect(audit.rows).toEqual([
    { action: 'create', before: null, after: { name: '市民热线 App', prefix: key.slice(0, 10), revokedAt: null } },
  ]);

  // The key works, and its use is recorded.
  const posted = await open311(t.baseUrl, 'POST', 'requests.json', { form: { ...form, api_key: key } });
  expect(posted.status).toBe(201);
  const issue = await t.sql.query('SELECT open311_key_id FROM issues WHERE number = $1', [posted.body[0].service_request_id]);
  expect(issue.rows[0].open311_key_id).toBe(res.body.id);
  // The last use is written beside the request, not inside it: wait (bounded) for it to land.
  let lastUsedAt: string | null = null;
  for (let i = 0; i < 50 && lastUsedAt === null; i++) {
    lastUsedAt = (await t.api.get<Open311KeyView[]>('/api/v1/admin/open311-keys', admin)).body.find(
      (k) => k.id === res.body.id,
    )!.lastUsedAt;
    if (lastUsedAt === null) await new Promise((r) => setTimeout(r, 50));
  }
  expect(lastUsedAt).toEqual(expect.any(String));
});

it('a revoked key is refused with 403 from then on', async () => {
  const { body: created } = await create('将被吊销 revoked');
  expect((await open311(t.baseUrl, 'POST', 'requests.json', { form: { ...form, api_key: created.key } })).status).toBe(201);
  const revoked = await t.api.request<Open311KeyView>('DELETE', `/api/v1/admin/open311-keys/${created.id}`, { token: admin });
  expect(revoked.status).toBe(200);
  expect(revoked.body.revokedAt).toEqual(expect.any(String));
  const before = (await t.sql.query('SELECT count(*)::int AS n FROM issues')).rows[0].n;
  const refused = await open311(t.baseUrl, 'POST', 'requests.json', { form: { ...form, api_key: created.key } });
  expect(refused.status).toBe(403);
  expect(refused.body).toEqual([{ code: 403, description: 'API_KEY_INVALID: The api_key has been revoked' }]);
  expect((await t.sql.query('SELECT count(*)::int AS n FROM issues')).rows[0].n).toBe(before);
  const audit = await t.sql.query(`SELECT action FROM admin_audit WHERE entity_type = 'api_key' AND entity_id = $1 ORDER BY id`, [
    String(created.id),
  ]);
  expect(audit.rows.map((r) => r.action)).toEqual(['create', 'revoke']);
});

it('only administrators manage keys; bad input and unknown ids are refused', async () => {
  const dispatcher = await t.api.token('dispatcher');
  expectApiError(await t.api.get('/api/v1/admin/open311-keys', dispatcher), 403, 'FORBIDDEN_ROLE');
  expectApiError(await t.api.post('/api/v1/admin/open311-keys', { name: 'x' }, dispatcher), 403, 'FORBIDDEN_ROLE');
  expectApiError(await t.api.get('/api/v1/admin/open311-keys'), 401, 'AUTH_REQUIRED');
  expectApiError(await create(''), 400, 'VALIDATION_FAILED');
  expectApiError(await t.api.post('/api/v1/admin/open311-keys', { name: 'ok', key: 'chosen' }, admin), 400, 'VALIDATION_FAILED');
  expectApiError(await t.api.request('DELETE', '/api/v1/admin/open311-keys/99999', { token: admin }), 404, 'NOT_FOUND');
});

it('limits each key per minute with 429 in the Open311 error format, without touching other keys', async () => {
  const { body: busy } = await create('繁忙客户端 busy');
  const { body: calm } = await create('安静客户端 calm');
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await open311(t.baseUrl, 'GET', `services.json?api_key=${busy.key}`)).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  const limited = await open311(t.baseUrl, 'POST', 'requests.xml', { form: { ...form, api_key: busy.key } });
  expect(limited.status).toBe(429);
  expect(limited.body.errors.error).toEqual([
    { code: '429', description: expect.stringMatching(/^RATE_LIMITED: Too many requests; retry in \d+ s$/) },
  ]);
  expect((await open311(t.baseUrl, 'GET', `services.json?api_key=${calm.key}`)).status).toBe(200);
  // A minute later the window is new.
  t.clock.advance(61_000);
  expect((await open311(t.baseUrl, 'GET', `services.json?api_key=${busy.key}`)).status).toBe(200);
});
