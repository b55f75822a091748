import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PoolWallSummary } from '@gridline/shared';
import { demoRegions } from '../support/checks';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { loadCast, type Cast } from '../support/fixtures';
import { communityId, HOME_COMMUNITY_CODE, makeVolunteers, openItem, otherCommunityId } from '../support/pool';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitForRegion } from './wall-page';

/**
 * The wall's 点单 · 派单 · 接单 panel in Chromium (1920×1080): it shows the figures of
 * GET /pool/summary, and a claim made through the API appears in its list and counters live,
 * without a reload; a claim in another street does not.
 */
let t: TestApp;
let browser: Browser;
let cast: Cast;
let context: BrowserContext;
let page: Page;
let s1: number;

const STEPS = ['raised', 'published', 'claimed', 'done', 'confirmed'] as const;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  cast = await loadCast(t.api);
  ({ s1 } = await demoRegions(t));
});
afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

async function summary(regionId: number): Promise<PoolWallSummary> {
  const res = await t.api.get<PoolWallSummary>(`/api/v1/pool/summary?regionId=${regionId}`, cast.tokens.viewer);
  expect(res.status).toBe(200);
  return res.body;
}

/** What a person reads off the panel: each step's today and total, the hours, the claims listed. */
function readPanel(p: Page) {
  return p.evaluate(`(() => {
    const panel = document.querySelector('[data-panel="pool"]');
    const num = (el) => Number((el ? el.textContent : '').replace(/[^\\d]/g, '') || NaN);
    const steps = {};
    for (const el of panel.querySelectorAll('[data-pool-step]')) {
      steps[el.dataset.poolStep] = { today: num(el.querySelector('[data-pool-today]')), total: num(el.querySelector('[data-pool-total]')) };
    }
    return {
      steps,
      hoursToday: panel.querySelector('[data-pool-hours-today]').textContent.trim(),
      hoursTotal: panel.querySelector('[data-pool-hours-total]').textContent.trim(),
      claims: Array.from(panel.querySelectorAll('[data-claim]')).map((el) => ({
        claimId: Number(el.dataset.claim),
        text: el.textContent.replace(/\\s+/g, ' ').trim(),
      })),
    };
  })()`) as Promise<{
    steps: Record<string, { today: number; total: number }>;
    hoursToday: string;
    hoursTotal: string;
    claims: { claimId: number; text: string }[];
  }>;
}

/** Waits until the panel's figures (after their roll) are those of `expected`. */
async function waitForFigures(expected: PoolWallSummary): Promise<void> {
  const want = Object.fromEntries(STEPS.map((s) => [s, { today: expected.today[s], total: expected.total[s] }]));
  try {
    // An expression, as the test project has no DOM types (evaluated in the page).
    await page.waitForFunction(
      `(() => {
        const panel = document.querySelector('[data-panel="pool"]');
        if (!panel) return false;
        const num = (x) => Number(((x && x.textContent) || '').replace(/[^\\d]/g, '') || NaN);
        return Object.entries(${JSON.stringify(want)}).every(([step, v]) => {
          const el = panel.querySelector('[data-pool-step="' + step + '"]');
          return el && num(el.querySelector('[data-pool-today]')) === v.today && num(el.querySelector('[data-pool-total]')) === v.total;
        });
      })()`,
      undefined,
      { timeout: 20_000 },
    );
  } catch (err) {
    throw new Error(`The panel never showed ${JSON.stringify(want)}; it shows ${JSON.stringify(await readPanel(page))}\n${String(err)}`);
  }
}

async function claimIn(community: number, staff: string, title: string): Promise<number> {
  const [vol] = await makeVolunteers(t, 1, community);
  const item = await openItem(t, staff, { communityId: community, title, kind: 'wish' });
  const res = await t.api.post<{ claim: { id: number } }>(`/api/v1/pool/${item.id}/claim`, {}, vol!.token);
  expect(res.status).toBe(201);
  return res.body.claim.id;
}

describe('the wall pool panel', () => {
  it('shows the figures and claims of GET /pool/summary', async () => {
    ({ context, page } = await signedInContext(browser, t.baseUrl, 'viewer', { viewport: { width: 1920, height: 1080 } }));
    await page.goto(`/wall?region=${s1}`);
    await waitForRegion(page, s1);
    const expected = await summary(s1);
    await waitForFigures(expected);
    const shown = await readPanel(page);
    expect(shown.hoursToday).toContain(String(Math.round(expected.hoursToday * 10) / 10));
    expect(shown.hoursTotal).toContain(String(Math.round(expected.hoursTotal * 10) / 10));
    expect(shown.claims.map((c) => c.claimId)).toEqual(expected.latestClaims.slice(0, shown.claims.length).map((c) => c.claimId));
    expect(shown.claims.length).toBeGreaterThan(0);
  });

  it('shows a new claim live, in the list and the counters; not one of another street', async () => {
    const before = await summary(s1);
    const elsewhere = await claimIn(await otherCommunityId(t), cast.tokens.admin!, '大屏浏览器：别的街道');
    const claimId = await claimIn(await communityId(t, HOME_COMMUNITY_CODE), cast.tokens.dispatcher_s1!, '大屏浏览器：刚接的一单');

    const row = page.locator(`[data-panel="pool"] [data-claim="${claimId}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toContain('大屏浏览器：刚接的一单');
    const after = await summary(s1);
    expect(after.today.claimed).toBe(before.today.claimed + 1);
    expect(after.today.published).toBe(before.today.published + 1);
    await waitForFigures(after);
    const shown = await readPanel(page);
    expect(shown.claims[0]!.claimId).toBe(claimId);
    expect(shown.claims.map((c) => c.claimId)).not.toContain(elsewhere);
    await screenshot(page, 'wall-pool-panel');
  });
});
