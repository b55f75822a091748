import type { Browser, Page } from 'playwright-core';
import type { IssueDetail } from '@gridline/shared';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { loadCast, report, type Cast } from '../support/fixtures';
import { gridCentre } from '../support/geo';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * 来电登记 in /console: the dispatcher opens the form with its key, is warned of an open issue
 * of the same category nearby, registers the call with the caller, and lands on the new issue,
 * whose contact they see whole while other staff see it masked.
 */
describe('hotline form', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let cast: Cast;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    cast = await loadCast(t.api);
    page = (await signedInContext(browser, t.baseUrl, 'dispatcher', { viewport: { width: 1440, height: 900 } })).page;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('registers a call as a hotline report with the caller as its resident contact', async () => {
    // An open issue of the category in the grid: the duplicate hint must show it.
    const centre = await gridCentre(t.api, cast.tokens.dispatcher!, cast.gridId);
    const existing = await report(t.api, cast, {
      description: '已有的同类事件',
      gridId: undefined,
      lat: centre.latitude,
      lng: centre.longitude,
    });
    const category = cast.category;
    const parent = (await t.sql.query('SELECT parent_id FROM categories WHERE id = $1', [category.id])).rows[0].parent_id as number;
    const grid = (await t.sql.query('SELECT name, parent_id FROM regions WHERE id = $1', [cast.gridId])).rows[0] as {
      name: string;
      parent_id: number;
    };

    await page.goto('/console');
    await page.locator('.console').waitFor();
    await page.keyboard.press('n');
    const form = page.getByTestId('hotline-form');
    await form.waitFor();

    await form.locator('input[name="callerName"]').fill('王丽华');
    await form.locator('input[name="callerPhone"]').fill('1391234567');
    await form.getByText('请输入 11 位手机号码').waitFor();
    await form.locator('input[name="callerPhone"]').fill('139 1234 5678');
    await form.locator('select[name="parentCategory"]').selectOption(String(parent));
    await form.locator('select[name="categoryId"]').selectOption(String(category.id));
    await form.locator('textarea[name="description"]').fill('来电反映：小区门口垃圾堆积三天无人清运');
    // The place: the grid's community, then a click on the grid in the map (the point and the grid).
    await form.locator('select[name="communityId"]').selectOption(String(grid.parent_id));
    // The label lets clicks through (pointer-events: none) to the grid under it: click where it sits.
    await form.locator('svg.mini-map text', { hasText: grid.name }).click({ force: true });
    await form.locator('svg.mini-map .pin').waitFor();
    expect(await form.locator('select[name="gridId"]').inputValue()).toBe(String(cast.gridId));
    await form.locator('input[name="address"]').fill('文三路 90 号');

    const hint = form.getByTestId('nearby');
    await hint.waitFor();
    expect(await hint.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toContain(
      `/console?queue=all&id=${existing.id}`,
    );
    await screenshot(page, 'console-hotline-form');

    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/issues') && r.request().method() === 'POST');
    await form.locator('button[type="submit"]').click();
    const res = await created;
    expect(res.status()).toBe(201);
    const issue = (await res.json()) as IssueDetail;
    expect(issue).toMatchObject({ source: 'hotline', gridId: cast.gridId, address: '文三路 90 号' });
    expect([typeof issue.lat, typeof issue.lng]).toEqual(['number', 'number']);
    expect(issue.residentContact).toMatchObject({ name: '王丽华', phone: '13912345678', masked: false });
    await form.waitFor({ state: 'detached' });
    await page.waitForURL((url) => url.searchParams.get('id') === String(issue.id));
    await page.locator('.issue-detail .number', { hasText: issue.number }).waitFor();

    const viewer = await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, cast.tokens.viewer);
    expect(viewer.body.residentContact).toMatchObject({ name: '王**', phone: '139****5678', masked: true });
    const stored = await t.sql.query(`SELECT count(*)::int AS n FROM residents WHERE phone = '13912345678'`);
    expect(stored.rows[0].n).toBe(1);
  });
});
