import { DataSource } from 'typeorm';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { reconcileRollups } from '../server/src/stats/reconcile';
import { demoRegions } from './support/checks';
import { act, loadCast, report, type Cast } from './support/fixtures';
import { LiveClient } from './support/live-client';
import { advanceAndSweep, continuousPolicies, MIN } from './support/sla';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The wall's SLA numbers from the SLA engine's clocks: a breach (红牌) reaches the wall as an
 * issue frame, then as overdueNow and the overdue list in a stats frame; accepting the issue
 * stops the clock and takes it off again; the roll-ups stay equal to COUNT(*) truth.
 */
let t: TestApp;
let cast: Cast;
let districtId: number;
let wall: LiveClient;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  ({ districtId } = await demoRegions(t));
  await continuousPolicies(t, cast.tokens.admin!, cast.category.id, { accept: 10, overall: 60 });
  wall = await LiveClient.connect(t.baseUrl, cast.tokens.viewer);
});
afterAll(async () => {
  wall?.close();
  await t?.close();
});

const drain = () => t.app.get(StatsApplier).drain();

it('a breach shows as an issue frame, then in overdueNow and the overdue list; accepting clears it', async () => {
  const issue = await report(t.api, cast, { title: '超时未受理的事件' });
  await drain();
  const snap = await wall.snapshot(districtId);
  expect(snap.overdue.some((o) => o.issueId === issue.id)).toBe(false);

  await advanceAndSweep(t, 11 * MIN);
  const breach = await wall.until(
    () => wall.issues.find((i) => i.frame.issueId === issue.id && i.frame.action === 'sla.breached')?.frame,
    'the breach frame',
  );
  expect(breach).toEqual(expect.objectContaining({ title: '超时未受理的事件', toStatus: 'reported', districtId }));

  await drain();
  const overdue = await wall.until(
    () => wall.statsOf(districtId).find((s) => s.overdue.some((o) => o.issueId === issue.id)),
    'the issue in the overdue list',
  );
  // the roll-ups are the truth at this moment (other seeded clocks may have breached in those 11 minutes too)
  expect(await reconcileRollups(t.app.get(DataSource), t.config.timeZone)).toEqual([]);
  expect(overdue.overdueNow).toBeGreaterThan(0);
  expect(overdue.overdue.find((o) => o.issueId === issue.id)).toEqual(
    expect.objectContaining({ stage: 'accept', status: 'reported', gridId: cast.gridId, dueAt: expect.any(String) }),
  );

  await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
  await drain();
  const cleared = await wall.until(
    () => wall.statsOf(districtId).find((s) => s.version > overdue.version && !s.overdue.some((o) => o.issueId === issue.id)),
    'the issue off the overdue list',
  );
  expect(cleared.overdueNow).toBeLessThan(overdue.overdueNow + 1);
  expect(await reconcileRollups(t.app.get(DataSource), t.config.timeZone)).toEqual([]);
});
