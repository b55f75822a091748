import type { Browser, Page } from 'playwright-core';
import type { IssueDetail, RegionView } from '@gridline/shared';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { issueIn, loadCast, report, type Cast } from '../support/fixtures';
import { actInPanel } from '../support/screens';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The everyday moves on the screens (ADR 0041), buttons from `allowedActions`: a lead asks for a
 * hold in /dept and a second ask is refused in Chinese (ADR 0040); the dispatcher sees the request
 * in its console queue and approves it; the lead re-assigns; a street centre passes an issue up and
 * the district centre finds it in its queue.
 */
describe('everyday workflow moves on the screens', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let cast: Cast;
  const pages = new Map<string, Page>();
  const page = (user: string) => pages.get(user)!;
  const current = async (id: number, user = 'dispatcher') => (await t.api.get<IssueDetail>(`/api/v1/issues/${id}`, cast.tokens[user])).body;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    cast = await loadCast(t.api);
    for (const user of ['dispatcher', 'dispatcher_s1', 'lead1']) {
      pages.set(user, (await signedInContext(browser, t.baseUrl, user, { viewport: { width: 1440, height: 900 } })).page);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Opens the action's form, fills it, and submits (twice for a move that asks "are you sure?"). */
  async function act(p: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<unknown>, confirm = false) {
    await p.locator(`[data-testid="action-buttons"] [data-action="${action}"]`).click();
    const form = p.locator(`form.action-form[data-action="${action}"]`);
    await fill(form);
    await form.locator('button[type="submit"]').click();
    if (confirm) {
      await form.getByText('此操作会记录在案').waitFor();
      await form.locator('button[type="submit"]').click();
    }
    return form;
  }

  it('asks for a hold; a second ask is refused in Chinese; the dispatcher approves it from its queue', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    const lead = page('lead1');
    await lead.goto(`/dept?id=${issue.id}`);
    await lead.locator('.issue-detail .number', { hasText: issue.number }).waitFor();
    let form = await act(lead, 'request_hold', (f) => f.locator('textarea[name="reason"]').fill('等待燃气管线迁改完成'));
    await form.waitFor({ state: 'detached' });
    const block = lead.getByTestId('hold-request');
    await block.getByText('等待燃气管线迁改完成').waitFor();
    await block.getByText('等待指挥中心审批').waitFor();

    // The same ask again: the server's HOLD_ALREADY_PENDING, in the reader's language, the typed reason kept.
    form = await act(lead, 'request_hold', (f) => f.locator('textarea[name="reason"]').fill('再次申请挂账'));
    const refusal = form.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('已有一个挂账申请在等待审批。');
    expect(await form.locator('textarea[name="reason"]').inputValue()).toBe('再次申请挂账');
    await screenshot(lead, 'refusal-in-chinese');

    const dispatcher = page('dispatcher');
    await dispatcher.goto('/console?queue=holdRequests');
    await dispatcher.locator(`[data-row-id="${issue.id}"]`).click();
    const pending = dispatcher.getByTestId('hold-request');
    await pending.getByText('等待燃气管线迁改完成').waitFor();
    await screenshot(dispatcher, 'console-hold-request');
    await pending.locator('[data-hold-decision="suspend"]').click();
    const suspend = dispatcher.locator('form.action-form[data-action="suspend"]');
    await suspend.locator('textarea[name="reason"]').fill('同意挂账，待迁改完成后恢复');
    await suspend.locator('button[type="submit"]').click();
    await suspend.getByText('此操作会记录在案').waitFor();
    await suspend.locator('button[type="submit"]').click();
    await dispatcher.locator('.issue-detail [data-status="suspended"]').first().waitFor();
    expect((await current(issue.id)).pendingHoldRequest).toBeNull();
  });

  it('re-assigns the task to another member of the department', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    const lead = page('lead1');
    await lead.goto(`/dept?id=${issue.id}`);
    await lead.locator('.issue-detail .number', { hasText: issue.number }).waitFor();
    await actInPanel(lead, 'assign', async (form) => {
      const select = form.locator('select[name="assigneeId"]');
      await select.locator(`option[value="${cast.users.lead1!.id}"]`).waitFor({ state: 'attached' });
      await select.selectOption(String(cast.users.lead1!.id));
    });
    expect((await current(issue.id, 'lead1')).assigneeId).toBe(cast.users.lead1!.id);
  });

  it('passes an issue up from the street centre; the district centre finds it in its queue', async () => {
    const issue = await report(t.api, cast);
    const regions = (await t.api.get<RegionView[]>('/api/v1/regions', cast.tokens.admin)).body;
    const street = regions.find((r) => r.id === cast.users.dispatcher_s1!.regionId)!;
    const district = regions.find((r) => r.id === street.parentId)!;

    const s1 = page('dispatcher_s1');
    await s1.goto(`/console?queue=toAccept&id=${issue.id}`);
    await s1.locator('.issue-detail .number', { hasText: issue.number }).waitFor();
    await act(s1, 'escalate', (f) => f.locator('textarea[name="reason"]').fill('涉及两个街道，需区级协调'), true);
    await s1.getByTestId('escalated-to').getByText(district.name).waitFor();
    await s1.locator('.action-panel .muted').waitFor(); // nothing left to do here
    expect((await current(issue.id)).escalatedToRegionId).toBe(district.id);

    const dispatcher = page('dispatcher');
    await dispatcher.goto('/console?queue=escalated');
    await dispatcher.locator(`[data-row-id="${issue.id}"]`).click();
    await dispatcher.locator('[data-testid="action-buttons"] [data-action="accept"]').waitFor();
    await screenshot(dispatcher, 'console-escalated');
  });
});
