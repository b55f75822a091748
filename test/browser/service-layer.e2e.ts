import type { Browser } from 'playwright-core';
import type { ServiceCoverage } from '@gridline/shared';
import { demoRegions } from '../support/checks';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { loadCast, type Cast } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitForRegion } from './wall-page';

/**
 * The wall's service-centre layer (1920×1080): toggled from the map, it shows the coverage of
 * the subscribed region's grids and its blank spots — the figures of the coverage API — and
 * goes away when toggled off.
 */
describe('/wall service-centre layer', () => {
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

  it('toggles the circles with the coverage and blank spots of the region', async () => {
    const { districtId } = await demoRegions(t);
    const expected = (await t.api.get<ServiceCoverage>(`/api/v1/service-centers/coverage?regionId=${districtId}`, cast.tokens.viewer)).body;
    expect(expected.grids).toBeGreaterThan(0);
    expect(expected.uncovered.length).toBeGreaterThan(0);

    const { context, page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: { width: 1920, height: 1080 } });
    await page.goto(`/wall?region=${districtId}`);
    await waitForRegion(page, districtId);
    const toggle = page.getByTestId('service-layer-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    const badge = page.getByTestId('service-coverage');
    await badge.waitFor();
    const text = (await badge.textContent()) ?? '';
    const percent = `${Math.round(expected.coverage! * 1000) / 10}%`;
    expect(text).toContain(percent);
    expect(text).toContain(`空白网格 ${expected.uncovered.length} 个`);
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'wall-service-layer');

    await toggle.click();
    await badge.waitFor({ state: 'detached' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await context.close();
  });
});
