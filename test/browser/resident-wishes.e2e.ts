import type { Browser } from 'playwright-core';
import type { PoolItemView, VolunteerHoursView } from '@gridline/shared';
import { launchBrowser, screenshot } from '../support/browser';
import { loadCast, type Cast } from '../support/fixtures';
import { realPng } from '../support/images';
import { communityId, HOME_COMMUNITY_CODE, makeVolunteers } from '../support/pool';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * /r 点单 on a phone (390×844, zh-CN): a first-time resident chooses their community, raises a
 * 微心愿 and sees it wait for the community; the community publishes it and a volunteer claims
 * and finishes it with a note and a photo (through the API); the resident sees who came (masked),
 * the note and the photo, confirms with a score and a comment, and the volunteer's hours are
 * credited. The English switch shows the same progress in English. Screenshots go to test-artifacts/.
 */
describe('/r 点单 (resident wishes)', () => {
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

  it('raises a wish, follows it to done in plain words, confirms it with a score, and the volunteer gets the hours', async () => {
    const home = await communityId(t, HOME_COMMUNITY_CODE);
    const context = await browser.newContext({
      baseURL: t.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/r');
    await page.waitForURL(/\/r\/login/);
    await page.locator('input[name="phone"]').fill('13977770045'); // a first-time resident: the code signs them up
    await page.getByTestId('send-code').click();
    const code = /(\d{6})/.exec((await page.getByTestId('dev-code').textContent()) ?? '')?.[1];
    await page.locator('input[name="code"]').fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/r');

    // 点单 is a tab of /r; a resident without a community chooses it first.
    await page.getByTestId('tab-wishes').click();
    await page.waitForURL(/\/r\/wishes$/);
    await page.getByTestId('community-select').selectOption(String(home));
    await page.getByRole('button', { name: '确定', exact: true }).click();
    await page.getByTestId('new-wish').click();
    const form = page.getByTestId('wish-form');
    await form.locator('[data-kind="wish"] input').check();
    const title = `想学用智能手机 ${Date.now()}`;
    await form.locator('input[name="title"]').fill(title);
    await form.locator('textarea[name="description"]').fill('想和外地的孙子视频通话，周末下午在家');
    const inFiveDays = new Date(Date.now() + 5 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await form.locator('input[name="neededBy"]').fill(inFiveDays);
    await form.locator('input[name="address"]').fill('幸福小区3栋2单元');
    await screenshot(page, 'r-wish-new');
    await form.getByRole('button', { name: '提交给社区' }).click();
    await page.waitForURL(/\/r\/wishes\/\d+$/);
    const id = Number(/\/r\/wishes\/(\d+)$/.exec(page.url())![1]);
    await expect(page.getByTestId('wish-stage').textContent()).resolves.toBe('待社区发布');

    // What the server holds: a draft wish of this resident in their community, needed by the end of that day.
    const raised = (await t.api.get<PoolItemView>(`/api/v1/pool/${id}`, cast.tokens.dispatcher_s1)).body;
    expect(raised).toMatchObject({ kind: 'wish', title, status: 'draft', communityId: home, address: '幸福小区3栋2单元' });
    expect(new Date(raised.neededBy!).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })).toBe(inFiveDays);

    // 派单 and 接单 through the API: the community publishes, a volunteer claims and finishes with a photo.
    expect((await t.api.post(`/api/v1/pool/${id}/publish`, {}, cast.tokens.dispatcher_s1)).status).toBe(200);
    const [v] = await makeVolunteers(t, 1, home);
    await t.sql.query(`UPDATE volunteers SET name = '李建国', is_party_member = true WHERE id = $1`, [v!.volunteerId]);
    await page.reload();
    await expect(page.getByTestId('wish-stage').textContent()).resolves.toBe('已发布，等待接单');
    expect((await t.api.post(`/api/v1/pool/${id}/claim`, {}, v!.token)).status).toBe(201);
    await page.reload();
    await expect(page.getByTestId('wish-stage').textContent()).resolves.toBe('已有人接单');
    await expect(page.getByTestId('wish-helper').textContent()).resolves.toContain('李**');
    const done = await t.api.request('POST', `/api/v1/pool/${id}/complete`, {
      token: v!.token,
      body: { note: '教会了视频通话，老人很开心' },
      photos: [{ bytes: realPng(), name: 'done.png', type: 'image/png' }],
    });
    expect(done.status).toBe(200);

    // The list says it is done and waits for the resident; the page shows the note and the photo.
    await page.getByTestId('tab-wishes').click();
    const card = page.locator(`[data-wish="${id}"]`);
    await expect(card.locator('.stage').textContent()).resolves.toBe('已完成，待确认');
    await expect(card.textContent()).resolves.toContain('已完成，请确认');
    await card.click();
    await expect(page.getByTestId('wish-note').textContent()).resolves.toBe('教会了视频通话，老人很开心');
    await page.getByTestId('wish-photos').locator('img').first().waitFor();
    await expect(page.getByTestId('wish-helper').textContent()).resolves.toContain('党员');
    await screenshot(page, 'r-wish-done');

    const confirm = page.getByTestId('confirm-form');
    await confirm.getByLabel('4 分').check();
    await confirm.locator('textarea[name="comment"]').fill('小李很耐心，谢谢');
    await confirm.getByRole('button', { name: '确认完成' }).click();
    await page.locator('[data-testid="wish-stage"][data-stage="confirmed"]').waitFor();
    await expect(page.getByTestId('wish-stage').textContent()).resolves.toBe('已确认');
    await expect(page.getByTestId('wish-confirmed').textContent()).resolves.toContain('你的评分：4 分');
    await screenshot(page, 'r-wish-confirmed');

    // The confirmation reached the server, and the volunteer's hours were credited for it.
    const confirmed = (await t.api.get<PoolItemView>(`/api/v1/pool/${id}`, cast.tokens.dispatcher_s1)).body;
    expect(confirmed).toMatchObject({ status: 'confirmed', score: 4, confirmComment: '小李很耐心，谢谢' });
    const hours = (await t.api.get<VolunteerHoursView>('/api/v1/volunteers/me/hours', v!.token)).body;
    expect(hours).toMatchObject({ total: 1, entries: [{ itemId: id, hours: 1 }] });

    // The same progress in English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('wish-stage').getByText('Confirmed', { exact: true }).waitFor();
    await expect(page.getByTestId('wish-steps').textContent()).resolves.toContain('Taken by a volunteer');
    await context.close();
  });
});
