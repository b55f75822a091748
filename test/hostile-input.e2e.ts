import { expectApiError, footprint } from './support/checks';
import { loadCast, report, type Cast } from './support/fixtures';
import { LiveClient } from './support/live-client';
import { startTestApp, type TestApp } from './support/test-app';
import { RawNumber } from './chaos/json-text';
import { signJwt } from './chaos/tokens';

/**
 * What the API fuzzer (`npm run test:chaos`) found, kept as plain regression tests, one group
 * per fault class. Each of these answered 500 before the validation edge (ADR 0024); now each is
 * a 4xx with a stable code that writes nothing.
 */
let t: TestApp;
let cast: Cast;
let issue: { id: number; version: number };

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  issue = await report(t.api, cast);
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const send = (method: string, path: string, raw: string | Buffer | undefined, token?: string, headers: Record<string, string> = json) =>
  t.api.request(method, path, { token, raw, headers: raw === undefined ? {} : headers });

/** Sends, expects the refusal, and checks nothing was written. */
async function refused(status: number, code: string, go: () => ReturnType<typeof send>): Promise<void> {
  const before = await footprint(t);
  const res = await go();
  expectApiError(res, status, code);
  expect(await footprint(t)).toEqual(before);
}

describe('token claims of the wrong type or range (signature valid)', () => {
  const now = Math.floor(Date.now() / 1000);
  const forged = (sub: unknown, extra: object = {}) =>
    signJwt({ sub: sub as never, iat: now, exp: now + 3600, ...extra }, t.config.jwtSecret);

  it.each([
    ['sub 2^31', 2_147_483_648],
    ['sub 1e300', 1e300],
    ['sub with 30 digits', new RawNumber('123456789012345678901234567890')],
    ['sub 0', 0],
    ['sub 1.5', 1.5],
  ])('%s is a 401 on REST, not a database error', async (_name, sub) => {
    await refused(401, 'AUTH_REQUIRED', () => send('GET', '/api/v1/issues', undefined, forged(sub)));
    await refused(401, 'AUTH_REQUIRED', () => send('POST', '/api/v1/issues', '{}', forged(sub)));
  });

  it('an exp of 1e400 (Infinity) or none at all is refused', async () => {
    const admin = cast.users.admin!.id;
    await refused(401, 'AUTH_REQUIRED', () => send('GET', '/api/v1/me', undefined, forged(admin, { exp: new RawNumber('1e400') })));
    await refused(401, 'AUTH_REQUIRED', () => send('GET', '/api/v1/me', undefined, signJwt({ sub: admin, iat: now }, t.config.jwtSecret)));
  });

  it('the socket handshake refuses the same tokens with AUTH_REQUIRED', async () => {
    await expect(LiveClient.connect(t.baseUrl, forged(1e300))).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await expect(LiveClient.connect(t.baseUrl, forged(2_147_483_648))).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });
});

describe('integers a PostgreSQL integer column cannot hold', () => {
  const worker = () => cast.tokens.worker1!;
  const dispatcher = () => cast.tokens.dispatcher!;
  const admin = () => cast.tokens.admin!;

  it.each([
    ['categoryId 2^31', '{"categoryId":2147483648,"description":"井盖缺失"}'],
    ['categoryId 1e21', '{"categoryId":1e21,"description":"井盖缺失"}'],
    ['gridId 2^53', `{"categoryId":1,"gridId":${2 ** 53},"description":"井盖缺失"}`],
  ])('a report with %s', async (_name, body) => {
    await refused(400, 'VALIDATION_FAILED', () => send('POST', '/api/v1/issues', body, worker()));
  });

  it.each([
    ['dispatch', '{"version":1,"departmentId":2147483648}'],
    ['merge', '{"version":1,"primaryIssueId":99999999999}'],
    ['accept', '{"version":2147483648}'],
    ['sign', '{"version":1,"assigneeId":4294967296}'],
    ['reclassify', '{"version":1,"categoryId":2147483648}'],
  ])('an action %s with an out-of-range number', async (action, body) => {
    await refused(400, 'VALIDATION_FAILED', () => send('POST', `/api/v1/issues/${issue.id}/actions/${action}`, body, dispatcher()));
  });

  it.each([
    '/api/v1/issues?regionId=2147483648',
    '/api/v1/issues?categoryId=99999999999',
    '/api/v1/stats/overview?regionId=2147483648',
    '/api/v1/admin/users/2147483648',
    '/api/v1/issues/9999999999',
  ])('a query or path id: %s', async (path) => {
    await refused(400, 'VALIDATION_FAILED', () => send('GET', path, undefined, admin()));
  });

  it('admin writes with ids beyond 32 bits', async () => {
    const user = `{"username":"fuzz_a","displayName":"测试","password":"long-enough-1","role":"grid_worker","gridIds":[2147483648]}`;
    await refused(400, 'VALIDATION_FAILED', () => send('POST', '/api/v1/admin/users', user, admin()));
    const duty = '{"departmentId":2147483648,"categoryId":1}';
    await refused(400, 'VALIDATION_FAILED', () => send('POST', '/api/v1/admin/duties', duty, admin()));
  });

  it('the socket refuses a regionId beyond 32 bits in subscribe', async () => {
    const live = await LiveClient.connect(t.baseUrl, cast.tokens.dispatcher);
    try {
      const ack = await live.subscribe(2_147_483_648);
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    } finally {
      live.close();
    }
  });
});

describe('text PostgreSQL or a log cannot take', () => {
  it.each([
    ['NUL', '井盖\\u0000缺失'],
    ['an escape sequence', '\\u001b[31m红色'],
    ['a lone high surrogate', 'x\\ud800y'],
    ['a lone low surrogate', '\\udfff'],
  ])('a report description with %s', async (_name, text) => {
    const body = `{"categoryId":${cast.category.id},"gridId":${cast.gridId},"description":"${text}"}`;
    await refused(400, 'VALIDATION_FAILED', () => send('POST', '/api/v1/issues', body, cast.tokens.worker1));
  });

  it('a reject reason, a login username, an admin name and a search query with NUL', async () => {
    await refused(400, 'VALIDATION_FAILED', () =>
      send('POST', `/api/v1/issues/${issue.id}/actions/reject`, '{"version":1,"reason":"a\\u0000b"}', cast.tokens.dispatcher),
    );
    await refused(400, 'VALIDATION_FAILED', () => send('POST', '/api/v1/auth/login', '{"username":"admin\\u0000","password":"x"}'));
    await refused(400, 'VALIDATION_FAILED', () =>
      send('POST', '/api/v1/admin/departments', '{"code":"FZ1","name":"部门\\u0000","shortName":"部"}', cast.tokens.admin),
    );
    await refused(400, 'VALIDATION_FAILED', () => send('GET', '/api/v1/issues?q=%00', undefined, cast.tokens.admin));
  });

  it('a field name with a control character', async () => {
    await refused(400, 'VALIDATION_FAILED', () => send('POST', '/api/v1/issues', '{"descr\\u0000iption":"x"}', cast.tokens.worker1));
  });

  it('ordinary text with tabs and line breaks still goes through', async () => {
    const body = { categoryId: cast.category.id, gridId: cast.gridId, description: '第一行\n第二行\t制表 𠮷' };
    const res = await t.api.post('/api/v1/issues', body, cast.tokens.worker1);
    expect(res.status).toBe(201);
    expect(res.body.description).toBe(body.description);
  });
});

describe('bodies nested too deep', () => {
  it.each([
    ['a 100,000-deep array', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['a 5,000-deep object', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
    ['a deep value in a field', `{"version":1,"note":${'['.repeat(3000)}${']'.repeat(3000)}}`],
  ])('%s is refused before parsing', async (_name, raw) => {
    await refused(400, 'MALFORMED_BODY', () => send('POST', `/api/v1/issues/${issue.id}/actions/accept`, raw, cast.tokens.dispatcher));
  });

  it('a deep value in the multipart data field is refused before validation', async () => {
    const form = new FormData();
    form.append('data', `{"description":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const raw = Buffer.from(await request.arrayBuffer());
    await refused(400, 'VALIDATION_FAILED', () =>
      send('POST', '/api/v1/issues', raw, cast.tokens.worker1, { 'content-type': request.headers.get('content-type')! }),
    );
  });
});

describe('multipart bodies the parser cannot read', () => {
  // Found by the fuzzer after photos became streamed: the part iterator's own error reached the client as a 500.
  it.each([
    ['without a boundary', 'multipart/form-data', '--x\r\n\r\n'],
    ['with a boundary the body never uses', 'multipart/form-data; boundary=abc', 'no parts here'],
    ['with a part header cut short', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="data"'],
  ])('%s is a 4xx, never a 500', async (_name, type, body) => {
    const res = await send('POST', '/api/v1/issues', body, cast.tokens.worker1, { 'content-type': type });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('a body without a boundary answers MALFORMED_BODY', async () => {
    await refused(400, 'MALFORMED_BODY', () =>
      send('POST', '/api/v1/issues', '--x\r\n\r\n', cast.tokens.worker2, { 'content-type': 'multipart/form-data' }),
    );
  });
});

describe('requests the router or the HTTP parser refuses', () => {
  it('a path segment over 100 characters is a 414, not a 500', async () => {
    await refused(414, 'URI_TOO_LONG', () => send('PATCH', `/api/v1/admin/users/${'a'.repeat(2001)}`, '{}', cast.tokens.admin));
  });

  it('headers over 16 KB answer 431 in the API error shape', async () => {
    const res = await send('GET', `/api/v1/issues?q=${'a'.repeat(20_000)}`, undefined, cast.tokens.admin);
    expectApiError(res, 431, 'HEADERS_TOO_LARGE');
  });
});
