import type { Browser } from 'playwright-core';
import type { IssueDetail, KpiReport, NotificationPage, NotificationReceipt, Page as ApiPage, SupervisionView } from '@gridline/shared';
import { EventRelay } from '../../server/src/events/event-relay.service';
import { DOCS_VIEWPORT, docsScreenshot, launchBrowser, screenshot, signedInContext } from '../support/browser';
import { act, issueIn, loadCast, type Cast } from '../support/fixtures';
import { until } from '../support/screens';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * /kpi as a viewer sees it (the table the API computes, ranked, the trend, the click-through to the
 * read-only issue list), the region picker (kept in the URL, filtering table and click-through),
 * a refusal in Chinese, the console's 督办 queue with the notification receipts of an issue, and
 * the 督办 answer flow on /dept: the flag on the task list, the answer form in the detail, the
 * answer stored. The pages the docs show are saved at 1920×1080 in docs/screenshots/.
 */
describe('/kpi and the 督办 answer on /dept', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let cast: Cast;
  let supervised: IssueDetail;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    cast = await loadCast(t.api);
    supervised = await issueIn(t.api, cast, 'in_progress');
    supervised = await act(t.api, cast.tokens.dispatcher!, supervised, 'supervise', { note: '群众多次来电，请加快' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the viewer the KPI table of the month, ranked as the API ranks it, and opens the issues behind a row', async () => {
    const api = await t.api.get<KpiReport>('/api/v1/stats/kpi?groupBy=department', cast.tokens.viewer);
    expect(api.status).toBe(200);
    const { page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: DOCS_VIEWPORT });
    await page.goto('/kpi');
    const table = page.getByTestId('kpi-table');
    await table.waitFor();
    await until(async () => (await table.locator('tbody tr[data-key]').count()) === api.body.rows.length, 'the table rows');
    const first = api.body.rows[0]!;
    const firstRow = table.locator('tbody tr').first();
    expect(await firstRow.locator('td').nth(1).textContent()).toBe(first.name);
    expect(await firstRow.locator('td').nth(2).textContent()).toBe(String(first.received));
    await page.getByTestId('kpi-trend').locator('canvas').first().waitFor();
    await screenshot(page, 'kpi');
    await docsScreenshot(page, 'kpi');
    // sort by 受理量: the largest first
    await page.locator('button[data-sort="received"]').click();
    const most = Math.max(...api.body.rows.map((r) => r.received));
    await until(async () => (await table.locator('tbody tr').first().locator('td').nth(2).textContent()) === String(most), 'sorted');
    // the issues behind the first row, read-only
    await table.locator('tbody tr').first().getByTestId('open-issues').click();
    await page.waitForURL((url) => url.pathname === '/kpi/issues');
    const rows = page.getByTestId('kpi-issues').locator('button[data-row-id]');
    await rows.first().waitFor();
    await rows.first().click();
    await page.locator('.issue-detail .number').waitFor();
    expect(await page.locator('.issue-detail .actions-block button').count()).toBe(0);
  });

  it('lets a viewer choose a street: the table, the URL and the click-through follow; a reload keeps it', async () => {
    const street = cast.users.dispatcher_s1!.regionId!;
    const api = await t.api.get<KpiReport>(`/api/v1/stats/kpi?groupBy=street&regionId=${street}`, cast.tokens.viewer);
    const whole = await t.api.get<KpiReport>('/api/v1/stats/kpi?groupBy=street', cast.tokens.viewer);
    expect(api.body.total.received).toBeLessThan(whole.body.total.received); // the choice really narrows
    const { page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: { width: 1440, height: 900 } });
    await page.goto('/kpi');
    await page.getByTestId('group-by').selectOption('street');
    const picker = page.getByTestId('kpi-region');
    await picker.locator(`option[value="${street}"]`).waitFor({ state: 'attached' });
    await picker.selectOption(String(street));
    await page.waitForURL((url) => url.searchParams.get('regionId') === String(street));
    const table = page.getByTestId('kpi-table');
    const totalReceived = () => table.locator('tfoot td').nth(2).textContent();
    await until(async () => (await totalReceived()) === String(api.body.total.received), 'the street total');
    await page.reload();
    await until(async () => (await picker.inputValue().catch(() => '')) === String(street), 'the choice kept after a reload');
    await page.getByTestId('group-by').selectOption('street');
    await until(async () => (await totalReceived()) === String(api.body.total.received), 'the street total after a reload');
    await table.locator('tbody tr').first().getByTestId('open-issues').click();
    await page.waitForURL((url) => url.pathname === '/kpi/issues' && url.searchParams.get('regionId') === String(street));
  });

  it('offers a street dispatcher only their street and its communities, and a department lead no region at all', async () => {
    const street = cast.users.dispatcher_s1!.regionId!;
    const { page } = await signedInContext(browser, t.baseUrl, 'dispatcher_s1', { viewport: { width: 1440, height: 900 } });
    await page.goto('/kpi');
    const options = page.getByTestId('kpi-region').locator('option');
    await options.nth(1).waitFor({ state: 'attached' });
    const values = await options.evaluateAll((els) => els.map((e) => e.getAttribute('value') ?? ''));
    const { rows } = await t.sql.query<{ id: number }>(`SELECT id FROM regions WHERE parent_id = $1 AND level = 'community' AND active`, [
      street,
    ]);
    expect(values.sort()).toEqual(['0', ...rows.map((r) => String(r.id))].sort());
    const lead = await signedInContext(browser, t.baseUrl, 'lead1', { viewport: { width: 1440, height: 900 } });
    await lead.page.goto('/kpi');
    await lead.page.getByTestId('kpi-table').waitFor();
    expect(await lead.page.getByTestId('kpi-region').count()).toBe(0);
  });

  it('shows a refusal in Chinese: a custom period longer than the server allows', async () => {
    const { page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: DOCS_VIEWPORT });
    await page.goto('/kpi');
    await page.getByTestId('kpi-table').waitFor();
    await page.getByTestId('period-kind').selectOption('custom');
    await page.getByTestId('period-from').fill('2024-01-01');
    await page.getByTestId('period-to').fill('2025-12-31');
    await page.getByRole('alert').getByText('统计时段无效：开始须早于结束，且不超过允许的范围。').waitFor();
    await docsScreenshot(page, 'refusal-zh');
  });

  it('shows the dispatcher the 督办 queue, and who was told about an issue, delivered and read', async () => {
    await t.app.get(EventRelay).drain();
    const inbox = await t.api.get<NotificationPage>('/api/v1/notifications?pageSize=100', cast.tokens.lead1);
    const told = inbox.body.items.find((n) => n.issueId === supervised.id && n.kind === 'supervision')!;
    expect(told).toBeDefined();
    expect((await t.api.post(`/api/v1/notifications/${told.id}/read`, {}, cast.tokens.lead1)).status).toBe(200);
    const receipts = await t.api.get<NotificationReceipt[]>(
      `/api/v1/notifications/receipts?issueId=${supervised.id}`,
      cast.tokens.dispatcher,
    );
    const { page } = await signedInContext(browser, t.baseUrl, 'dispatcher', { viewport: DOCS_VIEWPORT });
    await page.goto('/console?queue=supervised');
    await page.locator(`tr[data-row-id="${supervised.id}"]`).waitFor();
    await docsScreenshot(page, 'console-supervision-queue');
    await page.locator(`tr[data-row-id="${supervised.id}"]`).click();
    const block = page.getByTestId('receipts');
    const row = block.locator(`tr[data-receipt="${told.id}"]`);
    await row.waitFor();
    expect(await block.locator('tbody tr').count()).toBe(receipts.body.length);
    expect(await row.textContent()).toContain('督办');
    expect(await row.locator('[data-col="read"]').textContent()).not.toBe('未读');
    expect(await row.locator('[data-col="delivered"]').textContent()).not.toBe('未送达');
    await screenshot(page, 'console-receipts');
  });

  it('shows the department the 督办 flag and level, and takes its answer', async () => {
    const { page } = await signedInContext(browser, t.baseUrl, 'lead1', { viewport: DOCS_VIEWPORT });
    await page.goto('/dept?tab=working');
    const row = page.locator(`button[data-row-id="${supervised.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('supervision-flag').textContent()).toContain('1');
    await row.click();
    const block = page.getByTestId('supervisions');
    await block.waitFor();
    await screenshot(page, 'dept-supervision');
    await docsScreenshot(page, 'dept-supervision');
    await block.locator('textarea').fill('已安排两名人员，今日下班前办结');
    await block.getByRole('button', { name: '提交答复' }).click();
    await block.getByText('已答复：已安排两名人员，今日下班前办结').waitFor();
    const list = await t.api.get<ApiPage<SupervisionView>>('/api/v1/supervisions?state=open&pageSize=100', cast.tokens.dispatcher);
    expect(list.body.items.find((s) => s.issueId === supervised.id)?.response?.note).toBe('已安排两名人员，今日下班前办结');
  });
});
