import type { Browser, Page } from 'playwright-core';
import type { IssueDetail, IssueSummary, Page as ListPage, StatsOverview } from '@gridline/shared';
import { StatsApplier } from '../../server/src/stats/stats-applier.service';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { loadCast, type Cast } from '../support/fixtures';
import { gridCentre } from '../support/geo';
import { realPng } from '../support/images';
import { actInPanel, fillReport } from '../support/screens';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The whole day through the screens, three people in three browsers and no API calls of
 * their own: the worker reports with a photo and GPS, the dispatcher accepts and dispatches,
 * the department lead signs and resolves with a photo, the worker verifies; the issue is
 * closed and the wall's counters moved.
 */
describe('issue lifecycle through /m, /console and /dept', () => {
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

  // The roll-ups trail commits by up to one applier tick: apply what is pending before reading them.
  const overview = async () => {
    await t.app.get(StatsApplier).drain();
    return (await t.api.get<StatsOverview>('/api/v1/stats/overview', cast.tokens.dispatcher)).body;
  };
  const byNumber = async (number: string) =>
    (await t.api.get<ListPage<IssueSummary>>(`/api/v1/issues?q=${number}`, cast.tokens.dispatcher)).body.items.find(
      (i) => i.number === number,
    )!;
  const openInList = async (page: Page, number: string) => {
    await page.locator(`tr:has-text("${number}"), button.task:has-text("${number}")`).first().click();
    await page.locator('.issue-detail .number', { hasText: number }).waitFor();
  };

  it('reports, accepts, dispatches, signs, resolves, verifies and closes', async () => {
    const before = await overview();
    const centre = await gridCentre(t.api, cast.tokens.worker1!, cast.gridId);

    // The dispatcher and the lead have their screens open before anything happens: new work must arrive live.
    const dispatcher = await signedInContext(browser, t.baseUrl, 'dispatcher', { viewport: { width: 1440, height: 900 } });
    await dispatcher.page.goto('/console?queue=toAccept');
    await dispatcher.page.getByTestId('live-badge').getByText('实时').waitFor();
    const lead = await signedInContext(browser, t.baseUrl, 'lead1', { viewport: { width: 1440, height: 900 } });
    await lead.page.goto('/dept?tab=toSign');
    await lead.page.getByTestId('live-badge').getByText('实时').waitFor();

    // 1. The grid worker reports on the phone.
    const worker = await signedInContext(browser, t.baseUrl, 'worker1', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      geolocation: centre,
      permissions: ['geolocation'],
    });
    await worker.page.goto('/m');
    const description = `全流程 ${Date.now()}：人行道垃圾堆积`;
    await fillReport(worker.page, cast, description);
    await screenshot(worker.page, 'm-report-filled');
    await worker.page.getByRole('button', { name: '提交上报' }).click();
    const sent = await worker.page.getByTestId('report-result').textContent({ timeout: 20_000 });
    const number = /GL-\d{8}-\d+/.exec(sent ?? '')?.[0];
    expect(number).toBeDefined();
    await screenshot(worker.page, 'm-report-sent');
    await worker.page.goto('/m/mine');
    await worker.page.locator('.issue-card', { hasText: number! }).waitFor();
    await screenshot(worker.page, 'm-mine');

    // 2. The dispatcher accepts (button), then dispatches with the suggested department (key "d").
    // The photo grid loads thumbnails (a small WebP), not the full photos.
    const photoRequests: string[] = [];
    dispatcher.page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/v1/attachments/')) photoRequests.push(new URL(r.url()).search);
    });
    await openInList(dispatcher.page, number!); // no reload: the row came over the socket
    await dispatcher.page.locator('.issue-detail .thumb img').first().waitFor();
    expect(photoRequests.length).toBeGreaterThan(0);
    expect(photoRequests.every((search) => search === '?size=thumb')).toBe(true);
    await dispatcher.page.getByTestId('sla-clocks').waitFor();
    await screenshot(dispatcher.page, 'console-to-accept');
    await actInPanel(dispatcher.page, 'accept');
    await dispatcher.page.locator('.issue-detail [data-status="accepted"]').first().waitFor();

    const accepted = (await t.api.get<IssueDetail>(`/api/v1/issues/${(await byNumber(number!)).id}`, cast.tokens.dispatcher)).body;
    if (accepted.suggestedDepartmentId === cast.departmentId) {
      await dispatcher.page.keyboard.press('d');
    } else {
      await actInPanel(dispatcher.page, 'dispatch', (form) =>
        form.locator('select[name="departmentId"]').selectOption(String(cast.departmentId)),
      );
    }
    await dispatcher.page.locator('.issue-detail [data-status="dispatched"]').first().waitFor();
    await screenshot(dispatcher.page, 'console-dispatched');

    // 3. The department lead signs (assigning no one: themselves) and resolves with an after-photo.
    await openInList(lead.page, number!); // no reload either
    await lead.page.locator('.issue-detail .thumb img').first().waitFor();
    await screenshot(lead.page, 'dept-to-sign');
    await actInPanel(lead.page, 'sign');
    await lead.page.locator('.issue-detail [data-status="in_progress"]').first().waitFor();
    await actInPanel(lead.page, 'resolve', async (form) => {
      await form.locator('textarea[name="note"]').fill('已清运，路面冲洗干净');
      await form.locator('input[type="file"]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: realPng(200, 150) });
      await form.locator('.photo-item img').first().waitFor();
    });
    await lead.page.locator('.issue-detail [data-status="resolved"]').first().waitFor();
    await screenshot(lead.page, 'dept-resolved');

    // 4. The worker finds it among the verification tasks and passes it.
    await worker.page.goto('/m/verify');
    await worker.page.locator('.issue-card', { hasText: number! }).waitFor();
    await screenshot(worker.page, 'm-verify');
    await worker.page.locator('.issue-card', { hasText: number! }).click();
    await actInPanel(worker.page, 'verify', (form) => form.locator('textarea[name="note"]').fill('现场核查，已清理干净'));
    await worker.page.locator('.issue-detail [data-status="closed"]').first().waitFor();
    await screenshot(worker.page, 'm-verified');

    // The server agrees, with both photos, and the wall's counters moved.
    const closed = (await t.api.get<IssueDetail>(`/api/v1/issues/${accepted.id}`, cast.tokens.dispatcher)).body;
    expect(closed.status).toBe('closed');
    expect(closed.description).toBe(description);
    expect(closed.departmentId).toBe(cast.departmentId);
    expect(closed.attachments.map((a) => a.kind).sort()).toEqual(['after', 'before']);
    expect(closed.timeline.map((e) => e.type)).toEqual(['report', 'accept', 'dispatch', 'sign', 'resolve', 'verify']);
    const after = await overview();
    expect(after.total.total).toBe(before.total.total + 1);
    expect(after.total.byStatus.closed).toBe(before.total.byStatus.closed + 1);
    expect(after.today.total).toBe(before.today.total + 1);

    for (const c of [worker, dispatcher, lead]) await c.context.close();
  }, 180_000); // three browsers and a dozen screens: longer than one API test on a shared 2-core machine
});
