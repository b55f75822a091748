import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

/** The browser harness itself: the built dashboard is served by the server and a real login works. */
describe('dashboard in Chromium', () => {
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

  it('signs a viewer in through the form and shows the wall among their work areas', async () => {
    const { context, page } = await signedInContext(browser, t.baseUrl, 'viewer');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expect(page.locator('a[href="/wall"]').count()).resolves.toBe(1);
    await expect(page.locator('a[href="/console"]').count()).resolves.toBe(0);
    await screenshot(page, 'home-viewer');
    await context.close();
  });

  it('refuses a wrong password with the server message and stays on the login page', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.locator('input[autocomplete="username"]').fill('viewer');
    await page.locator('input[autocomplete="current-password"]').fill('wrong-password');
    await page.locator('form button[type="submit"]').click();
    await page.getByText('用户名或密码错误').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });
});
