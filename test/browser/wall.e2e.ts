import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import type { RegionView, StatsOverview } from '@gridline/shared';
import { StatsApplier } from '../../server/src/stats/stats-applier.service';
import { demoRegions } from '../support/checks';
import { loadCast, report, type Cast } from '../support/fixtures';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { advanceAndSweep, continuousPolicies, MIN } from '../support/sla';
import { startTestApp, type TestApp } from '../support/test-app';
import { childIds, clippedPanels, countersOf, readWall, countdownSeconds, waitForCounters, waitForRegion } from './wall-page';

/**
 * The command-center wall (/wall) in Chromium against the real server: its numbers are those of
 * GET /stats/overview and of the database, a report shows up live, a dropped socket or a server
 * restart ends on the true numbers again, a drill-down moves every panel, nothing is clipped at
 * 1920×1080 or 3840×2160.
 */
let t: TestApp;
let browser: Browser;
let cast: Cast;
let districtId: number;
let s2: number;
let regions: RegionView[];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  cast = await loadCast(t.api);
  ({ districtId, s2 } = await demoRegions(t));
  regions = (await t.api.get<RegionView[]>('/api/v1/regions', cast.tokens.viewer)).body;
});
// Each test's pages close with it: a wall left open keeps drawing and receiving frames, which
// slows every later test on a loaded machine.
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The overview as the viewer reads it, once the roll-ups have caught up with every commit. */
async function overview(regionId: number): Promise<StatsOverview> {
  await t.app.get(StatsApplier).drain();
  const res = await t.api.get<StatsOverview>(`/api/v1/stats/overview?regionId=${regionId}`, cast.tokens.viewer);
  expect(res.status).toBe(200);
  return res.body;
}

/** COUNT(*) truth from the issues table. */
async function countIssues(regionId: number): Promise<number> {
  const { rows } = await t.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM issues WHERE $1 IN (district_id, street_id, community_id, grid_id)`,
    [regionId],
  );
  return rows[0]!.n;
}

async function openWall(username: string, path: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const { context, page } = await signedInContext(browser, t.baseUrl, username, { viewport: { width: 1920, height: 1080 }, ...options });
  contexts.push(context);
  await page.goto(path);
  return page;
}

describe('the wall', () => {
  it('shows the numbers of GET /stats/overview and of the database, every panel at one version', async () => {
    const page = await openWall('viewer', `/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    const expected = countersOf(await overview(districtId));
    const shown = await waitForCounters(page, expected);

    expect(shown.reportedTotal).toBe(await countIssues(districtId));
    // Cross-panel sums, as a person would add them up: categories and map regions sum to the total.
    expect(shown.categoryTotal).toBe(expected.reportedTotal);
    expect(shown.mapTotal).toBe(expected.reportedTotal);
    expect(shown.mapRegionIds.sort((a, b) => a - b)).toEqual(childIds(regions, districtId));
    expect(shown.consistent).toBe(true);
    expect(shown.connection).toBe('live');
    expect(shown.version).toBeGreaterThan(0);
  });

  it('shows a report posted through the API in the counters and the live feed', async () => {
    const page = await openWall('viewer', `/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    const before = await waitForCounters(page, countersOf(await overview(districtId)));

    const issue = await report(t.api, cast, { title: '大屏测试：路边垃圾堆积' });
    await page.locator(`[data-panel="feed"] [data-number="${issue.number}"]`).waitFor({ timeout: 20_000 });
    const after = await waitForCounters(page, countersOf(await overview(districtId)));

    expect(after.reportedTotal).toBe(before.reportedTotal + 1);
    expect(after.reportedToday).toBe(before.reportedToday + 1);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.feedNumbers[0]).toBe(issue.number);
    expect(after.consistent).toBe(true);
  });

  it('under a burst of reports, every version it shows adds up, and versions only go forward', async () => {
    const page = await openWall('viewer', `/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    const before = await waitForCounters(page, countersOf(await overview(districtId)));
    // Record every state the wall goes through (each change of data-version), not just the last one.
    await page.evaluate(`(() => {
      const wall = document.querySelector('[data-wall]');
      window.__seen = [];
      new MutationObserver(() => window.__seen.push({ version: Number(wall.dataset.version), consistent: wall.dataset.consistent }))
        .observe(wall, { attributes: true, attributeFilter: ['data-version'] });
    })()`);

    const burst = 40;
    for (let i = 0; i < burst; i += 10) await Promise.all(Array.from({ length: 10 }, () => report(t.api, cast)));
    const after = await waitForCounters(page, countersOf(await overview(districtId)), 30_000);
    expect(after.reportedTotal).toBe(before.reportedTotal + burst);

    const seen = (await page.evaluate('window.__seen')) as { version: number; consistent: string }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.consistent !== 'true')).toEqual([]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.version).toBeGreaterThan(seen[i - 1]!.version);
  });

  it('after its socket is cut (missing changes meanwhile, showing the delay badge) and reconnects, equals the database again', async () => {
    const { context, page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    // Cut the network between this page and /live: close its websockets and refuse new ones (and polling).
    let cut = false;
    const sockets: WebSocketRoute[] = [];
    let upgraded: () => void = () => undefined;
    const onWebSocket = new Promise<void>((resolve) => (upgraded = resolve));
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (cut) return void ws.close({ code: 1006 });
      ws.connectToServer();
      sockets.push(ws);
      upgraded();
    });
    await page.route(/\/socket\.io\//, (route) => (cut ? route.abort('internetdisconnected') : route.continue()));

    await page.goto(`/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    const before = await waitForCounters(page, countersOf(await overview(districtId)));

    await onWebSocket; // socket.io starts on long-polling and upgrades: cut the websocket, not a poll in flight
    cut = true;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1006 });
    // If the upgrade had not finished, a long-poll already in flight holds the connection until the
    // server's next ping (socket.io's default interval, 25 s): wait past that, not a fixed 20 s.
    await page.locator('[data-connection="reconnecting"]').waitFor({ timeout: 45_000 });
    const missed = [await report(t.api, cast), await report(t.api, cast)];
    // No frame for LIVE_STALE_AFTER_MS: the badge says the data is late and since when.
    await page.locator('[data-stale-badge]').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-stale-badge]').textContent()).resolves.toMatch(/数据延迟 · 最后更新 \d\d:\d\d:\d\d/);
    expect((await readWall(page)).reportedTotal).toBe(before.reportedTotal);

    cut = false;
    const expected = countersOf(await overview(districtId));
    const after = await waitForCounters(page, expected, 30_000);
    expect(after.reportedTotal).toBe(before.reportedTotal + missed.length);
    expect(after.reportedTotal).toBe(await countIssues(districtId));
    expect(after.snapshots).toBeGreaterThan(before.snapshots);
    await page.locator('[data-stale-badge]').waitFor({ state: 'detached' });
    expect(after.consistent).toBe(true);
  }, 150_000);

  it('after a server restart reconnects and shows the numbers of the database', async () => {
    const page = await openWall('viewer', `/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    const before = await waitForCounters(page, countersOf(await overview(districtId)));

    await t.restart();
    await report(t.api, cast);
    const after = await waitForCounters(page, countersOf(await overview(districtId)), 30_000);
    expect(after.reportedTotal).toBe(before.reportedTotal + 1);
    expect(after.reportedTotal).toBe(await countIssues(districtId));
    expect(after.snapshots).toBeGreaterThan(before.snapshots);
  }, 90_000);

  it('drills down on a map click: every panel, the URL and the breadcrumb move to that region, and back up', async () => {
    const page = await openWall('viewer', `/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    await waitForCounters(page, countersOf(await overview(districtId)));

    // The regions tile the district: the middle of the map is always one of its streets.
    const map = await page.locator('[data-map] canvas').first().boundingBox();
    if (!map) throw new Error('the map has no canvas');
    await page.mouse.click(map.x + map.width * 0.56, map.y + map.height * 0.52);
    await page.waitForURL((url) => url.searchParams.get('region') !== String(districtId));

    const street = Number(new URL(page.url()).searchParams.get('region'));
    expect(childIds(regions, districtId)).toContain(street);
    await waitForRegion(page, street);
    const shown = await waitForCounters(page, countersOf(await overview(street)));
    expect(shown.reportedTotal).toBe(await countIssues(street));
    expect(shown.categoryTotal).toBe(shown.reportedTotal);
    expect(shown.mapTotal).toBe(shown.reportedTotal);
    expect(shown.mapRegionIds.sort((a, b) => a - b)).toEqual(childIds(regions, street));
    const streetName = regions.find((r) => r.id === street)!.name;
    expect(shown.breadcrumb.at(-1)).toBe(streetName);
    await expect(page.locator('h1').textContent()).resolves.toContain(streetName);
    // The feed and the overdue list keep to the street's grids.
    const grids = new Set(regions.filter((r) => r.level === 'grid' && childIds(regions, street).includes(r.parentId!)).map((r) => r.id));
    for (const grid of [...shown.feedGrids, ...shown.overdueGrids]) expect(grids.has(grid)).toBe(true);
    expect(shown.consistent).toBe(true);

    // Back up through the breadcrumb.
    await page.locator(`[data-breadcrumb] button[data-region="${districtId}"]`).click();
    await waitForRegion(page, districtId);
    await waitForCounters(page, countersOf(await overview(districtId)));
    expect(new URL(page.url()).searchParams.get('region')).toBe(String(districtId));
  });

  it("keeps a viewer to their scope: another street's URL falls back to their own, the picker offers only their subtree", async () => {
    const page = await openWall('viewer_s2', `/wall?region=${districtId}`);
    await waitForRegion(page, s2);
    expect(new URL(page.url()).searchParams.get('region')).toBe(String(s2));
    await page.getByRole('alert').waitFor();
    const offered = (
      await page.locator('[data-region-picker] option').evaluateAll((options) => options.map((o) => o.getAttribute('value')))
    ).map(Number);
    const subtree = new Set([s2, ...childIds(regions, s2)]);
    expect(offered.length).toBeGreaterThan(1);
    for (const id of offered) expect(subtree.has(id)).toBe(true);
    await waitForCounters(page, countersOf(await overview(s2)));
  });

  it("is entered from the viewer's home and left with the browser's back button", async () => {
    const { context, page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    await page.locator('a[href="/wall"]').click();
    await page.waitForURL((url) => url.pathname === '/wall' && url.searchParams.get('region') === String(districtId));
    await waitForRegion(page, districtId);
    await page.goBack();
    await page.locator('a[href="/wall"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.locator('[data-wall]').count()).resolves.toBe(0);
  });

  it.each([
    ['1920x1080', { viewport: { width: 1920, height: 1080 } }, 1],
    ['3840x2160', { viewport: { width: 3840, height: 2160 } }, 2],
    ['1536x864-at-125pct', { viewport: { width: 1536, height: 864 }, deviceScaleFactor: 1.25 }, 1.25],
  ] as const)('fits every panel without clipping at %s, charts sharp at the scaled size', async (name, options, pixelRatio) => {
    const page = await openWall('viewer', `/wall?region=${districtId}`, options);
    await waitForRegion(page, districtId);
    await waitForCounters(page, countersOf(await overview(districtId)));

    for (const locale of ['zh-CN', 'en'] as const) {
      if (locale === 'en') await page.getByRole('button', { name: 'English' }).click();
      await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
      await expect(clippedPanels(page)).resolves.toEqual([]);
      await screenshot(page, `wall-${name}-${locale}`);
    }
    // ECharts draws at the screen's ratio times the canvas scale, so scaling up never blurs it.
    const ratios = await page
      .locator('[data-panel] canvas')
      .evaluateAll((canvases) => canvases.map((c) => Number(c.getAttribute('width')) / c.clientWidth));
    expect(ratios.length).toBeGreaterThanOrEqual(4);
    for (const ratio of ratios) expect(ratio).toBeCloseTo(pixelRatio, 1);
  });
  // Last: it moves the server's clock.
  it('counts an overdue issue down (up) locally from its due time, second by second, without any frame', async () => {
    await continuousPolicies(t, cast.tokens.admin!, cast.category.id, { accept: 10, overall: 60 });
    const { context, page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    // The browser's clock runs where the server's will be once it has moved past the due time.
    await page.clock.install({ time: t.clock.now().getTime() + 11 * MIN });
    await page.goto(`/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    const overdueKpi = page.locator('[data-kpi="overdueNow"] [data-kpi-primary]');
    const overdueBefore = Number(((await overdueKpi.textContent()) ?? '').replace(/[^\d]/g, ''));

    const issue = await report(t.api, cast, { title: '超时未受理：大屏倒计时' });
    await advanceAndSweep(t, 11 * MIN);
    await t.app.get(StatsApplier).drain();
    const row = page.locator(`[data-panel="overdue"] [data-issue="${issue.id}"]`);
    await row.waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      `document.querySelector('[data-kpi="overdueNow"] [data-kpi-primary]').textContent.trim() === '${overdueBefore + 1}'`,
    );

    // Freeze the page's time, then let exactly three seconds pass: the countdown moves by three.
    const due = Date.parse((await row.getAttribute('data-due'))!);
    // Far enough ahead that the page's flowing clock has not passed it by the time pauseAt arrives (a loaded CI machine).
    const paused = (await page.evaluate(() => Date.now())) + 10_000;
    await page.clock.pauseAt(paused);
    await page.clock.runFor(1_000);
    const version = (await readWall(page)).version;
    const first = countdownSeconds((await row.locator('[data-countdown]').textContent())!);
    await page.clock.runFor(3_000);
    const second = countdownSeconds((await row.locator('[data-countdown]').textContent())!);
    await expect(row.locator('[data-countdown]').textContent()).resolves.toMatch(/^超期 \d\d:\d\d:\d\d$/);
    expect(first).toBeGreaterThanOrEqual(Math.floor((paused - due) / 1000));
    expect(first).toBeLessThanOrEqual(Math.floor((paused + 1_000 - due) / 1000));
    expect(second - first).toBe(3);
    expect((await readWall(page)).version).toBe(version);
  });
});
