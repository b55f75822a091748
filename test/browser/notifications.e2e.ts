import type { Browser, BrowserContext, Page, Worker } from 'playwright-core';
import { EventRelay } from '../../server/src/events/event-relay.service';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { act, issueIn, loadCast, type Cast } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Notifications on screen: the unread badge in the header goes up live when something happens
 * (no reload), the bell lists it and opens the issue; and the Service Worker's `push` and
 * `notificationclick` handlers, driven in Chromium: a real push message delivered to the
 * registered worker through DevTools (CDP ServiceWorker.deliverPushMessage) shows one notification
 * per event id, and a click on it takes the app's window to the issue.
 */
describe('notifications in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    cast = await loadCast(t.api);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const relay = () => t.app.get(EventRelay).drain();

  it('the unread badge in /dept goes up live, the bell lists the dispatch and opens it', async () => {
    await t.api.post('/api/v1/notifications/read-all', {}, cast.tokens.lead1);
    const { context, page } = await signedInContext(browser, t.baseUrl, 'lead1', { viewport: { width: 1440, height: 900 } });
    try {
      await page.waitForURL((url) => url.pathname === '/dept');
      await page.getByTestId('notification-bell').waitFor();
      expect(await page.getByTestId('unread-badge').count()).toBe(0);

      const issue = await issueIn(t.api, cast, 'dispatched');
      await relay();
      await page.getByTestId('unread-badge').getByText('1').waitFor();
      await screenshot(page, 'notifications-dept-badge');

      await page.getByTestId('notification-bell').click();
      const item = page.getByTestId('notification-panel').getByText(`新派遣任务 ${issue.number}`);
      await item.waitFor();
      await item.click();
      await page.waitForURL((url) => url.pathname === '/dept' && url.searchParams.get('id') === String(issue.id));
      await page.getByTestId('unread-badge').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('the /m header shows a verification task live', async () => {
    await t.api.post('/api/v1/notifications/read-all', {}, cast.tokens.worker1);
    const { context, page } = await signedInContext(browser, t.baseUrl, 'worker1', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    try {
      await page.waitForURL((url) => url.pathname === '/m');
      await page.getByTestId('notification-bell').waitFor();
      const a = await issueIn(t.api, cast, 'resolved');
      await relay();
      await page.getByTestId('unread-badge').getByText('1').waitFor();
      const b = await issueIn(t.api, cast, 'in_progress');
      await act(t.api, cast.tokens.staff1!, b, 'resolve', { note: '已处理' });
      await relay();
      await page.getByTestId('unread-badge').getByText('2').waitFor();
      // read on another device (the API): this one follows
      await t.api.post('/api/v1/notifications/read-all', {}, cast.tokens.worker1);
      await page.getByTestId('unread-badge').waitFor({ state: 'detached' });
      expect(a.id).not.toBe(b.id);
    } finally {
      await context.close();
    }
  });

  describe('Service Worker', () => {
    let context: BrowserContext;
    let page: Page;
    let worker: Worker;

    beforeAll(async () => {
      ({ context, page } = await signedInContext(browser, t.baseUrl, 'worker1', { viewport: { width: 390, height: 844 }, isMobile: true }));
      await context.grantPermissions(['notifications'], { origin: t.baseUrl });
      await page.waitForURL((url) => url.pathname === '/m');
      await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
      const claimed = await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (!claimed) {
        await page.reload();
        await page.waitForFunction('navigator.serviceWorker.controller !== null');
      }
      worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    });
    afterAll(async () => {
      await context?.close();
    });

    /** A push message as the browser's push service would hand it to the worker (already decrypted). */
    async function deliverPush(data: object): Promise<void> {
      const cdp = await context.newCDPSession(page);
      const registrationId = new Promise<string>((resolve) => {
        cdp.on(
          'ServiceWorker.workerRegistrationUpdated',
          (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
            const reg = e.registrations.find((r) => r.scopeURL === `${t.baseUrl}/` && !r.isDeleted);
            if (reg) resolve(reg.registrationId);
          },
        );
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: t.baseUrl,
        registrationId: await registrationId,
        data: JSON.stringify(data),
      });
      await cdp.detach();
    }

    const shown = (tag?: string) =>
      worker.evaluate<{ title: string; body: string; tag: string; data: { url: string; eventId: string } }[]>(
        `self.registration.getNotifications(${tag ? JSON.stringify({ tag }) : ''}).then((ns) => ns.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))`,
      );

    /**
     * Delivers a push until its notification shows (at most 3 times, 3 s apart). DevTools' push
     * delivery to a worker that is just stopping is sometimes dropped; a push service redelivers
     * too, and a redelivery of the same event must not add a second notification (checked by the callers).
     */
    async function pushUntilShown(data: { eventId: string; [field: string]: unknown }): Promise<Awaited<ReturnType<typeof shown>>> {
      const tag = `gridline-event-${data.eventId}`;
      for (let attempt = 1; ; attempt++) {
        await deliverPush(data);
        for (let i = 0; i < 30; i++) {
          const list = await shown(tag);
          if (list.length > 0) return list;
          await new Promise((r) => setTimeout(r, 100));
        }
        if (attempt === 3) throw new Error(`no notification with tag ${tag} after ${attempt} deliveries`);
      }
    }

    it('shows a push as a notification, once per event id however often it arrives', async () => {
      const issue = await issueIn(t.api, cast, 'resolved');
      const payload = {
        eventId: '900001',
        notificationId: 1,
        issueId: issue.id,
        kind: 'verify_task',
        title: `待核查 ${issue.number}`,
        body: '路边垃圾堆积',
        url: `/m/issues/${issue.id}`,
      };
      const [n] = await pushUntilShown(payload);
      expect(n).toMatchObject({
        title: `待核查 ${issue.number}`,
        body: '路边垃圾堆积',
        data: { url: `/m/issues/${issue.id}`, eventId: '900001' },
      });

      // at least once: the same event again replaces it, a new event adds one
      await deliverPush(payload);
      await pushUntilShown({ ...payload, eventId: '900002', title: '另一条' });
      expect(await shown('gridline-event-900001')).toHaveLength(1);
      expect(await shown('gridline-event-900002')).toHaveLength(1);
      // not ours: nothing shown
      const before = (await shown()).length;
      await deliverPush({ hello: 'world' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await shown()).length).toBe(before);
    });

    it('a click on the notification takes the app to the issue', async () => {
      const issue = await issueIn(t.api, cast, 'resolved');
      await pushUntilShown({
        eventId: '900003',
        notificationId: 2,
        issueId: issue.id,
        kind: 'verify_task',
        title: `待核查 ${issue.number}`,
        body: '',
        url: `/m/issues/${issue.id}`,
      });
      expect(new URL(page.url()).pathname).not.toBe(`/m/issues/${issue.id}`);
      // the click as the browser dispatches it to the worker, with the notification it showed
      await worker.evaluate(`self.registration.getNotifications({ tag: 'gridline-event-900003' }).then(([n]) => {
        self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n }));
        return true;
      })`);
      await page.waitForURL((url) => url.pathname === `/m/issues/${issue.id}`);
      await page.getByText(issue.number).first().waitFor();
      expect(await shown('gridline-event-900003')).toHaveLength(0); // closed on click
      await screenshot(page, 'notifications-sw-click');
    });
  });
});
