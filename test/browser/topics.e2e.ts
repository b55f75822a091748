import type { Browser } from 'playwright-core';
import type { TopicPage } from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, residentLogin } from '../support/api-client';
import { launchBrowser, screenshot } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * 联名点题 in /r on a phone (390×844, zh-CN): res2 signs in, opens their community's topics (the
 * demo data's), opens one still collecting signatures and co-signs it; the count moves by one,
 * the button turns into "你已联名", and the database holds exactly one co-sign of theirs.
 */
describe('/r co-signed topics', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the community’s topics and co-signs one', async () => {
    const api = await residentLogin(t.api, DEMO_RESIDENT_PHONES.res1);
    const list = (await t.api.get<TopicPage>('/api/v1/topics', api.accessToken)).body.items;
    const open = list.find((i) => i.status === 'open')!;
    expect(open).toBeDefined();

    const context = await browser.newContext({
      baseURL: t.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/r/login');
    await page.locator('input[name="phone"]').fill(DEMO_RESIDENT_PHONES.res2);
    await page.getByTestId('send-code').click();
    const code = /(\d{6})/.exec((await page.getByTestId('dev-code').textContent()) ?? '')?.[1];
    await page.locator('input[name="code"]').fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/r');

    await page.getByTestId('tab-topics').click();
    await page.waitForURL((url) => url.pathname === '/r/topics');
    const card = page.locator(`[data-topic="${open.id}"]`);
    await card.waitFor();
    await screenshot(page, 'r-topics');
    await card.click();
    await page.waitForURL((url) => url.pathname === `/r/topics/${open.id}`);
    await page.getByTestId('cosign').waitFor();
    expect(await page.getByTestId('cosign-count').textContent()).toContain(`${open.cosignCount}/${open.threshold}`);
    await page.getByTestId('cosign').click();
    await page.getByTestId('cosigned').waitFor();
    expect(await page.getByTestId('cosign-count').textContent()).toContain(`${open.cosignCount + 1}/${open.threshold}`);
    await screenshot(page, 'r-topic-cosigned');

    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n FROM topic_cosigns c JOIN residents r ON r.user_id = c.user_id WHERE c.topic_id = $1 AND r.phone = $2`,
      [open.id, DEMO_RESIDENT_PHONES.res2],
    );
    expect(rows[0].n).toBe(1);
    await context.close();
  });
});
