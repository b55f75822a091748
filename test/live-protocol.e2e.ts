import { ISSUE_STATUSES, LIVE_FEED_HOURS, type IssueStatus, type WallStats } from '@gridline/shared';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { demoRegions } from './support/checks';
import { act, loadCast, report, type Cast } from './support/fixtures';
import { LiveClient, WallModel } from './support/live-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The realtime protocol (shared/src/live.ts) through a real socket.io client: the
 * subscribe ack's snapshot, then stats frames that chain on it with absolute numbers; issue
 * frames after commit; a gap makes the client take a new snapshot; a 500-report burst gives at
 * most 4 frames/s per room and ends on the exact totals.
 */
let t: TestApp;
let cast: Cast;
let districtId: number;
let s1: number;
const clients: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  ({ districtId, s1 } = await demoRegions(t));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

const tok = (name: string) => cast.tokens[name]!;
const drain = () => t.app.get(StatsApplier).drain();

async function connect(name: string): Promise<LiveClient> {
  const client = await LiveClient.connect(t.baseUrl, tok(name));
  clients.push(client);
  return client;
}

/** COUNT(*) truth for a region (district_id / street_id column): stock by status and all-time flows. */
async function truth(column: 'district_id' | 'street_id', regionId: number) {
  const { rows } = await t.sql.query<{ status: IssueStatus; n: number }>(
    `SELECT status, count(*)::int AS n FROM issues WHERE ${column} = $1 GROUP BY status`,
    [regionId],
  );
  const stock = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>;
  for (const r of rows) stock[r.status] = r.n;
  const { rows: flows } = await t.sql.query(
    `SELECT count(*)::int AS reported, count(accepted_at)::int AS accepted, count(dispatched_at)::int AS dispatched,
            count(resolved_at)::int AS resolved, count(closed_at)::int AS closed
       FROM issues WHERE ${column} = $1`,
    [regionId],
  );
  return { stock, total: flows[0] };
}

const numbers = (s: WallStats) => ({ stock: s.stock, total: s.total });

describe('subscribe: a snapshot, then frames that chain on it', () => {
  it('acks with the whole wall for the subtree, true at its version, and the latest changes', async () => {
    await drain();
    const viewer = await connect('viewer');
    const snap = await viewer.snapshot(districtId);
    expect(snap.regionId).toBe(districtId);
    expect(typeof snap.epoch).toBe('string');
    expect(snap.version).toBeGreaterThanOrEqual(1);
    expect(numbers(snap)).toEqual(await truth('district_id', districtId));
    expect(snap.trend24h).toHaveLength(24);
    expect(snap.trend30d).toHaveLength(30);
    expect(snap.children.length).toBe(9);
    expect(snap.children.reduce((sum, c) => sum + c.total, 0)).toBe(snap.total.reported);
    expect(snap.categories.reduce((sum, c) => sum + c.total, 0)).toBe(snap.total.reported);
    expect(snap.departments.length).toBeGreaterThan(0);
    expect(snap.feed.length).toBe(30);
    expect(snap.feed[0]).toEqual(expect.objectContaining({ districtId, issueId: expect.any(Number), title: expect.any(String) }));
    // SLA: open stage clocks with a breach in the subtree (the list: the latest 30 breaches)
    const { rows } = await t.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sla_clocks c JOIN issues i ON i.id = c.issue_id
        WHERE i.district_id = $1 AND c.stopped_at IS NULL AND c.stage <> 'overall'
          AND EXISTS (SELECT 1 FROM sla_firings f WHERE f.clock_id = c.id AND f.level = 'breach')`,
      [districtId],
    );
    expect(snap.overdueNow).toBe(rows[0]!.n);
    expect(snap.overdue.length).toBe(Math.min(30, rows[0]!.n));
    for (const o of snap.overdue) expect(Date.parse(o.dueAt)).toBeLessThanOrEqual(Date.parse(snap.asOf));
  });

  it('a report reaches the feed as an issue frame, then the counters as a stats frame chained on the snapshot', async () => {
    const viewer = await connect('viewer');
    const street = await connect('dispatcher_s1');
    await drain();
    const snap = await viewer.snapshot(districtId);
    const streetSnap = await street.snapshot(s1);

    const issue = await report(t.api, cast, { title: '小区门口井盖松动' });
    const frame = await viewer.until(() => viewer.issues.find((i) => i.frame.issueId === issue.id)?.frame, 'the issue frame');
    expect(frame).toEqual(
      expect.objectContaining({ action: 'report', fromStatus: null, toStatus: 'reported', title: '小区门口井盖松动', issueVersion: 1 }),
    );
    expect(frame).toEqual(
      expect.objectContaining({ gridId: cast.gridId, streetId: s1, districtId, priority: 'normal', source: 'grid_worker' }),
    );

    await drain();
    const stats = await viewer.until(() => viewer.statsOf(districtId).find((s) => s.version > snap.version), 'a stats frame');
    expect(stats.previousVersion).toBe(snap.version);
    expect(stats.epoch).toBe(snap.epoch);
    expect(stats.total.reported).toBe(snap.total.reported + 1);
    expect(stats.stock.reported).toBe(snap.stock.reported + 1);
    expect(stats.today.reported).toBe(snap.today.reported + 1);
    expect(numbers(stats)).toEqual(await truth('district_id', districtId));
    const streetFrame = await street.until(() => street.statsOf(s1).find((s) => s.version > streetSnap.version), 'the street frame');
    expect(streetFrame.previousVersion).toBe(streetSnap.version);
    expect(streetFrame.total.reported).toBe(streetSnap.total.reported + 1);

    // a workflow action: an issue frame with the transition, and the stock moves
    const accepted = await act(t.api, tok('dispatcher'), issue, 'accept');
    const acceptFrame = await viewer.until(
      () => viewer.issues.find((i) => i.frame.issueId === issue.id && i.frame.action === 'accept')?.frame,
      'the accept frame',
    );
    expect(acceptFrame).toEqual(expect.objectContaining({ fromStatus: 'reported', toStatus: 'accepted', issueVersion: accepted.version }));
    await drain();
    const after = await viewer.until(
      () => viewer.statsOf(districtId).find((s) => s.total.accepted === stats.total.accepted + 1),
      'accepted',
    );
    expect(after.stock.accepted).toBe(stats.stock.accepted + 1);
    expect(after.stock.reported).toBe(stats.stock.reported - 1);
  });

  it('a heartbeat every 5 s carries the epoch', async () => {
    const viewer = await connect('viewer');
    const snap = await viewer.snapshot(districtId);
    const beat = await viewer.until(() => viewer.heartbeats[0]?.frame, 'a heartbeat', 12_000);
    expect(beat.epoch).toBe(snap.epoch);
    expect(Number.isNaN(Date.parse(beat.at))).toBe(false);
  });
});

describe('version gaps and reconnects', () => {
  it('a client that missed a frame sees the gap, takes a new snapshot and ends on the truth', async () => {
    const viewer = await connect('viewer');
    await drain();
    const wall = await WallModel.open(viewer, districtId);
    wall.dropNext = 1;
    await report(t.api, cast);
    await drain();
    await viewer.until(() => viewer.statsOf(districtId).length >= 1, 'the dropped frame');
    await report(t.api, cast);
    await drain();
    await viewer.until(() => viewer.statsOf(districtId).length >= 2, 'the frame after the gap');
    await wall.settled();
    expect(wall.resyncs).toBe(1);
    expect(numbers(wall.state)).toEqual(await truth('district_id', districtId));
  });

  it('after a reconnect the wall is on the truth: its snapshot, or the frame that chains on it', async () => {
    const first = await connect('viewer');
    await first.snapshot(districtId);
    first.close();
    await report(t.api, cast);
    await drain();
    const again = await connect('viewer');
    // The room still has members (earlier walls of this file): the snapshot is the room's last frame,
    // true at its version; a frame already scheduled brings the report.
    const wall = await WallModel.open(again, districtId);
    const want = await truth('district_id', districtId);
    await again.until(() => wall.state.total.reported === want.total.reported, 'the wall to catch up');
    await wall.settled();
    expect(numbers(wall.state)).toEqual(want);
    expect(wall.resyncs).toBe(0);
  });

  it('walls subscribing close together share a feed read, but not across an issue frame: the later wall sees the change', async () => {
    const early = await connect('viewer');
    await early.snapshot(districtId);
    const issue = await report(t.api, cast, { title: '订阅之间上报的路灯故障' });
    await early.until(() => early.issues.find((i) => i.frame.issueId === issue.id), 'the issue frame');
    // Well within the time a read is shared: only the frame tells the gateway that read is old.
    const late = await connect('viewer');
    const snap = await late.snapshot(districtId);
    expect(snap.feed[0]).toEqual(expect.objectContaining({ issueId: issue.id, action: 'report', title: '订阅之间上报的路灯故障' }));
  });

  it("the feed holds the last day's status changes: a day later, a new wall sees only what changed since", async () => {
    const yesterday = await report(t.api, cast, { title: '昨天上报的树枝折断' });
    const early = await connect('viewer');
    expect((await early.snapshot(cast.gridId)).feed.map((f) => f.issueId)).toContain(yesterday.id);

    const day = (LIVE_FEED_HOURS + 1) * 3600_000;
    t.clock.advance(day);
    try {
      const today = await report(t.api, cast, { title: '今天上报的井盖缺失' });
      await early.until(() => early.issues.find((i) => i.frame.issueId === today.id), 'the issue frame');
      const late = await connect('viewer');
      const snap = await late.snapshot(cast.gridId);
      expect(snap.feed).toEqual([expect.objectContaining({ issueId: today.id, action: 'report', toStatus: 'reported' })]);
    } finally {
      t.clock.advance(-day);
    }
  });
});

describe('coalescing under a burst', () => {
  it('500 reports: at most 4 stats frames per second per room, and the exact totals at the end', async () => {
    const viewer = await connect('viewer');
    await drain();
    const district = await WallModel.open(viewer, districtId);
    const street = await WallModel.open(viewer, s1);

    let next = 0;
    const worker = async () => {
      while (next < 500) {
        next++;
        await report(t.api, cast, { description: `突发批量上报 ${next}` });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await drain();
    const want = await truth('district_id', districtId);
    await viewer.until(() => viewer.statsOf(districtId).some((s) => s.total.reported === want.total.reported), 'the final district frame');
    const wantStreet = await truth('street_id', s1);
    await viewer.until(() => viewer.statsOf(s1).some((s) => s.total.reported === wantStreet.total.reported), 'the final street frame');
    await district.settled();
    await street.settled();
    expect(numbers(district.state)).toEqual(want);
    expect(numbers(street.state)).toEqual(wantStreet);
    expect(district.resyncs + street.resyncs).toBe(0);

    for (const regionId of [districtId, s1]) {
      const frames = viewer.statsOf(regionId);
      expect(frames.length).toBeGreaterThan(1);
      // Each frame's numbers are read when it goes out (asOf): any 5 consecutive frames span at least a second.
      const asOf = frames.map((f) => Date.parse(f.asOf));
      for (let i = 0; i + 4 < asOf.length; i++) expect(asOf[i + 4]! - asOf[i]!).toBeGreaterThanOrEqual(1000);
      // and every frame chains on the one before
      for (let i = 1; i < frames.length; i++) expect(frames[i]!.previousVersion).toBe(frames[i - 1]!.version);
    }
  });
});

describe('the clock moves the wall too', () => {
  it('when the hour turns, a watched room gets a fresh frame (today and the 24-hour trend slide)', async () => {
    const viewer = await connect('viewer');
    await drain();
    const wall = await WallModel.open(viewer, districtId);
    const before = wall.state;
    t.clock.advance(3600_000);
    try {
      await viewer.until(() => wall.state.version > before.version, 'a frame after the hour turned');
      expect(Date.parse(wall.state.trend24h[0]!.at)).toBe(Date.parse(before.trend24h[0]!.at) + 3600_000);
      expect(numbers(wall.state)).toEqual(numbers(before));
      expect(wall.resyncs).toBe(0);
    } finally {
      t.clock.advance(-3600_000);
    }
  });
});
