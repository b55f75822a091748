import type { Browser } from 'playwright-core';
import { launchBrowser, signedInContext } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A total past LIST_TOTAL_CAP on screen: the console says "at least" (3+) where the server stopped
 * counting, and the exact number where it did not.
 */
describe('list totals past the cap, in the console', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ LIST_TOTAL_CAP: '3' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows 3+ for a queue of more than 3 issues, in its heading and on its badge, and an exact count under the cap', async () => {
    const count = async (where: string) => (await t.sql.query(`SELECT count(*)::int AS n FROM issues WHERE ${where}`)).rows[0].n as number;
    expect(await count(`status = 'reported'`)).toBeGreaterThan(3); // the demo district's 待受理
    const holds = await count(`EXISTS (SELECT 1 FROM hold_requests h WHERE h.issue_id = issues.id AND h.status = 'pending')`);
    expect(holds).toBeLessThanOrEqual(3); // 挂账申请 waiting: none or a few in the demo

    const { context, page } = await signedInContext(browser, t.baseUrl, 'dispatcher', { viewport: { width: 1440, height: 900 } });
    await page.goto('/console?queue=toAccept');
    await page.getByText('共 3+ 件').waitFor();
    const badge = (queue: string) => page.locator(`[data-queue="${queue}"] [data-testid="queue-count"]`);
    await badge('toAccept').filter({ hasText: /^\d/ }).waitFor(); // the counts have come
    await badge('holdRequests').filter({ hasText: /^\d/ }).waitFor();
    expect(await badge('toAccept').textContent()).toBe('3+');
    expect(await badge('holdRequests').textContent()).toBe(String(holds));
    await context.close();
  });
});
