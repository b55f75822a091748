import {
  LIVE_FEED_HOURS,
  type IssueFrame,
  type PoolFrame,
  type RegionLevel,
  type StatsFrame,
  type WallSnapshot,
  type WallStats,
} from '@gridline/shared';

/**
 * The resync rules of the realtime protocol (shared/src/live.ts), as pure functions: which `stats` frame
 * may replace the numbers on screen, and how `issue` frames join the live feed. No DOM, no socket.
 */

/** What to do with a `stats` frame, given the numbers on screen. */
export type StatsFrameDecision =
  /** It follows the numbers on screen: show it. */
  | 'apply'
  /** Older than (or the same as) what is on screen, or for another region: drop it. */
  | 'ignore'
  /** A frame was missed or the server's counters were rebuilt: ask for a new snapshot. */
  | 'resync';

type Versioned = Pick<WallStats, 'epoch' | 'version' | 'regionId'>;

export function decideStatsFrame(current: Versioned | null, frame: StatsFrame): StatsFrameDecision {
  if (current === null) return 'ignore'; // the snapshot on its way decides
  if (frame.regionId !== current.regionId) return 'ignore'; // a late frame of the region left behind
  if (frame.epoch !== current.epoch) return 'resync';
  if (frame.version <= current.version) return 'ignore';
  return frame.previousVersion === current.version ? 'apply' : 'resync';
}

/** The `WallStats` part of a frame or snapshot (one object per version; panels read only this). */
export function statsOf(source: StatsFrame | WallSnapshot): WallStats {
  const { previousVersion: _p, feed: _f, ...stats } = source as StatsFrame & Partial<WallSnapshot>;
  return stats;
}

/** One change of one issue; an SLA event does not bump the issue version, so the action is part of it. */
export function feedKey(frame: Pick<IssueFrame, 'issueId' | 'issueVersion' | 'action'>): string {
  return `${frame.issueId}:${frame.issueVersion}:${frame.action}`;
}

/**
 * The feed after `incoming` frames arrive: newest first, each change once (by issue, version and
 * action), at most `cap` items. Returns the same array when nothing new came, so watchers stay quiet.
 */
export function mergeFeed(feed: readonly IssueFrame[], incoming: readonly IssueFrame[], cap: number): IssueFrame[] {
  const seen = new Set(feed.map(feedKey));
  const fresh = incoming.filter((frame) => {
    const key = feedKey(frame);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (fresh.length === 0 && feed.length <= cap) return feed as IssueFrame[];
  return [...fresh, ...feed].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, cap);
}

/**
 * The feed's items of the last LIVE_FEED_HOURS at `nowMs`: a wall left open shows the window a new
 * snapshot would. Returns the same array when nothing is too old, so watchers stay quiet.
 */
export function recentFeed(feed: readonly IssueFrame[], nowMs: number): readonly IssueFrame[] {
  const since = nowMs - LIVE_FEED_HOURS * 3_600_000;
  return feed.every((f) => Date.parse(f.at) >= since) ? feed : feed.filter((f) => Date.parse(f.at) >= since);
}

/** Whether an issue frame concerns the subtree of `regionId` (a city holds every district). */
export function frameInRegion(frame: IssueFrame, regionId: number, level: RegionLevel): boolean {
  switch (level) {
    case 'city':
      return true;
    case 'district':
      return frame.districtId === regionId;
    case 'street':
      return frame.streetId === regionId;
    case 'community':
      return frame.communityId === regionId;
    case 'grid':
      return frame.gridId === regionId;
  }
}

/** Whether a pool frame concerns the subtree of `regionId` (pool items live in communities, never in a grid). */
export function poolFrameInRegion(frame: PoolFrame, regionId: number, level: RegionLevel): boolean {
  switch (level) {
    case 'city':
      return true;
    case 'district':
      return frame.districtId === regionId;
    case 'street':
      return frame.streetId === regionId;
    case 'community':
      return frame.communityId === regionId;
    case 'grid':
      return false;
  }
}
