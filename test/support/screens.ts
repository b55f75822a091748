import type { Page } from 'playwright-core';
import type { Cast } from './fixtures';
import { realPng } from './images';

/** Waits until `check` holds (polling), for conditions outside the page such as rows in the database. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Fills the /m report form as a worker would: category, description, one camera photo; GPS does the location. */
export async function fillReport(page: Page, cast: Cast, description: string): Promise<void> {
  await page.getByTestId('gps-status').getByText('已定位').waitFor();
  await page.locator('select[name="parentCategory"]').selectOption(String(cast.category.parentId));
  await page.locator('select[name="categoryId"]').selectOption(String(cast.category.id));
  await page.locator('textarea[name="description"]').fill(description);
  await page.locator('input[name="photos"]').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: realPng(320, 240) });
  await page.locator('.photo-item img').first().waitFor();
}

/** Takes a workflow action through the issue panel: its button, its form, its submit; waits for the confirmation. */
export async function actInPanel(
  page: Page,
  action: string,
  fill: (form: ReturnType<Page['locator']>) => Promise<unknown> = async () => undefined,
): Promise<void> {
  await page.locator(`[data-testid="action-buttons"] [data-action="${action}"]`).click();
  const form = page.locator(`form.action-form[data-action="${action}"]`);
  await form.waitFor();
  await fill(form);
  await form.locator('button[type="submit"]').click();
  await form.waitFor({ state: 'detached' });
}

/** The action buttons the panel shows now, in order. */
export async function actionButtons(page: Page): Promise<string[]> {
  const panel = page.locator('[data-testid="action-buttons"], .action-panel .muted').first();
  await panel.waitFor();
  return page
    .locator('[data-testid="action-buttons"] [data-action]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? ''));
}
