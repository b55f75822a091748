import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { open311 } from '../support/open311';
import { startTestApp, type TestApp } from '../support/test-app';

/** /admin → Open311: a key is created and shown once, listed by its prefix, works, and is revoked. */
describe('Open311 keys page', () => {
  jest.setTimeout(120_000);
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

  it('creates, shows once, lists by prefix and revokes a key', async () => {
    const { page } = await signedInContext(browser, t.baseUrl, 'admin', { viewport: { width: 1440, height: 900 } });
    await page.goto('/admin/open311');
    const table = page.locator('[data-test="open311-keys"]');
    await table.locator('tbody tr', { hasText: 'demo-open3' }).waitFor();

    await page.locator('#open311-key-name').fill('12345 热线平台');
    await page.getByRole('button', { name: /新建/ }).click();
    const shown = page.locator('[data-test="open311-new-key"] .mono');
    await shown.waitFor();
    const key = (await shown.textContent())!.trim();
    expect(key).toMatch(/^gl311_[A-Za-z0-9_-]{32}$/);
    const row = table.locator('tbody tr', { hasText: '12345 热线平台' });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${key.slice(0, 10)}…`);
    expect(await table.textContent()).not.toContain(key);
    await screenshot(page, 'admin-open311-keys');

    expect((await open311(t.baseUrl, 'GET', `services.json?api_key=${key}`)).status).toBe(200);
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: '吊销' }).click();
    await row.getByText('已吊销').waitFor();
    expect((await open311(t.baseUrl, 'GET', `services.json?api_key=${key}`)).status).toBe(403);
  });
});
