import type { LoginAuditView, LoginResult, Page } from '@gridline/shared';
import { SessionClock } from '../server/src/auth/session-clock';
import { LiveClient } from './support/live-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Session rules (等保 level 3): a token stops working at once — REST and open sockets alike —
 * when its user is deactivated, moved to another scope or gets a new password; sessions end
 * after SESSION_IDLE_MINUTES without activity; staff passwords follow a policy; every login
 * attempt is in an audit admins can read.
 */
let t: TestApp;
let adminToken: string;
let district: number;
let otherRegion: number;
let n = 0;

beforeAll(async () => {
  t = await startTestApp();
  adminToken = await t.api.token('admin');
  district = (await t.sql.query(`SELECT id FROM regions WHERE level = 'district' ORDER BY id LIMIT 1`)).rows[0].id;
  otherRegion = (await t.sql.query(`SELECT id FROM regions WHERE level = 'street' ORDER BY id LIMIT 1`)).rows[0].id;
});
afterAll(() => t?.close());

const PASSWORD = 'Session-Test-2026';
const admin = (method: string, path: string, body?: unknown) => t.api.request(method, `/api/v1/admin${path}`, { token: adminToken, body });
const login = (username: string, password = PASSWORD) =>
  t.api.post<LoginResult & { code?: string }>('/api/v1/auth/login', { username, password });

/** A fresh viewer of the district, signed in with a REST token and an open socket. */
async function viewer(): Promise<{ id: number; username: string; token: string; live: LiveClient; closed: Promise<number> }> {
  const username = `sess_${++n}`;
  const created = await admin('POST', '/users', { username, displayName: '会话', password: PASSWORD, role: 'viewer', regionId: district });
  expect(created.status).toBe(201);
  const token = (await login(username)).body.accessToken;
  const live = await LiveClient.connect(t.baseUrl, token);
  const closed = new Promise<number>((resolve) => live.socket.once('disconnect', () => resolve(Date.now())));
  return { id: created.body.id, username, token, live, closed };
}

const me = (token: string) => t.api.get('/api/v1/me', token);

/** Resolves with how long after `from` the socket was closed by the server, or rejects after 1 s. */
async function closedWithinASecond(closed: Promise<number>, from: number): Promise<number> {
  const ms = await Promise.race([
    closed,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('socket still open after 1 s')), 1000)),
  ]);
  return ms - from;
}

describe('a changed user loses REST and socket at once', () => {
  it.each([
    ['deactivated', (id: number) => admin('PATCH', `/users/${id}`, { active: false })],
    ['moved to another region', (id: number) => admin('PATCH', `/users/${id}`, { regionId: otherRegion })],
    ['given another role', (id: number) => admin('PATCH', `/users/${id}`, { role: 'dispatcher', regionId: district })],
    ['given a new password by an admin', (id: number) => admin('POST', `/users/${id}/reset-password`, { password: 'Another-Pass-2026' })],
  ])('%s', async (_what, change) => {
    const u = await viewer();
    expect((await me(u.token)).status).toBe(200);
    const at = Date.now();
    const res = await change(u.id);
    expect(res.status).toBeLessThan(300);
    expect(await closedWithinASecond(u.closed, at)).toBeLessThan(1000);
    const after = await me(u.token);
    expect({ status: after.status, code: after.body.code }).toEqual({ status: 401, code: 'AUTH_REQUIRED' });
    await expect(LiveClient.connect(t.baseUrl, u.token)).rejects.toEqual(expect.objectContaining({ code: 'AUTH_REQUIRED' }));
    const { rows } = await t.sql.query('SELECT count(*)::int AS open FROM user_sessions WHERE user_id = $1 AND ended_at IS NULL', [u.id]);
    expect(rows[0].open).toBe(0);
  });

  it('keeps working, rooms re-checked, when nothing about sessions changed (display name, away)', async () => {
    const u = await viewer();
    expect((await admin('PATCH', `/users/${u.id}`, { displayName: '改名', away: true })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(u.live.socket.connected).toBe(true);
    expect((await me(u.token)).status).toBe(200);
    expect((await u.live.subscribe(district)).ok).toBe(true);
    u.live.close();
  });

  it('a reactivated user signs in again; the old token stays dead', async () => {
    const u = await viewer();
    await admin('PATCH', `/users/${u.id}`, { active: false });
    await admin('PATCH', `/users/${u.id}`, { active: true });
    expect((await me(u.token)).status).toBe(401);
    expect((await me((await login(u.username)).body.accessToken)).status).toBe(200);
  });
});

describe('password changes and logout', () => {
  it('a user changing their password ends their other sessions and gets a new one', async () => {
    const u = await viewer();
    const other = (await login(u.username)).body.accessToken;
    const change = (body: unknown) => t.api.post<LoginResult & { code?: string }>('/api/v1/auth/password', body, u.token);

    const wrong = await change({ currentPassword: 'not-it-at-all', newPassword: 'Brand-New-2026' });
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    const weak = await change({ currentPassword: PASSWORD, newPassword: `x${u.username}-2026` });
    expect({ status: weak.status, code: weak.body.code }).toEqual({ status: 422, code: 'PASSWORD_TOO_WEAK' });
    const short = await change({ currentPassword: PASSWORD, newPassword: 'short-1' });
    expect({ status: short.status, code: short.body.code }).toEqual({ status: 422, code: 'PASSWORD_TOO_WEAK' });
    expect((await me(other)).status).toBe(200); // refusals changed nothing

    const at = Date.now();
    const ok = await change({ currentPassword: PASSWORD, newPassword: 'Brand-New-2026' });
    expect(ok.status).toBe(200);
    expect(await closedWithinASecond(u.closed, at)).toBeLessThan(1000);
    for (const old of [u.token, other]) expect((await me(old)).status).toBe(401);
    expect((await me(ok.body.accessToken)).status).toBe(200);
    expect((await login(u.username)).status).toBe(401);
    expect((await login(u.username, 'Brand-New-2026')).status).toBe(200);
  });

  it('logout ends that session only', async () => {
    const u = await viewer();
    const second = (await login(u.username)).body.accessToken;
    expect((await t.api.post('/api/v1/auth/logout', {}, u.token)).status).toBe(204);
    expect((await me(u.token)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
    u.live.close();
  });

  it('refuses weak staff passwords when an admin creates or resets, and writes nothing', async () => {
    const before = (await t.sql.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const weak = await admin('POST', '/users', {
      username: 'gw_weak',
      displayName: 'x',
      password: 'my-gw_weak-pw',
      role: 'viewer',
      regionId: district,
    });
    expect({ status: weak.status, code: weak.body.code }).toEqual({ status: 422, code: 'PASSWORD_TOO_WEAK' });
    const short = await admin('POST', '/users', {
      username: 'gw_weak',
      displayName: 'x',
      password: '123456789',
      role: 'viewer',
      regionId: district,
    });
    expect(short.status).toBe(400);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(before);
    const u = await viewer();
    const reset = await admin('POST', `/users/${u.id}/reset-password`, { password: `${u.username.toUpperCase()}-2026!` });
    expect({ status: reset.status, code: reset.body.code }).toEqual({ status: 422, code: 'PASSWORD_TOO_WEAK' });
    expect((await me(u.token)).status).toBe(200);
    u.live.close();
  });
});

describe('the login audit', () => {
  it('is paged, filtered and for admins only', async () => {
    await login('admin', 'wrong-password');
    const page = await admin('GET', '/login-audit?username=ADMIN&pageSize=2');
    expect(page.status).toBe(200);
    const body = page.body as Page<LoginAuditView>;
    expect(body.items.length).toBe(2);
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.items[0]).toMatchObject({ username: 'admin', outcome: 'failure', ip: '127.0.0.1' });
    expect(body.items.every((i) => i.username === 'admin')).toBe(true);
    const failures = await admin('GET', '/login-audit?outcome=failure');
    expect((failures.body as Page<LoginAuditView>).items.every((i) => i.outcome === 'failure')).toBe(true);
    const bad = await admin('GET', '/login-audit?outcome=maybe');
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const viewerToken = (await login((await viewer()).username)).body.accessToken;
    const refused = await t.api.get('/api/v1/admin/login-audit', viewerToken);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN_ROLE' });
  });
});

// Last: it moves session time.
describe('idle sessions expire', () => {
  it('after SESSION_IDLE_MINUTES without a request; each request keeps the session alive', async () => {
    const clock = t.app.get(SessionClock);
    const u = await viewer();
    u.live.close(); // an open socket keeps a session alive; this one is REST only
    expect(t.config.sessionIdleMinutes).toBe(30);
    clock.advance(29 * 60_000);
    expect((await me(u.token)).status).toBe(200);
    clock.advance(29 * 60_000);
    expect((await me(u.token)).status).toBe(200);
    clock.advance(30 * 60_000 + 1000);
    const expired = await me(u.token);
    expect({ status: expired.status, code: expired.body.code }).toEqual({ status: 401, code: 'SESSION_EXPIRED' });
    // it stays ended
    clock.advance(-60 * 60_000);
    expect((await me(u.token)).status).toBe(401);
  });
});
