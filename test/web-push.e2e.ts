import type { PushPayload } from '@gridline/shared';
import { EventRelay } from '../server/src/events/event-relay.service';
import { NotificationDeliveries } from '../server/src/notifications/notification-deliveries.service';
import { expectApiError } from './support/checks';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { BrowserKeys, LoopbackPushService, verifyVapid } from './support/push-service';
import { MIN } from './support/sla';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Web Push for real, on loopback: the test is the browser (its own P-256 keys and auth secret) and
 * the push service (an HTTP server on 127.0.0.1). What arrives must be a VAPID-signed RFC 8030
 * request whose body decrypts (RFC 8291 / RFC 8188, node:crypto) to the notification; a 410 from
 * the push service deletes the subscription; a 5xx is retried. And SMS for what must not be missed.
 */
let t: TestApp;
let cast: Cast;
let push: LoopbackPushService;
let vapidKey: string;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  push = await new LoopbackPushService().start();
  vapidKey = (await t.api.get('/api/v1/push/vapid-public-key', cast.tokens.worker1)).body.publicKey;
});
afterAll(async () => {
  await push?.close();
  await t?.close();
});

/** Everything committed reaches the push service (or fails) before this returns. */
const settle = async () => {
  await t.app.get(EventRelay).drain();
  await t.app.get(NotificationDeliveries).drain();
};
const subscribe = async (who: string, path: string, keys = new BrowserKeys()) => {
  const res = await t.api.post(
    '/api/v1/push/subscriptions',
    { endpoint: `${push.origin}${path}`, keys: keys.json(), expirationTime: null },
    cast.tokens[who],
  );
  expect(res.status).toBe(201);
  return keys;
};
const deliveriesOf = async (issueId: number, channel: string) =>
  (
    await t.sql.query(
      `SELECT d.status, d.attempts, d.subscription_id AS "subscriptionId", n.delivered_at AS "deliveredAt"
         FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE n.issue_id = $1 AND d.channel = $2 ORDER BY d.id`,
      [issueId, channel],
    )
  ).rows;

it('the VAPID public key is a P-256 point', () => {
  const key = Buffer.from(vapidKey, 'base64url');
  expect(key).toHaveLength(65);
  expect(key[0]).toBe(4);
});

it('a notification arrives encrypted for the device, signed by the server, and decrypts to the event', async () => {
  const keys = await subscribe('worker1', '/push/worker1-phone');
  const issue = await issueIn(t.api, cast, 'resolved');
  await settle();
  const got = push.received.filter((r) => r.path === '/push/worker1-phone');
  expect(got).toHaveLength(1);
  const msg = got[0]!;
  expect(msg.headers['content-encoding']).toBe('aes128gcm');
  expect(msg.headers['content-type']).toBe('application/octet-stream');
  expect(Number(msg.headers.ttl)).toBeGreaterThan(0);
  expect(msg.headers.urgency).toBe('normal');
  const claims = verifyVapid(String(msg.headers.authorization), vapidKey);
  expect(claims.aud).toBe(push.origin);
  expect(claims.sub).toMatch(/^mailto:/);
  expect(claims.exp * 1000).toBeGreaterThan(Date.now());

  const payload = JSON.parse(keys.decrypt(msg.body)) as PushPayload;
  const { rows } = await t.sql.query(
    `SELECT id::text FROM event_archive WHERE issue_id = $1 AND type = 'issue.transitioned' AND data->>'action' = 'resolve'`,
    [issue.id],
  );
  expect(payload).toEqual({
    eventId: rows[0].id,
    notificationId: expect.any(Number),
    issueId: issue.id,
    kind: 'verify_task',
    title: `待核查 ${issue.number}`,
    body: expect.any(String),
    url: `/m/issues/${issue.id}`,
  });
  // the device had it: the dispatcher's receipt says delivered, by push
  const [d] = await deliveriesOf(issue.id, 'push');
  expect(d).toMatchObject({ status: 'sent', attempts: 1, deliveredAt: expect.any(Date) });
  const receipts = await t.api.get(`/api/v1/notifications/receipts?issueId=${issue.id}`, cast.tokens.dispatcher);
  expect(receipts.body.find((r: { kind: string }) => r.kind === 'verify_task').channels).toEqual([
    { channel: 'push', status: 'sent', attempts: 1, sentAt: expect.any(String) },
  ]);
  await t.api.request('DELETE', '/api/v1/push/subscriptions', {
    token: cast.tokens.worker1,
    body: { endpoint: `${push.origin}/push/worker1-phone` },
  });
});

it('a 410 Gone from the push service deletes the subscription; another device still gets it', async () => {
  await subscribe('worker1', '/push/old-phone');
  const keys = await subscribe('worker1', '/push/new-phone');
  push.status = (path) => (path === '/push/old-phone' ? 410 : 201);
  const issue = await issueIn(t.api, cast, 'resolved');
  await settle();
  const statuses = (await deliveriesOf(issue.id, 'push')).map((d) => d.status).sort();
  expect(statuses).toEqual(['gone', 'sent']);
  const subs = await t.api.get('/api/v1/push/subscriptions', cast.tokens.worker1);
  expect(subs.body.map((s: { endpoint: string }) => s.endpoint)).toEqual([`${push.origin}/push/new-phone`]);
  const fresh = push.received.filter((r) => r.path === '/push/new-phone').at(-1)!;
  expect((JSON.parse(keys.decrypt(fresh.body)) as PushPayload).issueId).toBe(issue.id);

  // the next notification goes to the live device only
  const before = push.received.filter((r) => r.path === '/push/old-phone').length;
  await issueIn(t.api, cast, 'resolved');
  await settle();
  expect(push.received.filter((r) => r.path === '/push/old-phone')).toHaveLength(before);
  push.status = () => 201;
  await t.api.request('DELETE', '/api/v1/push/subscriptions', {
    token: cast.tokens.worker1,
    body: { endpoint: `${push.origin}/push/new-phone` },
  });
});

it('a push service that fails for a while is retried, with the same message', async () => {
  const keys = await subscribe('lead1', '/push/lead1-flaky');
  let failures = 2;
  push.status = (path) => (path === '/push/lead1-flaky' && failures-- > 0 ? 503 : 201);
  const issue = await issueIn(t.api, cast, 'dispatched');
  await settle();
  expect(await deliveriesOf(issue.id, 'push')).toMatchObject([{ status: 'failed', attempts: 1, deliveredAt: null }]);
  t.clock.advance(MIN);
  await settle();
  expect(await deliveriesOf(issue.id, 'push')).toMatchObject([{ status: 'failed', attempts: 2 }]);
  t.clock.advance(3 * MIN);
  await settle();
  expect(await deliveriesOf(issue.id, 'push')).toMatchObject([{ status: 'sent', attempts: 3, deliveredAt: expect.any(Date) }]);
  const tries = push.received.filter((r) => r.path === '/push/lead1-flaky');
  expect(tries).toHaveLength(3);
  expect(new Set(tries.map((r) => (JSON.parse(keys.decrypt(r.body)) as PushPayload).eventId)).size).toBe(1);
  push.status = () => 201;
});

it('push off for a kind in the preferences: inbox only', async () => {
  await t.api.request('PUT', '/api/v1/notifications/preferences', {
    token: cast.tokens.lead1,
    body: { channels: { dispatched: { push: false } } },
  });
  const issue = await issueIn(t.api, cast, 'dispatched');
  await settle();
  expect(await deliveriesOf(issue.id, 'push')).toEqual([]);
  const inbox = await t.api.get('/api/v1/notifications?pageSize=100', cast.tokens.lead1);
  expect(inbox.body.items.some((n: { issueId: number }) => n.issueId === issue.id)).toBe(true);
  await t.api.request('PUT', '/api/v1/notifications/preferences', {
    token: cast.tokens.lead1,
    body: { channels: { dispatched: { push: true } } },
  });
});

it('SMS for an urgent dispatch and a 督办 (with a number), never for an ordinary one', async () => {
  await t.api.request('PUT', '/api/v1/notifications/preferences', { token: cast.tokens.lead1, body: { smsPhone: '13900000001' } });
  const ordinary = await issueIn(t.api, cast, 'dispatched');
  let urgent = await report(t.api, cast, { priority: 'urgent' });
  urgent = await act(t.api, cast.tokens.dispatcher!, urgent, 'accept');
  urgent = await act(t.api, cast.tokens.dispatcher!, urgent, 'dispatch', { departmentId: cast.departmentId });
  await act(t.api, cast.tokens.dispatcher!, urgent, 'supervise', { note: '限时办结' });
  await settle();
  expect(await deliveriesOf(ordinary.id, 'sms')).toEqual([]);
  expect((await deliveriesOf(urgent.id, 'sms')).map((d) => d.status)).toEqual(['sent', 'sent']);
  await t.api.request('PUT', '/api/v1/notifications/preferences', { token: cast.tokens.lead1, body: { smsPhone: null } });
});

it('subscriptions are the caller’s own: another user cannot remove them', async () => {
  await subscribe('worker1', '/push/mine');
  expectApiError(
    await t.api.request('DELETE', '/api/v1/push/subscriptions', {
      token: cast.tokens.worker2,
      body: { endpoint: `${push.origin}/push/mine` },
    }),
    404,
    'PUSH_SUBSCRIPTION_NOT_FOUND',
  );
  const del = await t.api.request('DELETE', '/api/v1/push/subscriptions', {
    token: cast.tokens.worker1,
    body: { endpoint: `${push.origin}/push/mine` },
  });
  expect(del.status).toBe(204);
});
