import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/database/prepare-database';

/** Debian's Chromium (installed by scripts/ensure-test-tools.mjs before the tests); never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** Screenshots and other evidence of a run; gitignored, kept for the person reading a CI log. */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts');

/**
 * Endless CSS animations (the pulsing "live" dot of the console and the department inbox, the
 * wall's connection badge, the login spinner) play once instead of forever. Without a GPU every
 * frame of them is composited in software: one open console page kept half a core busy, taken
 * from the server and the test under way. No test looks at them; every other animation and
 * transition runs as a person sees it.
 */
const ENDLESS_ANIMATIONS_PLAY_ONCE = `document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { animation-iteration-count: 1 !important; }';
  document.head.appendChild(style);
});`;

/** Chromium for one test file; every context it opens (browser.newContext or newPage) gets ENDLESS_ANIMATIONS_PLAY_ONCE. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(ENDLESS_ANIMATIONS_PLAY_ONCE);
    return context;
  };
  return browser;
}

/**
 * The screenshots the docs show (committed): 1920×1080 pages, saved by the browser tests that
 * reach them — into docs/screenshots/ when DOCS_SCREENSHOTS=1 (to refresh the committed ones),
 * otherwise beside the other artifacts, so a test run leaves the working tree as it was.
 */
export const DOCS_SCREENSHOTS_DIR =
  process.env.DOCS_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : join(ARTIFACTS_DIR, 'docs-screenshots');
export const DOCS_VIEWPORT = { width: 1920, height: 1080 };

/** Saves the page as <DOCS_SCREENSHOTS_DIR>/<name>.png (the viewport: open the page at DOCS_VIEWPORT). */
export async function docsScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(DOCS_SCREENSHOTS_DIR, { recursive: true });
  const path = join(DOCS_SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * A browser context already signed in as `username`, through the real login form: the session
 * lands in localStorage exactly as it does for a person.
 */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  username: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
  return { context, page };
}
