import { describe, expect, it } from '@jest/globals';
import { LIVE_FEED_HOURS, type IssueFrame, type PoolFrame, type StatsFrame, type WallStats } from '@gridline/shared';
import { decideStatsFrame, feedKey, frameInRegion, mergeFeed, poolFrameInRegion, recentFeed, statsOf } from './frames';

const current: Pick<WallStats, 'epoch' | 'version' | 'regionId'> = { epoch: 'e1', version: 10, regionId: 2 };

function frame(patch: Partial<StatsFrame>): StatsFrame {
  return { epoch: 'e1', regionId: 2, version: 11, previousVersion: 10, ...patch } as StatsFrame;
}

function issue(patch: Partial<IssueFrame>): IssueFrame {
  return {
    issueId: 1,
    number: 'GL-1',
    title: 't',
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    priority: 'normal',
    source: 'grid_worker',
    categoryId: 1,
    gridId: 40,
    communityId: 30,
    streetId: 3,
    districtId: 2,
    departmentId: null,
    assigneeId: null,
    issueVersion: 1,
    at: '2026-11-21T10:00:00.000Z',
    ...patch,
  };
}

describe('decideStatsFrame', () => {
  it('applies a frame that chains on the version on screen', () => {
    expect(decideStatsFrame(current, frame({}))).toBe('apply');
  });

  it('asks for a snapshot when a frame was missed', () => {
    expect(decideStatsFrame(current, frame({ version: 13, previousVersion: 12 }))).toBe('resync');
  });

  it('asks for a snapshot on a new epoch, whatever the versions', () => {
    expect(decideStatsFrame(current, frame({ epoch: 'e2', version: 1, previousVersion: 0 }))).toBe('resync');
    expect(decideStatsFrame(current, frame({ epoch: 'e2' }))).toBe('resync');
  });

  it('drops frames at or before the version on screen (e.g. sent before the snapshot was read)', () => {
    expect(decideStatsFrame(current, frame({ version: 10, previousVersion: 9 }))).toBe('ignore');
    expect(decideStatsFrame(current, frame({ version: 8, previousVersion: 7 }))).toBe('ignore');
  });

  it('drops frames of another region and waits for the first snapshot', () => {
    expect(decideStatsFrame(current, frame({ regionId: 3 }))).toBe('ignore');
    expect(decideStatsFrame(null, frame({}))).toBe('ignore');
  });
});

describe('statsOf', () => {
  it('keeps the stats and drops the frame-only fields', () => {
    const stats = statsOf({ ...frame({}), feed: [] } as unknown as StatsFrame);
    expect(stats).not.toHaveProperty('previousVersion');
    expect(stats).not.toHaveProperty('feed');
    expect(stats.version).toBe(11);
  });
});

describe('mergeFeed', () => {
  it('puts new changes first and keeps each change once', () => {
    const a = issue({ issueId: 1, at: '2026-11-21T10:00:00Z' });
    const b = issue({ issueId: 2, at: '2026-11-21T10:01:00Z' });
    const feed = mergeFeed([a], [b, a], 10);
    expect(feed.map((f) => f.issueId)).toEqual([2, 1]);
  });

  it('keeps the next version of an issue and an SLA event at the same version as separate changes', () => {
    const reported = issue({ issueVersion: 1 });
    const accepted = issue({ issueVersion: 2, action: 'accept', fromStatus: 'reported', toStatus: 'accepted', at: '2026-11-21T10:02:00Z' });
    const warned = issue({ issueVersion: 2, action: 'sla.warning', toStatus: 'accepted', at: '2026-11-21T10:03:00Z' });
    const feed = mergeFeed([reported], [accepted, warned, accepted], 10);
    expect(feed.map(feedKey)).toEqual(['1:2:sla.warning', '1:2:accept', '1:1:report']);
  });

  it('caps the feed at the newest items', () => {
    const many = Array.from({ length: 5 }, (_, i) => issue({ issueId: i, at: new Date(Date.UTC(2026, 10, 21, 10, i)).toISOString() }));
    expect(mergeFeed([], many, 3).map((f) => f.issueId)).toEqual([4, 3, 2]);
  });

  it('returns the same array when nothing is new', () => {
    const feed = [issue({})];
    expect(mergeFeed(feed, [issue({})], 10)).toBe(feed);
  });
});

describe('frameInRegion', () => {
  const f = issue({});
  it('matches the frame at every level of its region path', () => {
    expect(frameInRegion(f, 2, 'district')).toBe(true);
    expect(frameInRegion(f, 3, 'street')).toBe(true);
    expect(frameInRegion(f, 30, 'community')).toBe(true);
    expect(frameInRegion(f, 40, 'grid')).toBe(true);
    expect(frameInRegion(f, 1, 'city')).toBe(true);
  });
  it('refuses frames of another subtree', () => {
    expect(frameInRegion(f, 4, 'street')).toBe(false);
    expect(frameInRegion(f, 41, 'grid')).toBe(false);
  });
});

describe('poolFrameInRegion', () => {
  const f: PoolFrame = {
    type: 'pool.claimed',
    poolItemId: 1,
    kind: 'wish',
    status: 'claimed',
    claimId: 5,
    communityId: 30,
    streetId: 3,
    districtId: 2,
    at: '2026-11-21T10:00:00.000Z',
  };
  it('matches the frame in its community, street, district and the city', () => {
    expect(poolFrameInRegion(f, 30, 'community')).toBe(true);
    expect(poolFrameInRegion(f, 3, 'street')).toBe(true);
    expect(poolFrameInRegion(f, 2, 'district')).toBe(true);
    expect(poolFrameInRegion(f, 1, 'city')).toBe(true);
  });
  it('refuses frames of another subtree, and grids (pool items belong to communities)', () => {
    expect(poolFrameInRegion(f, 4, 'street')).toBe(false);
    expect(poolFrameInRegion(f, 31, 'community')).toBe(false);
    expect(poolFrameInRegion(f, 30, 'grid')).toBe(false);
  });
});

describe('recentFeed', () => {
  const now = Date.parse('2026-11-21T10:00:00.000Z');
  const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();

  it('keeps the window a new snapshot would hold: the changes of the last LIVE_FEED_HOURS', () => {
    const feed = [
      issue({ issueId: 1, at: hoursAgo(1) }),
      issue({ issueId: 2, at: hoursAgo(LIVE_FEED_HOURS) }),
      issue({ issueId: 3, at: hoursAgo(LIVE_FEED_HOURS + 0.01) }),
    ];
    expect(recentFeed(feed, now).map((f) => f.issueId)).toEqual([1, 2]);
  });

  it('returns the same array when nothing is too old', () => {
    const feed = [issue({ issueId: 1, at: hoursAgo(2) }), issue({ issueId: 2, at: hoursAgo(3) })];
    expect(recentFeed(feed, now)).toBe(feed);
  });
});
