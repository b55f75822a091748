import type { Browser, Page } from 'playwright-core';
import type { IssueDetail, IssueStatus } from '@gridline/shared';
import { launchBrowser, signedInContext } from '../support/browser';
import { issueIn, loadCast, type Cast } from '../support/fixtures';
import { gridCentre } from '../support/geo';
import { realPng } from '../support/images';
import { actionButtons } from '../support/screens';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The screens offer exactly the actions the server allows (`allowedActions`) for each role
 * and status; a refused form shows the server's message and keeps what was typed.
 */
describe('action buttons and form errors', () => {
  jest.setTimeout(120_000); // each test drives several screens
  let t: TestApp;
  let browser: Browser;
  let cast: Cast;
  const issues = new Map<IssueStatus, IssueDetail>();
  const STATUSES: IssueStatus[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'resolved', 'closed'];
  const pages = new Map<string, Page>();

  /** Where each role opens one issue. */
  const urlFor = (user: string, id: number) =>
    user === 'dispatcher' ? `/console?queue=all&id=${id}` : user === 'worker1' ? `/m/issues/${id}` : `/dept?id=${id}`;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    cast = await loadCast(t.api);
    for (const status of STATUSES) issues.set(status, await issueIn(t.api, cast, status));
    for (const user of ['dispatcher', 'lead1', 'staff1', 'worker1']) {
      const mobile = user === 'worker1' ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {};
      pages.set(user, (await signedInContext(browser, t.baseUrl, user, { viewport: { width: 1440, height: 900 }, ...mobile })).page);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(['dispatcher', 'lead1', 'staff1', 'worker1'])('shows %s the allowed actions of every status, and only those', async (user) => {
    const page = pages.get(user)!;
    let shown = 0;
    for (const status of STATUSES) {
      const issue = issues.get(status)!;
      const api = await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, cast.tokens[user]);
      await page.goto(urlFor(user, issue.id));
      if (api.status === 404) {
        await page.getByText('事件不存在，或不在您的职责范围内。').waitFor();
        continue;
      }
      await page.locator('.issue-detail .number', { hasText: issue.number }).waitFor();
      const buttons = await actionButtons(page);
      expect({ status, buttons }).toEqual({ status, buttons: api.body.allowedActions });
      shown += buttons.length;
    }
    expect(shown).toBeGreaterThan(0); // every role here has work somewhere in the lifecycle
  });

  it('accepts and dispatches a selection in bulk, with one result line per issue', async () => {
    const page = pages.get('dispatcher')!;
    const a = await issueIn(t.api, cast, 'reported');
    const b = await issueIn(t.api, cast, 'reported');
    const rejected = await issueIn(t.api, cast, 'reported');
    await page.goto('/console?queue=toAccept');
    for (const issue of [a, b, rejected]) await page.locator(`[data-row-id="${issue.id}"] input[type="checkbox"]`).check();
    // A colleague rejects the third one while the run is on its first: it fails alone, the others go through.
    let colleague: Promise<unknown> | null = null;
    await page.route('**/api/v1/issues/*/actions/accept', async (route) => {
      colleague ??= t.api.post(
        `/api/v1/issues/${rejected.id}/actions/reject`,
        { version: rejected.version, reason: '重复上报' },
        cast.tokens.dispatcher,
      );
      await colleague;
      await route.continue();
    });
    await page.locator('select[name="bulkDepartment"]').selectOption(String(cast.departmentId));
    await page
      .getByTestId('bulk-panel')
      .getByRole('button', { name: /批量受理并派遣/ })
      .click();
    const results = page.getByTestId('bulk-results').locator('li');
    await results.nth(2).waitFor();
    expect(await results.evaluateAll((els) => els.map((e) => e.getAttribute('data-ok')))).toEqual(['true', 'true', 'false']);
    await page.unroute('**/api/v1/issues/*/actions/accept');
    for (const issue of [a, b]) {
      const now = (await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, cast.tokens.dispatcher)).body;
      expect([now.status, now.departmentId]).toEqual(['dispatched', cast.departmentId]);
    }
  });

  it('says in Chinese what is wrong with a bad extension request and keeps the reason typed', async () => {
    const page = pages.get('lead1')!;
    const issue = await issueIn(t.api, cast, 'in_progress');
    await page.goto(`/dept?id=${issue.id}`);
    await page.locator('[data-action="request_extension"]').click();
    const form = page.locator('form.action-form[data-action="request_extension"]');
    await form.locator('textarea[name="reason"]').fill('需要协调大型设备进场');
    await form.locator('button[type="submit"]').click(); // no duration chosen
    const error = form.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toBe('填写的内容不符合要求，请检查：延期时长');
    expect(await form.locator('textarea[name="reason"]').inputValue()).toBe('需要协调大型设备进场');

    await form.locator('select[name="minutes"]').selectOption('240');
    await form.locator('button[type="submit"]').click();
    await form.waitFor({ state: 'detached' });
    const after = (await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, cast.tokens.lead1)).body;
    expect(after.extensionRequests.map((x) => [x.minutes, x.reason, x.status])).toEqual([[240, '需要协调大型设备进场', 'pending']]);
  });

  it('asks before rejecting, says in Chinese that the reason is missing, then rejects', async () => {
    const page = pages.get('dispatcher')!;
    const issue = await issueIn(t.api, cast, 'reported');
    await page.goto(`/console?queue=toAccept&id=${issue.id}`);
    await page.locator('[data-action="reject"]').click();
    const form = page.locator('form.action-form[data-action="reject"]');
    await form.locator('button[type="submit"]').click();
    await form.getByText('此操作会记录在案').waitFor(); // the confirmation step
    await form.locator('button[type="submit"]').click();
    await form.getByText('填写的内容不符合要求，请检查：原因').waitFor();
    expect((await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, cast.tokens.dispatcher)).body.status).toBe('reported');

    await form.locator('textarea[name="reason"]').fill('不属于城市管理受理范围');
    await form.locator('button[type="submit"]').click();
    await form.locator('button[type="submit"]').click();
    await page.locator('.issue-detail [data-status="rejected"]').first().waitFor();
  });

  it('keeps the worker’s report (text and photo) when the server refuses it, then sends it', async () => {
    const centre = await gridCentre(t.api, cast.tokens.worker1!, cast.gridId);
    const { context, page } = await signedInContext(browser, t.baseUrl, 'worker1', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      geolocation: centre,
      permissions: ['geolocation'],
    });
    await page.goto('/m');
    await page.getByTestId('gps-status').getByText('已定位').waitFor();
    const description = `缺少分类的上报 ${Date.now()}`;
    await page.locator('textarea[name="description"]').fill(description);
    await page.locator('input[name="photos"]').setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: realPng(120, 90) });
    await page.locator('.photo-item img').first().waitFor();
    await page.getByRole('button', { name: '提交上报' }).click();
    const error = page.getByTestId('report-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('填写的内容不符合要求，请检查：类别');
    expect(await page.locator('textarea[name="description"]').inputValue()).toBe(description);
    expect(await page.locator('.photo-item img').count()).toBe(1);
    expect(await page.getByTestId('outbox-item').count()).toBe(0); // a refused report does not linger in the queue

    await page.locator('select[name="parentCategory"]').selectOption(String(cast.category.parentId));
    await page.locator('select[name="categoryId"]').selectOption(String(cast.category.id));
    await page.getByRole('button', { name: '提交上报' }).click();
    await page
      .getByTestId('report-result')
      .getByText(/上报成功：GL-/)
      .waitFor();
    const { rows } = await t.sql.query('SELECT id FROM issues WHERE description = $1', [description]);
    expect(rows).toHaveLength(1);

    // The next report of the same category on the same spot shows that one as a likely duplicate.
    await page.locator('select[name="categoryId"]').selectOption(String(cast.category.id));
    await page.locator(`[data-testid="nearby"] a[href="/m/issues/${rows[0].id}"]`).waitFor();
    await context.close();
  });
});
