import { DOMAIN_EVENT_TYPES } from '@gridline/shared';
import { verifyWebhook } from '../server/src/webhooks/webhook-signature';
import { WebhookDeliveries } from '../server/src/webhooks/webhook-deliveries.service';
import { WebhookFanout } from '../server/src/webhooks/webhook-fanout.service';
import type { WebhookSourceEvent } from '../server/src/webhooks/webhook-payload';
import { DataSource } from 'typeorm';
import { EventRelay } from '../server/src/events/event-relay.service';
import { insertOutbox } from '../server/src/events/outbox-sql';
import { expectApiError } from './support/checks';
import { startTestApp, type TestApp } from './support/test-app';
import { WebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver';
import { withOneAudit } from './admin-helpers';

/** Outbound webhooks: the admin API, signed deliveries, retries, receiver signals, and the refusals. */
describe('webhooks', () => {
  let t: TestApp;
  let admin: string;
  let grid: number;
  let otherStreet: number;
  let seq = 0;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_TIMEOUT_MS: '1500' });
    admin = await t.api.token('admin');
    const { rows } = await t.sql.query(
      `SELECT (SELECT id FROM regions WHERE code = 'D01S01C01G01') AS grid,
              (SELECT id FROM regions WHERE code = 'D01S02') AS other`,
    );
    grid = rows[0].grid;
    otherStreet = rows[0].other;
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await t?.close();
  });

  const send = (method: string, path: string, body?: unknown, token = admin) =>
    t.api.request(method, `/api/v1/admin/webhooks${path}`, { token, body });
  const receiver = async () => {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  };
  const subscribe = async (url: string, extra: object = {}) => {
    const res = await send('POST', '', { name: 'test', url, events: ['issue.*'], ...extra });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: number; secret: string };
  };
  const event = (extra: Partial<WebhookSourceEvent> = {}) => {
    const n = ++seq;
    return {
      id: `evt_test_${n}`,
      type: 'issue.reported',
      occurredAt: new Date().toISOString(),
      data: { issueId: n, number: `T${n}`, gridId: grid, seq: 1, reporterPhone: '13800000000' },
      ...extra,
    } as WebhookSourceEvent & { data: Record<string, unknown> };
  };
  const fanout = () => t.app.get(WebhookFanout);
  const drain = () => t.app.get(WebhookDeliveries).drain();
  const deliveries = async (id: number) => (await send('GET', `/${id}/deliveries`)).body.items as any[];
  const verified = (secret: string, w: ReceivedWebhook) => verifyWebhook(secret, w.id, w.timestamp, w.body, w.signature);

  describe('admin API', () => {
    it('takes a subscription that names every event type one by one', async () => {
      const created = await send('POST', '', { name: 'every type', url: 'https://hooks.example.org/all', events: [...DOMAIN_EVENT_TYPES] });
      expect(created.status).toBe(201);
      const sub = created.body as { id: number; events: string[] };
      expect(sub.events).toEqual([...DOMAIN_EVENT_TYPES]);
      // Switched off again: the delivery tests below count their subscriptions' deliveries.
      expect((await send('PATCH', `/${sub.id}`, { active: false })).status).toBe(200);
    });

    it('shows the secret once, audits every change, never returns the secret again', async () => {
      const r = await receiver();
      const { res, row } = await withOneAudit(t, { entityType: 'webhook', action: 'create' }, () =>
        send('POST', '', { name: '区数据中台', url: r.url, events: ['issue.*', 'sla.breached'] }),
      );
      expect(res.status).toBe(201);
      const created = res.body;
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(created.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
      expect(created).toMatchObject({ name: '区数据中台', url: r.url, events: ['issue.*', 'sla.breached'], regionId: null, active: true });
      expect(JSON.stringify(row)).not.toContain(created.secret);

      const list = await send('GET', '');
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain('whsec_');
      expect(list.body.find((w: any) => w.id === created.id)).toMatchObject({ name: '区数据中台', pendingDeliveries: 0 });

      const off = await withOneAudit(t, { entityType: 'webhook', action: 'deactivate' }, () =>
        send('PATCH', `/${created.id}`, { active: false }),
      );
      expect(off.res.body).toMatchObject({ active: false });
      expect(JSON.stringify(off.res.body)).not.toContain('whsec_');
      await withOneAudit(t, { entityType: 'webhook', action: 'delete' }, () => send('DELETE', `/${created.id}`));
      expect((await send('GET', '')).body.find((w: any) => w.id === created.id)).toBeUndefined();
      expectApiError(await send('PATCH', `/${created.id}`, { name: 'x' }), 404, 'NOT_FOUND');
    });

    it('refuses bad input with a stable code and writes nothing', async () => {
      const digest = async () =>
        (
          await t.sql.query(
            `SELECT (SELECT count(*) FROM webhook_subscriptions) AS subs, (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM webhook_subscriptions x) AS rows,
                    (SELECT max(id) FROM admin_audit) AS audit`,
          )
        ).rows[0];
      const existing = await subscribe('http://127.0.0.1:9/existing');
      const ok = { name: 'x', url: 'https://hooks.example.org/in', events: ['issue.reported'] };
      const cases: [string, string, string, unknown, number, string][] = [
        ['malformed URL', 'POST', '', { ...ok, url: 'not a url' }, 400, 'WEBHOOK_URL_INVALID'],
        ['ftp URL', 'POST', '', { ...ok, url: 'ftp://example.org/x' }, 400, 'WEBHOOK_URL_INVALID'],
        ['javascript URL', 'POST', '', { ...ok, url: 'javascript:alert(1)' }, 400, 'WEBHOOK_URL_INVALID'],
        ['credentials in URL', 'POST', '', { ...ok, url: 'https://u:p@example.org/' }, 400, 'WEBHOOK_URL_INVALID'],
        ['unknown event type', 'POST', '', { ...ok, events: ['issue.exploded'] }, 400, 'WEBHOOK_EVENTS_INVALID'],
        ['wildcard of nothing', 'POST', '', { ...ok, events: ['nothing.*'] }, 400, 'WEBHOOK_EVENTS_INVALID'],
        ['bare star', 'POST', '', { ...ok, events: ['*'] }, 400, 'WEBHOOK_EVENTS_INVALID'],
        ['no events', 'POST', '', { ...ok, events: [] }, 400, 'VALIDATION_FAILED'],
        ['unknown region', 'POST', '', { ...ok, regionId: 999_999 }, 400, 'WEBHOOK_REGION_INVALID'],
        ['secret in body', 'POST', '', { ...ok, secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 400, 'WEBHOOK_SECRET_NOT_ACCEPTED'],
        ['unknown field', 'POST', '', { ...ok, colour: 'red' }, 400, 'VALIDATION_FAILED'],
        ['name too long', 'POST', '', { ...ok, name: 'x'.repeat(101) }, 400, 'VALIDATION_FAILED'],
        ['PATCH: secret', 'PATCH', `/${existing.id}`, { secret: 'whsec_x' }, 400, 'WEBHOOK_SECRET_NOT_ACCEPTED'],
        ['PATCH: bad URL', 'PATCH', `/${existing.id}`, { url: 'gopher://x' }, 400, 'WEBHOOK_URL_INVALID'],
        ['PATCH: bad events', 'PATCH', `/${existing.id}`, { events: ['pool'] }, 400, 'WEBHOOK_EVENTS_INVALID'],
        ['PATCH: bad region', 'PATCH', `/${existing.id}`, { regionId: 999_999 }, 400, 'WEBHOOK_REGION_INVALID'],
        ['PATCH: bad id', 'PATCH', '/abc', { name: 'y' }, 400, 'VALIDATION_FAILED'],
        ['deliveries: bad limit', 'GET', `/${existing.id}/deliveries?limit=1000`, undefined, 400, 'VALIDATION_FAILED'],
        ['deliveries: unknown webhook', 'GET', '/999999/deliveries', undefined, 404, 'NOT_FOUND'],
        ['redeliver: unknown delivery', 'POST', `/${existing.id}/deliveries/999999/redeliver`, undefined, 404, 'NOT_FOUND'],
        ['rotate: unknown webhook', 'POST', '/999999/rotate-secret', undefined, 404, 'NOT_FOUND'],
      ];
      const before = await digest();
      for (const [name, method, path, body, status, code] of cases) {
        const res = await send(method, path, body);
        try {
          expectApiError(res, status, code);
        } catch (err) {
          throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}\n${String(err)}`);
        }
      }
      expect(await digest()).toEqual(before);
      await send('DELETE', `/${existing.id}`);
    });

    it('is for administrators only, and documented', async () => {
      const sub = await subscribe('http://127.0.0.1:9/roles');
      await fanout().enqueue([event()]);
      const [{ id: deliveryId }] = await deliveries(sub.id);
      const routes: [string, string, unknown?][] = [
        ['GET', ''],
        ['POST', '', { name: 'x', url: 'https://example.org', events: ['issue.*'] }],
        ['PATCH', `/${sub.id}`, { name: 'x' }],
        ['DELETE', `/${sub.id}`],
        ['GET', `/${sub.id}/deliveries`],
        ['POST', `/${sub.id}/deliveries/${deliveryId}/redeliver`],
        ['POST', `/${sub.id}/rotate-secret`],
        ['POST', `/${sub.id}/test`],
      ];
      const before = (
        await t.sql.query(
          `SELECT md5(string_agg(s::text, '|' ORDER BY id)) AS h, (SELECT max(id) FROM admin_audit) AS a FROM webhook_subscriptions s`,
        )
      ).rows[0];
      for (const [method, path, body] of routes) {
        expectApiError(await t.api.request(method, `/api/v1/admin/webhooks${path}`, { body }), 401, 'AUTH_REQUIRED');
        for (const user of ['dispatcher', 'viewer', 'worker1', 'lead1', 'staff1']) {
          const res = await send(method, path, body, await t.api.token(user));
          expect({ route: `${method} ${path}`, user, status: res.status, code: res.body?.code }).toEqual({
            route: `${method} ${path}`,
            user,
            status: 403,
            code: 'FORBIDDEN_ROLE',
          });
        }
      }
      const after = (
        await t.sql.query(
          `SELECT md5(string_agg(s::text, '|' ORDER BY id)) AS h, (SELECT max(id) FROM admin_audit) AS a FROM webhook_subscriptions s`,
        )
      ).rows[0];
      expect(after).toEqual(before);

      const doc = (await t.api.get('/api/docs-json')).body;
      for (const [method, path] of routes) {
        const template = `/api/v1/admin/webhooks${path.replace(`/${sub.id}`, '/{id}').replace(`/${deliveryId}/`, '/{deliveryId}/')}`;
        expect({ template, method, documented: Boolean(doc.paths[template]?.[method.toLowerCase()]) }).toEqual({
          template,
          method,
          documented: true,
        });
      }
      await send('DELETE', `/${sub.id}`);
    });
  });

  describe('delivery', () => {
    it('signs per Standard Webhooks, filters by type and region, strips personal data, never makes a second delivery of an event', async () => {
      const r = await receiver();
      const all = await subscribe(r.url);
      const elsewhere = await subscribe(r.url, { regionId: otherStreet });
      const here = await subscribe(r.url, { regionId: grid, events: ['issue.reported'] });
      const slaOnly = await subscribe(r.url, { events: ['sla.breached'] });
      const e = event();
      expect(await fanout().enqueue([e])).toBe(2);
      expect(await fanout().enqueue([e])).toBe(0); // the relay handed it over again
      await drain();
      expect(r.received).toHaveLength(2);
      const got = r.received.find((w) => verified(all.secret, w))!;
      expect(r.received.filter((w) => verified(here.secret, w))).toHaveLength(1);
      expect(got.id).toBe(e.id);
      expect(Math.abs(got.timestamp - Date.now() / 1000)).toBeLessThan(60);
      expect(verified(all.secret, got)).toBe(true);
      expect(verified(elsewhere.secret, got)).toBe(false);
      expect(JSON.parse(got.body)).toEqual({
        type: 'issue.reported',
        timestamp: e.occurredAt,
        data: { issueId: e.data.issueId, number: e.data.number, gridId: grid, seq: 1 },
      });
      const [d] = await deliveries(all.id);
      expect(d).toMatchObject({ eventId: e.id, status: 'succeeded', attempts: 1, lastStatusCode: 204, nextAttemptAt: null });
      expect(d.attemptLog).toEqual([expect.objectContaining({ statusCode: 204, error: null })]);
      expect(await deliveries(elsewhere.id)).toEqual([]);
      expect(await deliveries(slaOnly.id)).toEqual([]);
      for (const s of [all, elsewhere, here, slaOnly]) await send('DELETE', `/${s.id}`);
    });

    it('retries a failing receiver with the same webhook-id on the schedule, by the injected clock', async () => {
      const r = await receiver();
      r.answer = (_w, nth) => (nth <= 2 ? { status: 500 } : { status: 200 });
      const sub = await subscribe(r.url);
      const e = event();
      await fanout().enqueue([e]);
      await drain();
      expect(r.received).toHaveLength(1);
      let [d] = await deliveries(sub.id);
      expect(d).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500 });
      const wait = Date.parse(d.nextAttemptAt) - Date.parse(d.lastAttemptAt);
      expect(wait).toBeGreaterThanOrEqual(4500);
      expect(wait).toBeLessThanOrEqual(5500);

      await drain(); // not due yet
      expect(r.received).toHaveLength(1);
      t.clock.advance(6000);
      await drain();
      expect(r.received).toHaveLength(2);
      t.clock.advance(6 * 60_000);
      await drain();
      expect(r.received).toHaveLength(3);
      expect(new Set(r.received.map((w) => w.id))).toEqual(new Set([e.id]));
      for (const w of r.received) expect(verified(sub.secret, w)).toBe(true);
      [d] = await deliveries(sub.id);
      expect(d).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200 });
      expect(d.attemptLog.map((a: any) => a.statusCode)).toEqual([200, 500, 500]);
      await send('DELETE', `/${sub.id}`);
    });

    it('gives up after the schedule (dead), and an admin can redeliver it', async () => {
      const r = await receiver();
      r.answer = () => ({ status: 503 });
      const sub = await subscribe(r.url);
      const e = event();
      await fanout().enqueue([e]);
      for (let i = 0; i < 10; i++) {
        await drain();
        t.clock.advance(27 * 3600_000);
      }
      await drain();
      expect(r.received).toHaveLength(10);
      let [d] = await deliveries(sub.id);
      expect(d).toMatchObject({ status: 'dead', attempts: 10, nextAttemptAt: null, lastStatusCode: 503 });
      expect((await send('GET', '')).body.find((w: any) => w.id === sub.id)).toMatchObject({ deadDeliveries: 1, pendingDeliveries: 0 });

      r.answer = () => ({ status: 200 });
      const { res } = await withOneAudit(t, { entityType: 'webhook', action: 'redeliver' }, () =>
        send('POST', `/${sub.id}/deliveries/${d.id}/redeliver`),
      );
      expect(res.status).toBe(202);
      await drain();
      expect(r.received).toHaveLength(11);
      expect(r.received[10]!.id).toBe(e.id);
      expect(verified(sub.secret, r.received[10]!)).toBe(true);
      [d] = await deliveries(sub.id);
      expect(d).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200 });
      expect(d.attemptLog).toHaveLength(11);
      await send('DELETE', `/${sub.id}`);
    });

    it('disables the subscription on 410 Gone; enabling it again resumes delivery', async () => {
      const r = await receiver();
      r.answer = () => ({ status: 410 });
      const sub = await subscribe(r.url);
      await fanout().enqueue([event()]);
      await drain();
      const view = (await send('GET', '')).body.find((w: any) => w.id === sub.id);
      expect(view).toMatchObject({ active: false, disabledReason: expect.stringContaining('410') });
      expect((await deliveries(sub.id))[0]).toMatchObject({ status: 'dead', lastStatusCode: 410 });
      expect(await fanout().enqueue([event()])).toBe(0); // an inactive subscription gets nothing new
      expectApiError(await send('POST', `/${sub.id}/test`), 409, 'WEBHOOK_INACTIVE');

      r.answer = () => ({ status: 200 });
      const on = await send('PATCH', `/${sub.id}`, { active: true });
      expect(on.body).toMatchObject({ active: true, disabledReason: null });
      expect(await fanout().enqueue([event()])).toBe(1);
      await drain();
      expect(r.received).toHaveLength(2);
      await send('DELETE', `/${sub.id}`);
    });

    it('slows down on 429 with Retry-After: the subscription waits, its other deliveries too', async () => {
      const r = await receiver();
      r.answer = () => ({ status: 429, headers: { 'retry-after': '120' } });
      const sub = await subscribe(r.url);
      await fanout().enqueue([event()]);
      await drain();
      expect(r.received).toHaveLength(1);
      r.answer = () => ({ status: 200 });
      await fanout().enqueue([event()]);
      await drain();
      expect(r.received).toHaveLength(1); // held back
      const [d] = (await deliveries(sub.id)).slice(-1);
      expect(Date.parse(d.nextAttemptAt) - Date.parse(d.lastAttemptAt)).toBeGreaterThanOrEqual(120_000);
      t.clock.advance(121_000);
      await drain();
      expect(r.received).toHaveLength(3);
      await send('DELETE', `/${sub.id}`);
    });

    it('counts a redirect, a slow answer and a huge body as failures, without holding up another subscription', async () => {
      const target = await receiver();
      const redirect = await receiver();
      redirect.answer = () => ({ status: 307, headers: { location: target.url } });
      const slow = await receiver();
      slow.answer = () => ({ status: 200, delayMs: 5000 });
      const huge = await receiver();
      huge.answer = () => ({ status: 200, body: 'x'.repeat(200_000) });
      const healthy = await receiver();
      const subs = {
        redirect: await subscribe(redirect.url),
        slow: await subscribe(slow.url),
        huge: await subscribe(huge.url),
        healthy: await subscribe(healthy.url),
      };
      const events = Array.from({ length: 10 }, () => event());
      const started = Date.now();
      const drained = drain();
      await fanout().enqueue(events);
      await healthy.waitFor(10, 3000);
      // every healthy delivery arrived while the slow receiver still held its requests (1.5 s timeout)
      expect(Date.now() - started).toBeLessThan(1500);
      await drained;
      await drain();
      const last = async (id: number) => (await deliveries(id))[0];
      expect(await last(subs.redirect.id)).toMatchObject({
        status: 'failed',
        lastStatusCode: 307,
        lastError: expect.stringContaining('redirect'),
      });
      expect(await last(subs.slow.id)).toMatchObject({
        status: 'failed',
        lastStatusCode: null,
        lastError: expect.stringContaining('no answer'),
      });
      expect(await last(subs.huge.id)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('larger than') });
      expect((await deliveries(subs.healthy.id)).map((d) => d.status)).toEqual(Array(10).fill('succeeded'));
      // (the slow receiver's timeouts take long enough for 5 s retries to come due: count events, not requests)
      expect(new Set(redirect.received.map((w) => w.id)).size).toBe(10);
      expect(target.received).toHaveLength(0); // the redirect was not followed
      for (const s of Object.values(subs)) await send('DELETE', `/${s.id}`);
    });

    it('signs with both secrets for a day after a rotation, then with the new one only', async () => {
      const r = await receiver();
      const sub = await subscribe(r.url);
      const rotated = await withOneAudit(t, { entityType: 'webhook', action: 'rotate_secret' }, () =>
        send('POST', `/${sub.id}/rotate-secret`),
      );
      const fresh = rotated.res.body.secret as string;
      expect(fresh).not.toBe(sub.secret);
      expect(rotated.res.body.previousSecretExpiresAt).not.toBeNull();
      await fanout().enqueue([event()]);
      await drain();
      const first = r.received[0]!;
      expect(first.signature.split(' ')).toHaveLength(2);
      expect(verified(fresh, first)).toBe(true);
      expect(verified(sub.secret, first)).toBe(true);

      t.clock.advance(24 * 3600_000 + 60_000);
      await fanout().enqueue([event()]);
      await drain();
      const second = r.received[1]!;
      expect(second.signature.split(' ')).toHaveLength(1);
      expect(verified(fresh, second)).toBe(true);
      expect(verified(sub.secret, second)).toBe(false);
      await send('DELETE', `/${sub.id}`);
    });

    it('takes events from the outbox through the relay, once per event, with the outbox id as webhook-id', async () => {
      const r = await receiver();
      const sub = await subscribe(r.url, { events: ['issue.reported', 'sla.*'] });
      const data = { issueId: 424242, number: 'T424242', seq: 1, gridId: grid, status: 'reported' };
      // as a producer does: the event row in the transaction of the change
      await t.app.get(DataSource).transaction((tx) =>
        insertOutbox(tx, [
          { type: 'issue.reported', occurredAt: new Date(), data: data as never },
          { type: 'issue.transitioned', occurredAt: new Date(), data: { ...data, seq: 2 } as never },
        ]),
      );
      await t.app.get(EventRelay).drain();
      await drain();
      expect(r.received).toHaveLength(1);
      const w = r.received[0]!;
      expect(verified(sub.secret, w)).toBe(true);
      expect(JSON.parse(w.body)).toMatchObject({ type: 'issue.reported', data });
      const { rows } = await t.sql.query(`SELECT id::text FROM event_archive WHERE type = 'issue.reported' AND issue_id = 424242`);
      expect(w.id).toBe(rows[0].id);
      // the relay handing the same event over again makes no second delivery
      expect(await fanout().enqueue([{ id: w.id, type: 'issue.reported', occurredAt: new Date().toISOString(), data }])).toBe(0);
      await send('DELETE', `/${sub.id}`);
    });

    it('sends a signed webhook.ping on request', async () => {
      const r = await receiver();
      const sub = await subscribe(r.url);
      const res = await send('POST', `/${sub.id}/test`);
      expect(res.status).toBe(202);
      await drain();
      expect(JSON.parse(r.received[0]!.body)).toMatchObject({ type: 'webhook.ping', data: { webhookId: sub.id } });
      expect(verified(sub.secret, r.received[0]!)).toBe(true);
      await send('DELETE', `/${sub.id}`);
    });
  });
});

describe('webhooks in production mode (SSRF guard)', () => {
  let t: TestApp;
  let admin: string;
  let r: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
      VAPID_PUBLIC_KEY: 'BGCCzxgoDp_xo56HsCDOvtmm4oLohqnhANr9HLzdRtuWGosrsxEAu9Xqchexx-7JXjVZ6X7Uf9tfD7cYr9Nvgbw',
      VAPID_PRIVATE_KEY: 'TKDFl0mMi_ZEFxMnRYdfRYms1VHE5n9c9yIXaRBvNu4',
      VAPID_SUBJECT: 'mailto:ops@example.cn',
      SMS_HTTP_URL: 'https://sms.example.test/send',
      SMS_HTTP_TOKEN: 'a-token-of-sixteen-chars',
      WEBHOOK_TIMEOUT_MS: '1500',
    });
    admin = await t.api.token('admin');
    r = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await r?.close();
    await t?.close();
  });

  it('refuses loopback, private, link-local and internal names at creation', async () => {
    const before = (await t.sql.query('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0].n;
    for (const url of [
      r.url,
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://172.20.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
    ]) {
      const res = await t.api.request('POST', '/api/v1/admin/webhooks', { token: admin, body: { name: 'x', url, events: ['issue.*'] } });
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 400, code: 'WEBHOOK_TARGET_FORBIDDEN' });
    }
    expect((await t.sql.query('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0].n).toBe(before);
  });

  it('checks again at send time: a target that became internal is never called', async () => {
    // As if the name had resolved to a public address when the subscription was made.
    const { rows } = await t.sql.query(
      `INSERT INTO webhook_subscriptions (name, url, events, secret, created_at, updated_at)
       VALUES ('rebound', $1, '{issue.*}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now(), now()) RETURNING id`,
      [r.url.replace('127.0.0.1', 'localhost')],
    );
    await t.app
      .get(WebhookFanout)
      .enqueue([{ id: 'evt_ssrf', type: 'issue.reported', occurredAt: new Date().toISOString(), data: { issueId: 1 } }]);
    await t.app.get(WebhookDeliveries).drain();
    expect(r.received).toHaveLength(0);
    const d = await t.api.get(`/api/v1/admin/webhooks/${rows[0].id}/deliveries`, admin);
    expect(d.body.items[0]).toMatchObject({
      status: 'failed',
      lastStatusCode: null,
      lastError: expect.stringContaining('internal address'),
    });
  });
});
