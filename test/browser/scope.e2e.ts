import type { Browser, Response } from 'playwright-core';
import { launchBrowser, signedInContext } from '../support/browser';
import { issueIn, loadCast, type Cast } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Scope in the browser: the lead of another department sees nothing of a task — not in any
 * tab of their inbox, not by URL, not in any response their browser receives.
 */
describe('/dept scope', () => {
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

  it("shows lead2 nothing of a task dispatched to lead1's department", async () => {
    const secret = `只给城管看的任务 ${Date.now()}`;
    const task = await issueIn(t.api, cast, 'dispatched');
    await t.sql.query('UPDATE issues SET description = $1 WHERE id = $2', [secret, task.id]);

    const { context, page } = await signedInContext(browser, t.baseUrl, 'lead2', { viewport: { width: 1440, height: 900 } });
    const bodies: Promise<string>[] = [];
    page.on('response', (res: Response) => {
      if (res.url().includes('/api/')) bodies.push(res.text().catch(() => ''));
    });

    for (const tab of ['toSign', 'working', 'suspended', 'mine', 'done']) {
      await page.goto(`/dept?tab=${tab}`);
      await page.locator('[role="tab"][aria-selected="true"]').waitFor();
      await page.locator('.inbox[aria-busy="false"]').waitFor();
      expect(await page.locator(`[data-row-id="${task.id}"]`).count()).toBe(0);
      expect(await page.getByText(task.number).count()).toBe(0);
    }

    await page.goto(`/dept?id=${task.id}`);
    await page.getByText('事件不存在，或不在您的职责范围内。').waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
    expect(await page.locator('[data-testid="action-buttons"]').count()).toBe(0);

    await page.waitForLoadState('networkidle');
    const received = await Promise.all(bodies);
    expect(received.length).toBeGreaterThan(5);
    expect(received.some((b) => b.includes(secret) || b.includes(task.number))).toBe(false);

    // The same URL shows lead1 the task, so the page above was refused for scope, not broken.
    const lead1 = await signedInContext(browser, t.baseUrl, 'lead1', { viewport: { width: 1440, height: 900 } });
    await lead1.page.goto(`/dept?id=${task.id}`);
    await lead1.page.getByText(secret).waitFor();
    await lead1.context.close();
    await context.close();
  });
});
