import type { Browser, Page } from 'playwright-core';
import { DEMO_VOLUNTEER_PHONES } from '../support/api-client';
import { launchBrowser, screenshot } from '../support/browser';
import { loadCast, type Cast } from '../support/fixtures';
import { realPng } from '../support/images';
import { communityId, HOME_COMMUNITY_CODE, openItem } from '../support/pool';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * /v on a phone (390×844, zh-CN): a demo volunteer signs in with their number, claims a fresh
 * 微心愿 and is told at once that they won; a second volunteer on another phone is told at once
 * that it is full and can join the wait list; the winner finishes it with a note and a photo and
 * sees their hours page. Screenshots of each step go to test-artifacts/.
 */
describe('/v volunteer app', () => {
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

  async function phone(number: string): Promise<Page> {
    const context = await browser.newContext({
      baseURL: t.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    // /v sends a signed-out volunteer to the phone sign-in, and back to /v after it.
    await page.goto('/v');
    await page.waitForURL(/\/r\/login/);
    await page.locator('input[name="phone"]').fill(number);
    await page.getByTestId('send-code').click();
    const code = /(\d{6})/.exec((await page.getByTestId('dev-code').textContent()) ?? '')?.[1];
    await page.locator('input[name="code"]').fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/v');
    return page;
  }

  it('claims with instant feedback (won / full → wait list), completes with a photo and shows the hours', async () => {
    const home = await communityId(t, HOME_COMMUNITY_CODE);
    const item = await openItem(t, cast.tokens.dispatcher_s1!, {
      kind: 'wish',
      communityId: home,
      title: '想要一副老花镜（浏览器测试）',
      description: '看报纸看不清',
      quota: 1,
    });
    const first = await phone(DEMO_VOLUNTEER_PHONES.vol2);
    const second = await phone(DEMO_VOLUNTEER_PHONES.vol4);
    const card = (page: Page) => page.locator(`[data-item="${item.id}"]`);
    // The answer shows on the card at once: won, or full (then the wait list).
    const feedback = (page: Page, text: RegExp) => card(page).getByTestId('claim-feedback').filter({ hasText: text }).waitFor();
    await card(first).waitFor();
    await card(second).waitFor();
    await screenshot(first, 'v-pool');

    await card(first).getByTestId('claim').click();
    await feedback(first, /抢单成功/);
    await screenshot(first, 'v-claim-won');
    await card(second).getByTestId('claim').click();
    await feedback(second, /名额已满/);
    await card(second).getByTestId('waitlist').click();
    await feedback(second, /候补（第 1 位）/);
    await screenshot(second, 'v-claim-full-waitlisted');

    // My tasks: finish it with a note and a photo.
    await first.getByRole('link', { name: '我的任务' }).click();
    await first.waitForURL(/\/v\/tasks/);
    await card(first).getByTestId('complete').click();
    await card(first).locator('textarea[name="note"]').fill('已送到，老人试戴合适');
    await card(first)
      .locator('input[name="photos"]')
      .setInputFiles({ name: 'done.png', mimeType: 'image/png', buffer: realPng(200, 150) });
    await card(first).locator('.photo-item img').first().waitFor();
    await card(first).getByTestId('submit-complete').click();
    await card(first).locator('[data-claim="done"]').waitFor();
    await screenshot(first, 'v-task-done');
    const { rows } = await t.sql.query(
      `SELECT c.status, c.note, (SELECT count(*)::int FROM pool_photos ph WHERE ph.claim_id = c.id) AS photos
         FROM pool_claims c WHERE c.item_id = $1 AND c.status = 'done'`,
      [item.id],
    );
    expect(rows).toEqual([{ status: 'done', note: '已送到，老人试戴合适', photos: 1 }]);

    await first.getByRole('link', { name: '公益时' }).click();
    await first.getByTestId('my-hours').waitFor();
    await first.getByTestId('ranking').locator('li').first().waitFor();
    await screenshot(first, 'v-hours');
  });
});
