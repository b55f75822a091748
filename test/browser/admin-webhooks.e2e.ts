import type { Browser, Page } from 'playwright-core';
import { WebhookDeliveries } from '../../server/src/webhooks/webhook-deliveries.service';
import { verifyWebhook } from '../../server/src/webhooks/webhook-signature';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

/** The 接口推送 page in Chromium: create with the secret shown once, a refusal by its field, a test ping in the delivery log. */
describe('admin webhooks page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    t = await startTestApp();
    await receiver.start();
    browser = await launchBrowser();
    ({ page } = await signedInContext(browser, t.baseUrl, 'admin', { viewport: { width: 1440, height: 900 } }));
  });
  afterAll(async () => {
    await browser?.close();
    await receiver.close();
    await t?.close();
  });

  it('creates a subscription, shows its secret once, sends a signed test and lists the delivery', async () => {
    await page.goto('/admin/webhooks');
    await page.getByRole('heading', { level: 1, name: '接口推送' }).waitFor();
    await page.locator('#wh-new-name').fill('浏览器测试推送');
    await page.locator('#wh-new-url').fill('ftp://example.org/hook');
    await page.getByLabel('全部 issue.*').first().check();
    await page.getByRole('button', { name: /新建/ }).click();
    const urlError = page.locator('#wh-new-url-error');
    await urlError.waitFor();
    expect(await urlError.textContent()).toContain('推送地址无效（须为 http(s) 地址）');
    expect(await page.locator('#wh-new-name').inputValue()).toBe('浏览器测试推送');
    expect((await t.sql.query('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0].n).toBe(0);

    await page.locator('#wh-new-url').fill(receiver.url);
    await page.getByRole('button', { name: /新建/ }).click();
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    const shown = (await secret.textContent())!.trim();
    expect(shown).toMatch(/^whsec_/);
    const { rows } = await t.sql.query(`SELECT id, secret, events FROM webhook_subscriptions WHERE name = '浏览器测试推送'`);
    expect(rows).toEqual([{ id: expect.any(Number), secret: shown, events: ['issue.*'] }]);
    await screenshot(page, 'admin-webhook-secret');

    await page.getByRole('button', { name: '发送测试' }).click();
    await t.app.get(WebhookDeliveries).drain();
    await receiver.waitFor(1);
    const w = receiver.received[0]!;
    expect(verifyWebhook(shown, w.id, w.timestamp, w.body, w.signature)).toBe(true);
    await page.getByRole('button', { name: '刷新' }).click();
    await page.locator('tr', { hasText: 'webhook.ping' }).locator('.status-badge', { hasText: '成功' }).waitFor();
    await screenshot(page, 'admin-webhooks');

    // closing the secret panel: it is gone for good
    await page.getByRole('button', { name: '关闭' }).click();
    await page.reload();
    await page.locator('tr', { hasText: '浏览器测试推送' }).first().waitFor();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(shown);
  });
});
