import type {
  IssueDetail,
  ResidentCategoryView,
  NotificationFrame,
  NotificationPage,
  NotificationView,
  NotificationsReadFrame,
} from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, fakeJpeg, residentLogin } from './support/api-client';
import { EventRelay } from '../server/src/events/event-relay.service';
import { NotificationDeliveries } from '../server/src/notifications/notification-deliveries.service';
import { expectApiError } from './support/checks';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { gridCentre } from './support/geo';
import { LiveClient } from './support/live-client';
import { advanceAndSweep, continuousPolicies, MIN } from './support/sla';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The notification inbox: who is told of what (each trigger), once per (user, event) even when
 * the relay delivers a batch again, nothing for a deactivated user, only one's own, live over
 * `/live`, and the refusals.
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(async () => {
  await t?.close();
});

const relay = () => t.app.get(EventRelay).drain();
const inbox = async (who: string, query = '') => {
  await relay();
  const res = await t.api.get<NotificationPage>(`/api/v1/notifications?pageSize=100${query}`, cast.tokens[who]);
  expect(res.status).toBe(200);
  return res.body;
};
const about = async (who: string, issueId: number) => (await inbox(who)).items.filter((n) => n.issueId === issueId);
const kinds = async (who: string, issueId: number) => (await about(who, issueId)).map((n) => n.kind).sort();
const setActive = async (who: string, active: boolean) => {
  const res = await t.api.request('PATCH', `/api/v1/admin/users/${cast.users[who]!.id}`, { token: cast.tokens.admin, body: { active } });
  expect(res.status).toBe(200);
  if (!active) return;
  // the deactivation ended their sessions: sign in anew (not the client's remembered token)
  const login = await t.api.post('/api/v1/auth/login', { username: who, password: 'demo1234' });
  expect(login.status).toBe(200);
  cast.tokens[who] = login.body.accessToken;
};

describe('who is told of what', () => {
  it('a grid worker: a verification task, and a reopened report; the department hears of the reopen too', async () => {
    const issue = await issueIn(t.api, cast, 'resolved');
    const [task] = await about('worker1', issue.id);
    expect(task).toMatchObject({ kind: 'verify_task', urgent: false, url: `/m/issues/${issue.id}`, readAt: null });
    expect(task!.title).toContain(issue.number);
    expect(await kinds('dispatcher', issue.id)).toEqual([]);

    await act(t.api, cast.tokens.dispatcher!, issue, 'reopen', { reason: '现场仍有垃圾' });
    expect(await kinds('worker1', issue.id)).toEqual(['reopened', 'verify_task']);
    expect(await kinds('lead1', issue.id)).toEqual(['dispatched', 'reopened']);
    expect(await kinds('staff1', issue.id)).toEqual(['reopened']);
    // the dispatcher reopened it: not told of their own act
    expect(await kinds('dispatcher', issue.id)).toEqual([]);
  });

  it('a department: a new dispatch (urgent marked), to its lead, not to another department', async () => {
    const issue = await issueIn(t.api, cast, 'dispatched');
    const [n] = await about('lead1', issue.id);
    expect(n).toMatchObject({ kind: 'dispatched', urgent: false, url: `/dept?id=${issue.id}` });
    expect(await kinds('lead2', issue.id)).toEqual([]);
    expect(await kinds('staff1', issue.id)).toEqual([]); // not assigned yet

    let urgent = await report(t.api, cast, { priority: 'urgent' });
    urgent = await act(t.api, cast.tokens.dispatcher!, urgent, 'accept');
    await act(t.api, cast.tokens.dispatcher!, urgent, 'dispatch', { departmentId: cast.departmentId });
    const [u] = await about('lead1', urgent.id);
    expect(u).toMatchObject({ kind: 'dispatched', urgent: true });
    expect(u!.title).toMatch(/^【紧急】/);
  });

  it('a dispatcher: a return and an extension request, every command center above the grid', async () => {
    const returned = await issueIn(t.api, cast, 'dispatched');
    await act(t.api, cast.tokens.lead1!, returned, 'return', { reason: '不属于本部门职责' });
    expect(await kinds('dispatcher', returned.id)).toEqual(['returned']);
    expect(await kinds('dispatcher_s1', returned.id)).toEqual(['returned']);
    expect(await kinds('lead1', returned.id)).toEqual(['dispatched']);

    const working = await issueIn(t.api, cast, 'in_progress');
    await act(t.api, cast.tokens.lead1!, working, 'request_extension', { reason: '需采购材料', minutes: 1440 });
    const [ext] = await about('dispatcher', working.id);
    expect(ext).toMatchObject({ kind: 'extension_requested', url: `/console?queue=all&id=${working.id}` });
  });

  it('a department: 黄牌, 红牌 and the automatic 督办, to the lead and the assignee', async () => {
    await continuousPolicies(t, cast.tokens.admin!, cast.category.id, { sign: 10, handle: 60, overall: 600 });
    const issue = await issueIn(t.api, cast, 'dispatched');
    await relay();
    await advanceAndSweep(t, 8 * MIN);
    expect(await kinds('lead1', issue.id)).toEqual(['dispatched', 'sla_warning']);
    await advanceAndSweep(t, 3 * MIN);
    const mine = await about('lead1', issue.id);
    expect(mine.map((n) => n.kind).sort()).toEqual(['dispatched', 'sla_breached', 'sla_warning', 'supervision']);
    expect(mine.find((n) => n.kind === 'sla_breached')).toMatchObject({ urgent: true });
    expect(mine.find((n) => n.kind === 'sla_breached')!.body).toContain('签收');
    expect(mine.find((n) => n.kind === 'supervision')).toMatchObject({ urgent: true });
    expect(await kinds('worker1', issue.id)).toEqual([]);
  });

  it('a department: a 督办 by hand reaches the lead and the assigned staff', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    await act(t.api, cast.tokens.dispatcher!, issue, 'supervise', { note: '请尽快处置' });
    expect(await kinds('lead1', issue.id)).toContain('supervision');
    expect(await kinds('staff1', issue.id)).toEqual(['supervision']);
  });
});

describe('residents', () => {
  it('the resident who reported and the neighbour who joined (me too) are told when it closes, in their /r', async () => {
    const here = await gridCentre(t.api, cast.tokens.admin!, cast.gridId);
    const offered = (await t.api.get<ResidentCategoryView[]>('/api/v1/resident/categories', cast.tokens.res1)).body;
    const reported = await t.api.post<IssueDetail>(
      '/api/v1/issues',
      { categoryId: offered[0]!.id, description: '小区门口路灯不亮', lat: here.latitude, lng: here.longitude },
      cast.tokens.res1,
    );
    expect(reported.status).toBe(201);
    const res2 = (await residentLogin(t.api, DEMO_RESIDENT_PHONES.res2)).accessToken;
    const joined = await t.api.post(`/api/v1/resident/issues/${reported.body.id}/join`, { lat: here.latitude, lng: here.longitude }, res2);
    expect(joined.status).toBeLessThan(300);
    let issue: { id: number; version: number } = reported.body;
    issue = await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
    issue = await act(t.api, cast.tokens.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
    issue = await act(t.api, cast.tokens.lead1!, issue, 'sign');
    issue = await act(t.api, cast.tokens.lead1!, issue, 'resolve', { note: '已修好' }, [fakeJpeg()]);
    // Not before it closes.
    expect(await kinds('res1', issue.id)).toEqual([]);
    await act(t.api, cast.tokens.worker1!, issue, 'verify');
    cast.tokens.res2 = res2;
    for (const who of ['res1', 'res2']) {
      const [closed] = await about(who, issue.id);
      expect([who, closed]).toEqual([who, expect.objectContaining({ kind: 'closed', url: `/r/issues/${issue.id}` })]);
      expect(closed!.title).toContain(reported.body.number);
    }
    // Staff hear nothing of the close, and no other resident does.
    expect(await kinds('dispatcher', issue.id)).toEqual([]);
    const closedRows = await t.sql.query(`SELECT count(*)::int AS n FROM notifications WHERE issue_id = $1 AND kind = 'closed'`, [
      issue.id,
    ]);
    expect(closedRows.rows[0].n).toBe(2);
  });
});

describe('at least once, never twice', () => {
  it('a relay that delivers an event again writes no second notification', async () => {
    const issue = await issueIn(t.api, cast, 'resolved');
    await relay();
    const { rows } = await t.sql.query(
      `SELECT id FROM event_archive WHERE issue_id = $1 AND type = 'issue.transitioned' AND data->>'action' = 'resolve'`,
      [issue.id],
    );
    const eventId = rows[0].id;
    const before = await t.sql.query('SELECT count(*)::int AS n FROM notifications WHERE event_id = $1', [eventId]);
    expect(before.rows[0].n).toBeGreaterThan(0);
    // the relay died after the consumers ran and before its commit showed: the row is back in the outbox, same id
    await t.sql.query(
      `WITH gone AS (DELETE FROM event_archive WHERE id = $1 RETURNING id, type, occurred_at, data)
       INSERT INTO event_outbox (id, type, occurred_at, data) OVERRIDING SYSTEM VALUE SELECT id, type, occurred_at, data FROM gone`,
      [eventId],
    );
    await relay();
    const after = await t.sql.query('SELECT count(*)::int AS n FROM notifications WHERE event_id = $1', [eventId]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(await kinds('worker1', issue.id)).toEqual(['verify_task']);
  });
});

describe('a deactivated user', () => {
  it('gets no notification and no push; active again, they hear of what comes next', async () => {
    // lead1 has a device: the push that was queued before the deactivation is dropped, not sent
    const sub = await t.api.request('POST', '/api/v1/push/subscriptions', {
      token: cast.tokens.lead1,
      body: { endpoint: 'http://127.0.0.1:9/push/lead1', keys: { p256dh: P256DH, auth: AUTH } },
    });
    expect(sub.status).toBe(201);
    const queued = await issueIn(t.api, cast, 'dispatched');
    await relay();
    await setActive('lead1', false);
    try {
      // whether its first attempt went out before the deactivation or not, what is left of it is dropped
      const status = async () =>
        (
          await t.sql.query(
            `SELECT d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.issue_id = $1`,
            [queued.id],
          )
        ).rows.map((r) => r.status);
      for (let i = 0; i < 20 && (await status())[0] !== 'dropped'; i++) {
        t.clock.advance(MIN);
        await t.app.get(NotificationDeliveries).drain();
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await status()).toEqual(['dropped']);

      const issue = await issueIn(t.api, cast, 'dispatched');
      await relay();
      const none = await t.sql.query('SELECT count(*)::int AS n FROM notifications WHERE issue_id = $1 AND user_id = $2', [
        issue.id,
        cast.users.lead1!.id,
      ]);
      expect(none.rows[0].n).toBe(0);
    } finally {
      await setActive('lead1', true);
    }
    const later = await issueIn(t.api, cast, 'dispatched');
    expect(await kinds('lead1', later.id)).toEqual(['dispatched']);
    await t.api.request('DELETE', '/api/v1/push/subscriptions', {
      token: cast.tokens.lead1,
      body: { endpoint: 'http://127.0.0.1:9/push/lead1' },
    });
  });
});

describe('my own inbox', () => {
  it('pages, filters unread, counts, marks read one and all; another user’s is 404', async () => {
    const a = await issueIn(t.api, cast, 'resolved');
    const b = await issueIn(t.api, cast, 'resolved');
    const page = await inbox('worker1', '&unread=true');
    expect(page.unread).toBe(page.total);
    const mineA = page.items.find((n) => n.issueId === a.id)!;
    expect(page.items.find((n) => n.issueId === b.id)).toBeDefined();
    expect(mineA.deliveredAt).not.toBeNull(); // listed: it reached them

    const small = await t.api.get<NotificationPage>('/api/v1/notifications?pageSize=1&page=2', cast.tokens.worker1);
    expect(small.body.items).toHaveLength(1);
    expect(small.body.items[0]!.id).toBe(page.items[1]!.id);

    // lead1 cannot read (or learn about) worker1's notification
    expectApiError(await t.api.post(`/api/v1/notifications/${mineA.id}/read`, {}, cast.tokens.lead1), 404, 'NOTIFICATION_NOT_FOUND');
    expect((await inbox('lead1')).items.some((n) => n.id === mineA.id)).toBe(false);

    const read = await t.api.post<{ unread: number }>(`/api/v1/notifications/${mineA.id}/read`, {}, cast.tokens.worker1);
    expect(read.status).toBe(200);
    expect(read.body.unread).toBe(page.unread - 1);
    const count = await t.api.get<{ unread: number }>('/api/v1/notifications/unread-count', cast.tokens.worker1);
    expect(count.body.unread).toBe(page.unread - 1);
    const readOnes = await inbox('worker1', '&unread=false');
    expect(readOnes.items.map((n) => n.id)).toContain(mineA.id);

    const all = await t.api.post<{ unread: number }>('/api/v1/notifications/read-all', {}, cast.tokens.worker1);
    expect(all.body).toEqual({ unread: 0 });
    expect((await inbox('worker1', '&unread=true')).items).toEqual([]);
  });

  it('arrives live on the user’s own socket with the unread count; a read on another device updates it', async () => {
    const phone = await LiveClient.connect(t.baseUrl, cast.tokens.worker1);
    const other = await LiveClient.connect(t.baseUrl, cast.tokens.worker2);
    const frames: NotificationFrame[] = [];
    const reads: NotificationsReadFrame[] = [];
    const othersFrames: NotificationFrame[] = [];
    phone.socket.on('notification', (f) => {
      frames.push(f);
      phone.poke();
    });
    phone.socket.on('notifications_read', (f) => {
      reads.push(f);
      phone.poke();
    });
    other.socket.on('notification', (f) => othersFrames.push(f));
    try {
      await t.api.post('/api/v1/notifications/read-all', {}, cast.tokens.worker1);
      const issue = await issueIn(t.api, cast, 'resolved');
      await relay();
      const frame = await phone.until(() => frames.find((f) => f.notification.issueId === issue.id), 'the notification frame');
      expect(frame.notification).toMatchObject({ kind: 'verify_task', issueId: issue.id, eventId: expect.stringMatching(/^\d+$/) });
      expect(frame.unread).toBe(1);

      await t.api.post(`/api/v1/notifications/${frame.notification.id}/read`, {}, cast.tokens.worker1);
      const read = await phone.until(() => reads.at(-1), 'the read frame');
      expect(read.unread).toBe(0);
      expect(othersFrames.some((f) => f.notification.issueId === issue.id)).toBe(false);
    } finally {
      phone.close();
      other.close();
    }
  });
});

describe('receipts for the dispatcher', () => {
  it('show who was told, delivered and read, within scope', async () => {
    const issue = await issueIn(t.api, cast, 'resolved');
    await relay();
    const mine = (await about('worker1', issue.id))[0] as NotificationView;
    await t.api.post(`/api/v1/notifications/${mine.id}/read`, {}, cast.tokens.worker1);
    const res = await t.api.get(`/api/v1/notifications/receipts?issueId=${issue.id}`, cast.tokens.dispatcher);
    expect(res.status).toBe(200);
    const r = res.body.find((x: { userId: number; kind: string }) => x.userId === cast.users.worker1!.id && x.kind === 'verify_task');
    expect(r).toMatchObject({ role: 'grid_worker', deliveredAt: expect.any(String), readAt: expect.any(String), channels: [] });
    expectApiError(await t.api.get(`/api/v1/notifications/receipts?issueId=${issue.id}`, cast.tokens.lead1), 403, 'FORBIDDEN_ROLE');
    // viewer_s2's street does not hold worker1's grid; and dispatchers outside scope get 404
    const { rows } = await t.sql.query(`SELECT id FROM issues WHERE street_id <> $1 LIMIT 1`, [cast.users.dispatcher_s1!.regionId]);
    expectApiError(
      await t.api.get(`/api/v1/notifications/receipts?issueId=${rows[0].id}`, cast.tokens.dispatcher_s1),
      404,
      'ISSUE_NOT_FOUND',
    );
  });
});

describe('refusals', () => {
  const P = (body: object, token = cast.tokens.lead1) => t.api.request('PUT', '/api/v1/notifications/preferences', { token, body });

  it('preferences: SMS only for what must not be missed, a valid number, known kinds; merged otherwise', async () => {
    expectApiError(await P({ channels: { verify_task: { sms: true } } }), 422, 'SMS_CHANNEL_UNAVAILABLE');
    expectApiError(await P({ channels: { nonsense: { push: true } } }), 400, 'VALIDATION_FAILED');
    expectApiError(await P({ channels: { dispatched: { push: 'yes' } } }), 400, 'VALIDATION_FAILED');
    expectApiError(await P({ smsPhone: '12345' }), 400, 'VALIDATION_FAILED');
    const unchanged = await t.api.get('/api/v1/notifications/preferences', cast.tokens.lead1);
    expect(unchanged.body.smsPhone).toBeNull();
    expect(unchanged.body.channels.sla_breached).toEqual({ push: true, sms: true });

    const ok = await P({ channels: { sla_warning: { push: false } }, smsPhone: '13900000001' });
    expect(ok.status).toBe(200);
    const again = await P({ channels: { sla_breached: { sms: false } } });
    expect(again.body.channels.sla_warning).toEqual({ push: false, sms: false });
    expect(again.body.channels.sla_breached).toEqual({ push: true, sms: false });
    expect(again.body.smsPhone).toBe('13900000001');
    await P({ channels: { sla_breached: { sms: true } }, smsPhone: null });
  });

  it('inbox and push input: stable codes, nothing written', async () => {
    expectApiError(await t.api.get('/api/v1/notifications?pageSize=1000', cast.tokens.worker1), 400, 'VALIDATION_FAILED');
    expectApiError(await t.api.get('/api/v1/notifications?unread=maybe', cast.tokens.worker1), 400, 'VALIDATION_FAILED');
    expectApiError(await t.api.post('/api/v1/notifications/abc/read', {}, cast.tokens.worker1), 400, 'VALIDATION_FAILED');
    expectApiError(await t.api.post('/api/v1/notifications/99999999/read', {}, cast.tokens.worker1), 404, 'NOTIFICATION_NOT_FOUND');
    expectApiError(await t.api.get('/api/v1/notifications/receipts?issueId=x', cast.tokens.dispatcher), 400, 'VALIDATION_FAILED');
    expectApiError(await t.api.get('/api/v1/notifications'), 401, 'AUTH_REQUIRED');
    const before = await t.sql.query('SELECT count(*)::int AS n FROM push_subscriptions');
    const sub = (body: object) => t.api.post('/api/v1/push/subscriptions', body, cast.tokens.worker1);
    expectApiError(
      await sub({ endpoint: 'ftp://push.example.org/x', keys: { p256dh: P256DH, auth: AUTH } }),
      400,
      'PUSH_SUBSCRIPTION_INVALID',
    );
    expectApiError(await sub({ endpoint: 'https://push.example.org/x', keys: { p256dh: 'short', auth: AUTH } }), 400, 'VALIDATION_FAILED');
    expectApiError(
      await sub({ endpoint: 'https://push.example.org/x', keys: { p256dh: P256DH.slice(0, 60) + 'A'.repeat(27), auth: AUTH } }),
      400,
      'PUSH_SUBSCRIPTION_INVALID',
    );
    expectApiError(await sub({ endpoint: 'https://push.example.org/x' }), 400, 'VALIDATION_FAILED');
    expectApiError(
      await sub({ endpoint: 'https://push.example.org/x', keys: { p256dh: P256DH, auth: AUTH }, extra: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    const after = await t.sql.query('SELECT count(*)::int AS n FROM push_subscriptions');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expectApiError(
      await t.api.request('DELETE', '/api/v1/push/subscriptions', {
        token: cast.tokens.worker1,
        body: { endpoint: 'https://push.example.org/none' },
      }),
      404,
      'PUSH_SUBSCRIPTION_NOT_FOUND',
    );
  });
});

/** A valid P-256 public key and auth secret, as a browser gives them (base64url; RFC 8291's example). */
const P256DH = 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4';
const AUTH = 'BTBZMqHH6r4Tts7J_aSIgg';
