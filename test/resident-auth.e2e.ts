import type { LoginResult, UserView } from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, residentLogin } from './support/api-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Residents' phone sign-in: six-digit codes that expire after 5 minutes, burn after 5 wrong
 * tries, one per phone per 60 s and a bounded number per address per hour (429 with
 * Retry-After); the code is stored only as a keyed hash and the phone never in clear outside
 * `residents`.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RESIDENT_CODES_PER_IP_HOUR: '6' });
});
afterAll(() => t?.close());

const codeFor = (phone: string, headers: Record<string, string> = {}) =>
  t.api.request<{ devCode?: string; code?: string; details?: { retryAfterSeconds: number } }>('POST', '/api/v1/resident/auth/code', {
    body: { phone },
    headers,
  });
const login = (phone: string, code: string) =>
  t.api.post<LoginResult & { code?: string; details?: unknown }>('/api/v1/resident/auth/login', { phone, code });
const counts = async () =>
  (
    await t.sql.query(
      `SELECT (SELECT count(*)::int FROM residents) AS residents, (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM resident_login_codes) AS codes, (SELECT count(*)::int FROM rate_limits) AS limits`,
    )
  ).rows[0];

it('signs a demo resident in with the code the development sender returns, as role resident with no staff scope', async () => {
  const { user, accessToken } = await residentLogin(t.api, DEMO_RESIDENT_PHONES.res1);
  expect(user).toMatchObject({ username: 'res1', role: 'resident', displayName: '群众', regionId: null, departmentId: null, gridIds: [] });
  const me = await t.api.get<UserView>('/api/v1/me', accessToken);
  expect(me.body.role).toBe('resident');
  // The code is used up.
  const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM resident_login_codes');
  expect(rows[0].n).toBe(0);
  // Residents have no password: the username route never lets them in.
  expect((await t.api.post('/api/v1/auth/login', { username: 'res1', password: '!' })).status).toBe(401);
});

it('creates the resident and their account on the first sign-in, once, and keeps only hashes of code and phone', async () => {
  const phone = '+86 139-0000-0042';
  const code = await codeFor(phone);
  expect(code.status).toBe(200);
  expect(code.body.devCode).toMatch(/^\d{6}$/);
  const stored = (await t.sql.query('SELECT * FROM resident_login_codes')).rows;
  expect(stored).toHaveLength(1);
  expect(JSON.stringify(stored)).not.toContain('13900000042');
  expect(JSON.stringify(stored)).not.toContain(code.body.devCode);
  const limits = (await t.sql.query('SELECT key FROM rate_limits')).rows.map((r) => r.key as string);
  expect(limits.join()).not.toContain('13900000042');

  const res = await login('13900000042', code.body.devCode!);
  expect(res.status).toBe(200);
  expect(res.body.user.role).toBe('resident');
  const rows = (
    await t.sql.query(`SELECT r.phone, r.name, u.role FROM residents r JOIN users u ON u.id = r.user_id WHERE r.phone = '13900000042'`)
  ).rows;
  expect(rows).toEqual([{ phone: '13900000042', name: null, role: 'resident' }]);
});

it('burns a code after five wrong tries, saying how many are left before', async () => {
  const phone = '13700000005';
  const { devCode } = (await codeFor(phone)).body;
  const wrong = devCode === '000000' ? '111111' : '000000';
  for (let left = 4; left >= 1; left--) {
    const res = await login(phone, wrong);
    expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({
      status: 401,
      code: 'CODE_INVALID',
      details: { triesLeft: left },
    });
  }
  expect((await login(phone, wrong)).body).toMatchObject({ code: 'CODE_INVALID', details: { triesLeft: 0 } });
  // The right code no longer works either.
  expect((await login(phone, devCode!)).body.code).toBe('CODE_EXPIRED');
});

it('lets a code expire after five minutes', async () => {
  const phone = '13700000006';
  const { devCode } = (await codeFor(phone)).body;
  t.clock.advance(5 * 60_000 + 1000);
  try {
    expect((await login(phone, devCode!)).body.code).toBe('CODE_EXPIRED');
  } finally {
    t.clock.advance(-(5 * 60_000 + 1000));
  }
});

it('gives one code per phone per minute and a bounded number per address per hour: 429 RATE_LIMITED with Retry-After', async () => {
  // Another address (through the proxy header the server trusts), so the earlier tests' codes do not count.
  const from = { 'x-forwarded-for': '198.51.100.7' };
  expect((await codeFor('13600000001', from)).status).toBe(200);
  const again = await codeFor('13600000001', from);
  expect(again.status).toBe(429);
  expect(again.body.code).toBe('RATE_LIMITED');
  expect(again.body.details!.retryAfterSeconds).toBeGreaterThan(50);
  expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(50);

  // RESIDENT_CODES_PER_IP_HOUR=6 for this app: the second refused request above counted too.
  for (let i = 2; i <= 5; i++) expect((await codeFor(`1360000000${i}`, from)).status).toBe(200);
  const over = await codeFor('13600000009', from);
  expect(over.status).toBe(429);
  expect(over.body.details!.retryAfterSeconds).toBeGreaterThan(3500);
});

it('refuses bad phone numbers and codes of the wrong length with stable codes, writing nothing', async () => {
  const before = await counts();
  const bad: [unknown, string, number][] = [
    [{ phone: '1234567' }, 'PHONE_INVALID', 400],
    [{ phone: '12812341234' }, 'PHONE_INVALID', 400],
    [{ phone: '138123412345' }, 'PHONE_INVALID', 400],
    [{ phone: 13812341234 }, 'VALIDATION_FAILED', 400],
    [{}, 'VALIDATION_FAILED', 400],
    [{ phone: '13812341234', extra: 1 }, 'VALIDATION_FAILED', 400],
  ];
  for (const [body, code, status] of bad) {
    const res = await t.api.post('/api/v1/resident/auth/code', body);
    expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
  }
  for (const code of ['12345', '1234567', 'abcdef', '']) {
    const res = await login('13812341234', code);
    expect({ code, status: res.status, err: res.body.code }).toEqual({ code, status: 400, err: 'VALIDATION_FAILED' });
  }
  expect((await login('1381234', '123456')).body.code).toBe('PHONE_INVALID');
  expect(await counts()).toEqual(before);
});
