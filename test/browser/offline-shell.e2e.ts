import type { Browser, Page, Response } from 'playwright-core';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { loadCast, type Cast } from '../support/fixtures';
import { gridCentre } from '../support/geo';
import { fillReport, until } from '../support/screens';
import { startTestApp, type TestApp } from '../support/test-app';

// In-page code as strings: the test project compiles without the DOM lib (it is node code).

/** Every path in the Service Worker's caches. */
function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  })()`);
}

/** True once /m has saved the reference lists of this user in IndexedDB. */
function referenceSaved(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(`new Promise((resolve) => {
    const open = indexedDB.open('gridline');
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('reference')) {
        db.close();
        return resolve(false);
      }
      const count = db.transaction('reference').objectStore('reference').count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result > 0);
      };
      count.onerror = () => resolve(false);
    };
  })`);
}

/**
 * The phone app opens with no network at all: after one online visit the Service Worker has the
 * app shell, /m has the categories and grids, the worker reloads with the server gone, writes a
 * report with a photo, and once the server is back exactly one issue arrives. The network is
 * really gone: the browser context is offline and the server is stopped (its port refuses), so
 * nothing the Service Worker fetches can succeed either.
 */
describe('/m offline app shell (Service Worker)', () => {
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
    await t?.start(); // in case a failure left it stopped
    await t?.close();
  });

  it('serves sw.js uncached at the root, as JavaScript', async () => {
    const res = await fetch(`${t.baseUrl}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    const body = await res.text();
    expect(body).toContain('/index.html');
    expect(body).not.toContain('__GRIDLINE_PRECACHE__');
  });

  it('opens /m with no network, keeps a report with its photo, and delivers exactly one issue when the server is back', async () => {
    const centre = await gridCentre(t.api, cast.tokens.worker1!, cast.gridId);
    const { context, page } = await signedInContext(browser, t.baseUrl, 'worker1', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      geolocation: centre,
      permissions: ['geolocation'],
    });
    try {
      // A grid worker's only work area: signing in lands in /m.
      await page.waitForURL((url) => url.pathname === '/m');
      await page.getByTestId('network-state').getByText('在线').waitFor();

      // The worker's issue list, seen online: a worker that cached /api would later show this stale list.
      await page.goto('/m/mine');
      await page.locator('.list-block').waitFor();
      await page.goto('/m');

      await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
      // The worker claims the open page when it activates; should that race a navigation (seen on
      // a loaded machine), the next load of the page is controlled anyway, as on a phone.
      const claimed = await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (!claimed) {
        await page.reload();
        await page.waitForFunction('navigator.serviceWorker.controller !== null');
      }
      await until(() => referenceSaved(page), 'the reference lists saved on the phone');
      const precached = await cachedUrls(page);
      expect(precached).toContain('/index.html');
      expect(precached.some((p) => /^\/assets\/ReportView-.+\.js$/.test(p))).toBe(true);

      // No network at all.
      await context.setOffline(true);
      await t.stop();
      expect(await fetch(`${t.baseUrl}/m`).catch(() => null)).toBeNull();

      const shell = await page.reload();
      expect(shell?.fromServiceWorker()).toBe(true);
      await page.getByTestId('network-state').getByText('离线').waitFor();
      await page.getByTestId('saved-reference').waitFor();
      const description = `无网打开 ${Date.now()}：地下室积水`;
      await fillReport(page, cast, description);
      await page.getByRole('button', { name: '保存，联网后自动发送' }).click();
      await page.getByTestId('report-result').getByText('上报已保存在本机').waitFor();
      await page.getByTestId('outbox-state').getByText('等待发送').waitFor();
      await screenshot(page, 'm-offline-shell-queued');

      // Still nothing reached the server; another reload offline still shows the queue.
      const none = await t.sql.query('SELECT count(*)::int AS n FROM issues WHERE description = $1', [description]);
      expect(none.rows[0].n).toBe(0);
      await page.reload();
      await page.getByTestId('outbox-state').getByText('等待发送').waitFor();

      // The server comes back (same port, same database), then the phone's network.
      await t.start();
      await context.setOffline(false);
      await page
        .getByTestId('outbox-state')
        .getByText(/已发送（GL-\d{8}-\d+）/)
        .waitFor({ timeout: 45_000 });

      const { rows } = await t.sql.query(
        `SELECT i.id, i.number, i.grid_id, (SELECT count(*)::int FROM attachments a WHERE a.issue_id = i.id) AS photos,
                (SELECT array_agg(a.mime_type) FROM attachments a WHERE a.issue_id = i.id) AS types
           FROM issues i WHERE i.description = $1`,
        [description],
      );
      expect(rows).toHaveLength(1);
      // The camera image was downscaled to JPEG on the phone while offline, and that JPEG arrived.
      expect(rows[0]).toMatchObject({ photos: 1, grid_id: cast.gridId, types: ['image/jpeg'] });

      // The issue list comes from the server, not from any cache: the new issue is in it.
      const listResponses: Response[] = [];
      page.on('response', (r) => {
        if (new URL(r.url()).pathname === '/api/v1/issues') listResponses.push(r);
      });
      await page.goto('/m/mine');
      await page.locator(`.issue-card[data-issue-id="${rows[0].id}"]`).getByText(rows[0].number).waitFor();
      expect(listResponses.length).toBeGreaterThan(0);
      for (const r of listResponses) expect(r.fromServiceWorker()).toBe(false);
      const cached = await cachedUrls(page);
      expect(cached.filter((p) => /^\/(api|socket\.io|health)(\/|$)/.test(p))).toEqual([]);
      await screenshot(page, 'm-offline-shell-sent');
    } finally {
      await context.close();
    }
  });
});
