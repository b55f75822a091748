#!/usr/bin/env node
// Screenshots of the screens of the service pool for the docs, from a running server with the demo
// data (best with `npm run simulate` running for a minute first, so the wall's pool panel has life):
//
//   node scripts/screenshots.mjs [--url http://127.0.0.1:3000] [--out docs/screenshots] [--password demo1234]
//
// The wall with its 点单·派单·接单 panel and with the service-centre layer toggled on, the console's
// 社区派单 queue and topic review queue (1920×1080), and /v on a phone (390×844) as the demo
// volunteer vol1 (signing in with the development code). Debian's Chromium, as the browser tests.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const url = arg('url', 'http://127.0.0.1:3000').replace(/\/$/, '');
const out = resolve(arg('out', 'docs/screenshots'));
const password = arg('password', 'demo1234');
/** vol1 of the demo (server/src/seed/demo-pool.ts): a party member of the demo home community. */
const VOLUNTEER_PHONE = '13800000101';
const WALL = { width: 1920, height: 1080 };

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const shot = async (page, name) => {
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`${name}.png`);
};

async function signedIn(username, viewport) {
  const context = await browser.newContext({ baseURL: url, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname !== '/login');
  return { context, page };
}

try {
  // The wall: every panel drawn, the pool panel with its claims; then the service-centre layer.
  const wall = await signedIn('viewer', WALL);
  await wall.page.goto('/wall');
  await wall.page.locator('[data-panel="pool"] [data-pool-step]').first().waitFor({ timeout: 30_000 });
  await wall.page.waitForTimeout(2_500); // the numbers roll, the charts animate in
  await shot(wall.page, 'wall-pool-panel');
  await wall.page.getByTestId('service-layer-toggle').click();
  await wall.page.getByTestId('service-coverage').waitFor();
  await wall.page.waitForTimeout(1_500);
  await shot(wall.page, 'wall-service-layer');
  await wall.context.close();

  // The console's queues, as the district dispatcher.
  const desk = await signedIn('dispatcher', WALL);
  await desk.page.goto('/console/pool');
  await desk.page.getByTestId('pool-queue').waitFor();
  await desk.page.waitForTimeout(1_000);
  await shot(desk.page, 'console-pool-queue');
  await desk.page.goto('/console/topics');
  await desk.page.getByTestId('topic-queue').waitFor();
  await desk.page.waitForTimeout(1_000);
  await shot(desk.page, 'console-topic-review');
  await desk.context.close();

  // /v on a phone: sign in with the number and the development code.
  const context = await browser.newContext({
    baseURL: url,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const phone = await context.newPage();
  await phone.goto('/v');
  await phone.waitForURL(/\/r\/login/);
  await phone.locator('input[name="phone"]').fill(VOLUNTEER_PHONE);
  await phone.getByTestId('send-code').click();
  const code = /(\d{6})/.exec((await phone.getByTestId('dev-code').textContent()) ?? '')?.[1];
  if (!code) throw new Error('no development code shown: is the server in development mode?');
  await phone.locator('input[name="code"]').fill(code);
  await phone.getByRole('button', { name: '登录', exact: true }).click();
  await phone.waitForURL((u) => u.pathname === '/v');
  await phone.locator('[data-item]').first().waitFor();
  await phone.waitForTimeout(1_000);
  await shot(phone, 'volunteer-app');
  await context.close();
} finally {
  await browser.close();
}
