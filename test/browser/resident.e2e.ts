import type { Browser, Page } from 'playwright-core';
import type { IssueDetail, ResidentCategoryView } from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, fakeJpeg } from '../support/api-client';
import { launchBrowser, screenshot } from '../support/browser';
import { act, loadCast, type Cast } from '../support/fixtures';
import { gridCentre } from '../support/geo';
import { realPng } from '../support/images';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * /r on a phone (390×844, zh-CN): a resident signs in with their number and the code the
 * development sender shows, reports with a category picture, a photo and their location,
 * follows it to the close in plain language, and evaluates with the closing photo beside the
 * original. Screenshots of each step go to test-artifacts/.
 */
describe('/r resident app', () => {
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

  /** /r sends a signed-out resident to the phone sign-in (not the staff login); the development sender shows the code. */
  async function signIn(page: Page, phone: string, shot?: string): Promise<void> {
    await page.goto('/r');
    await page.waitForURL(/\/r\/login/);
    await page.locator('input[name="phone"]').fill(phone);
    await page.getByTestId('send-code').click();
    const hint = await page.getByTestId('dev-code').textContent();
    const code = /(\d{6})/.exec(hint ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await page.locator('input[name="code"]').fill(code!);
    if (shot) await screenshot(page, shot);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/r');
  }

  it("without GPS, reports a point tapped on the chosen grid's map", async () => {
    const context = await browser.newContext({
      baseURL: t.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await signIn(page, '13912345678'); // a first-time resident: the code signs them up
    const categories = (await t.api.get<ResidentCategoryView[]>('/api/v1/resident/categories', cast.tokens.res1)).body;
    await page.getByTestId(`category-${categories[0]!.id}`).click();
    const description = `地图选点 ${Date.now()}`;
    await page.locator('textarea[name="description"]').fill(description);
    await page.locator('select[name="gridId"]').selectOption(String(cast.gridId));
    const map = page.getByTestId('grid-map');
    await map.waitFor();
    await expect(page.getByTestId('map-state').textContent()).resolves.toContain('在地图上点一下');
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect(page.getByTestId('map-state').textContent()).resolves.toContain('已在地图上选定');
    await screenshot(page, 'r-report-map-point');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page
      .getByTestId('report-result')
      .getByText(/GL-\d{8}-\d+/)
      .waitFor();
    // The tapped point is the issue's location, and it lies in the chosen grid.
    const { rows } = await t.sql.query<{ gridId: number; lat: number; lng: number }>(
      'SELECT grid_id AS "gridId", lat, lng FROM issues WHERE description = $1',
      [description],
    );
    expect(rows).toEqual([{ gridId: cast.gridId, lat: expect.any(Number), lng: expect.any(Number) }]);
    await context.close();
  });

  it('signs in by phone, reports, follows the plain timeline and evaluates', async () => {
    const centre = await gridCentre(t.api, cast.tokens.admin!, cast.gridId);
    const context = await browser.newContext({
      baseURL: t.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      geolocation: centre,
      permissions: ['geolocation'],
    });
    const page = await context.newPage();

    await signIn(page, DEMO_RESIDENT_PHONES.res2, 'r-sign-in');

    // Report: a category picture, a description, a photo, the phone's location.
    const categories = (await t.api.get<ResidentCategoryView[]>('/api/v1/resident/categories', cast.tokens.res1)).body;
    const all = (
      await t.api.get<{ id: number; photoRequiredOnResolve: boolean; defaultDepartmentId: number }[]>(
        '/api/v1/categories',
        cast.tokens.admin,
      )
    ).body;
    const category = categories.find((c) => all.find((a) => a.id === c.id)?.defaultDepartmentId === cast.departmentId)!;
    await page.getByTestId(`category-${category.id}`).click();
    const description = `楼下${category.name}，好几天了 ${Date.now()}`;
    await page.locator('textarea[name="description"]').fill(description);
    await page.locator('input[name="photos"]').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: realPng(320, 240) });
    await page.locator('.photo-item img').first().waitFor();
    await page.getByTestId('use-gps').click();
    await page.getByTestId('gps-state').waitFor();
    await page.locator('input[name="address"]').fill('幸福路12号门口');
    await screenshot(page, 'r-report');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    const sent = await page.getByTestId('report-result').textContent();
    const number = /GL-\d{8}-\d+/.exec(sent ?? '')?.[0];
    expect(number).toBeDefined();
    const { rows } = await t.sql.query(
      `SELECT i.id, i.source, r.phone FROM issues i JOIN residents r ON r.id = i.resident_id WHERE i.number = $1`,
      [number],
    );
    expect(rows[0]).toMatchObject({ source: 'resident', phone: DEMO_RESIDENT_PHONES.res2 });

    // Staff work it to the close through the API.
    let issue = (await t.api.get<IssueDetail>(`/api/v1/issues/${rows[0].id}`, cast.tokens.dispatcher)).body as {
      id: number;
      version: number;
    };
    issue = await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
    issue = await act(t.api, cast.tokens.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
    issue = await act(t.api, cast.tokens.lead1!, issue, 'sign');
    issue = await act(t.api, cast.tokens.lead1!, issue, 'resolve', { note: '已清理完毕' }, [fakeJpeg()]);
    await act(t.api, cast.tokens.dispatcher!, issue, 'verify');

    // My reports: the plain step, the department.
    await page.getByRole('link', { name: '我的诉求' }).click();
    const card = page.getByTestId('my-reports').locator('li', { hasText: number! });
    await card.getByText('已办结').waitFor();
    await screenshot(page, 'r-my-reports');

    // The detail: the plain timeline, the two photos side by side, the evaluation.
    await card.click();
    const timeline = page.getByTestId('timeline');
    for (const step of ['已提交', '已受理', '已派遣至', '处理中', '已处理', '已办结']) await timeline.getByText(step).first().waitFor();
    await page.getByTestId('photos').locator('figure').nth(1).waitFor();
    await page.getByRole('radio', { name: '满意', exact: true }).click();
    await page.locator('textarea[name="comment"]').fill('处理得很快，谢谢');
    await screenshot(page, 'r-evaluation');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByTestId('evaluation').getByText('您的评价：满意').waitFor();
    const evaluation = await t.sql.query('SELECT score, comment FROM evaluations WHERE issue_id = $1', [rows[0].id]);
    expect(evaluation.rows).toEqual([{ score: 5, comment: '处理得很快，谢谢' }]);
    await context.close();
  });
});
