import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, signedInContext } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

/** The admin console in Chromium: real forms against the real API, the server's messages shown where they belong. */
describe('admin console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    ({ page } = await signedInContext(browser, t.baseUrl, 'admin', { viewport: { width: 1440, height: 900 } }));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates a category; a taken code shows the server message by the field and keeps what was typed', async () => {
    const taken = (await t.sql.query(`SELECT code FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`)).rows[0].code;
    const parent = (await t.sql.query(`SELECT id FROM categories WHERE parent_id IS NULL ORDER BY id LIMIT 1`)).rows[0].id;
    await page.goto('/admin/categories');
    await page.getByRole('heading', { level: 1, name: '事项分类' }).waitFor();
    await page.getByRole('button', { name: /新建分类/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('#cat-parent').selectOption(String(parent));
    await drawer.locator('#cat-code').fill(taken);
    await drawer.locator('#cat-name').fill('浏览器测试小类');
    await drawer.locator('input[name="photoRequiredOnReport"]').check();
    await drawer.getByRole('button', { name: '保存' }).click();

    const error = drawer.locator('#cat-code-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('该编码已被使用');
    // nothing lost
    expect(await drawer.locator('#cat-code').inputValue()).toBe(taken);
    expect(await drawer.locator('#cat-name').inputValue()).toBe('浏览器测试小类');
    expect(await drawer.locator('input[name="photoRequiredOnReport"]').isChecked()).toBe(true);
    expect(await drawer.locator('#cat-parent').inputValue()).toBe(String(parent));
    await screenshot(page, 'admin-category-error');

    await drawer.locator('#cat-code').fill('BR01');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.waitFor({ state: 'detached' });
    await page.locator('tr', { hasText: 'BR01' }).waitFor();
    const { rows } = await t.sql.query(`SELECT name, parent_id, photo_required_on_report FROM categories WHERE code = 'BR01'`);
    expect(rows).toEqual([{ name: '浏览器测试小类', parent_id: parent, photo_required_on_report: true }]);
    expect(
      (await t.sql.query(`SELECT count(*)::int AS n FROM admin_audit WHERE entity_type = 'category' AND action = 'create'`)).rows[0].n,
    ).toBe(1);
    await screenshot(page, 'admin-categories');
  });

  it('creates a grid worker; a short password shows the server message and keeps the form', async () => {
    await page.goto('/admin/users');
    await page.getByRole('heading', { level: 1, name: '用户账号' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    await screenshot(page, 'admin-users');
    await page.getByRole('button', { name: /新建用户/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('#user-username').fill('gw_browser');
    await drawer.locator('#user-password').fill('short');
    await drawer.locator('#user-display').fill('浏览器网格员');
    await drawer.locator('#user-role').selectOption('grid_worker');
    await drawer.locator('#user-grids').fill('D01S01C01G01');
    await drawer.locator('.pick-list input[type="checkbox"]').first().check();
    await drawer.getByRole('button', { name: '创建用户' }).click();

    const error = drawer.locator('#user-password-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('此项填写不符合要求');
    expect(await drawer.locator('#user-username').inputValue()).toBe('gw_browser');
    expect(await drawer.locator('#user-display').inputValue()).toBe('浏览器网格员');
    expect(await drawer.locator('.chip').count()).toBe(1);
    await screenshot(page, 'admin-user-drawer-error');

    await drawer.locator('#user-password').fill('browser-pass-1');
    await drawer.getByRole('button', { name: '创建用户' }).click();
    await drawer.waitFor({ state: 'detached' });
    const login = await t.api.post('/api/v1/auth/login', { username: 'gw_browser', password: 'browser-pass-1' });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ role: 'grid_worker', displayName: '浏览器网格员' });
  });

  it('imports a grid from GeoJSON only after a passing dry run', async () => {
    const ring: [number, number][] = (await t.sql.query(`SELECT polygon FROM regions WHERE code = 'D01S01C01'`)).rows[0].polygon
      .coordinates[0];
    const [lng, lat] = [Math.min(...ring.map((p) => p[0])) + 0.0001, Math.min(...ring.map((p) => p[1])) + 0.0001];
    const square = [
      [lng, lat],
      [lng + 0.0002, lat],
      [lng + 0.0002, lat + 0.0002],
      [lng, lat + 0.0002],
      [lng, lat],
    ];
    const feature = (code: string, parentCode: string) => ({
      type: 'Feature',
      properties: { code, name: `浏览器导入 ${code}`, parentCode },
      geometry: { type: 'Polygon', coordinates: [square] },
    });
    await page.goto('/admin/regions');
    await page.locator('.tree-row').first().waitFor();
    const importer = page.locator('section', { has: page.getByRole('heading', { name: /导入网格/ }) });
    const apply = importer.getByRole('button', { name: '确认导入' });

    // a bad parent: the server's problem list, and import stays disabled
    await importer.locator('#import-text').fill(JSON.stringify({ type: 'FeatureCollection', features: [feature('UI-G1', 'NOPE')] }));
    await importer.getByRole('button', { name: /预检/ }).click();
    await importer.locator('.problem-list li', { hasText: 'parentCode NOPE does not exist' }).waitFor();
    expect(await apply.isDisabled()).toBe(true);

    await importer.locator('#import-text').fill(JSON.stringify({ type: 'FeatureCollection', features: [feature('UI-G1', 'D01S01C01')] }));
    await importer.getByRole('button', { name: /预检/ }).click();
    await importer.getByText('预检通过：新增 1，更新 0，未变 0').waitFor();
    expect((await t.sql.query(`SELECT count(*)::int AS n FROM regions WHERE code = 'UI-G1'`)).rows[0].n).toBe(0);
    await screenshot(page, 'admin-regions-import-preview');
    await apply.click();
    await importer.getByText('导入完成：新增 1，更新 0，未变 0').waitFor();
    expect((await t.sql.query(`SELECT level FROM regions WHERE code = 'UI-G1'`)).rows).toEqual([{ level: 'grid' }]);
  });

  it('shows the regions, departments, SLA and audit pages (desktop screenshots)', async () => {
    await page.goto('/admin/regions');
    await page.locator('.tree-row').first().waitFor();
    await page.locator('.usage').waitFor();
    await screenshot(page, 'admin-regions');

    await page.goto('/admin/departments');
    await page.locator('tbody tr').first().waitFor();
    await page.getByRole('heading', { level: 2, name: '职责分工 小类 × 区域 → 本部门' }).waitFor();
    await screenshot(page, 'admin-departments');

    await page.goto('/admin/sla');
    await page.locator('#cal-name').waitFor();
    await screenshot(page, 'admin-sla');

    await page.goto('/admin/audit');
    await page.locator('tbody tr', { hasText: 'BR01' }).waitFor();
    await screenshot(page, 'admin-audit');

    // the English switch applies to the whole console
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.goto('/admin/users');
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    await screenshot(page, 'admin-users-en');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('keeps other roles out of /admin', async () => {
    const { context, page: lead } = await signedInContext(browser, t.baseUrl, 'lead1');
    await lead.goto('/admin/users');
    await lead.waitForURL((url) => url.pathname === '/');
    expect(new URL(lead.url()).searchParams.get('denied')).toBe('admin');
    await context.close();
  });
});
