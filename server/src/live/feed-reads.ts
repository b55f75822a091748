import type { IssueFrame } from '@gridline/shared';

/** A read of a region's feed is shared with walls that subscribe up to this long after it started. */
export const FEED_REUSE_MS = 1_000;

interface FeedRead {
  startedAt: number;
  feed: Promise<IssueFrame[]>;
}

/**
 * The live feeds read for subscribe acks, one read shared by the walls of a region that subscribe
 * close together (a burst of reconnects after a network blip: thousands a second, one region).
 *
 * A wall joins the region's room before it asks for the feed. A read that started before it
 * joined still serves it when no issue frame has gone to that region since the read started: a
 * change the read may have missed was committed after it started, so its frame goes out after
 * that too — to a room the wall is in by then. The wall ends up where a wall that had subscribed
 * when the read started would be. One frame to the region and the next wall starts a new read;
 * a read older than FEED_REUSE_MS is not shared either (the issue columns a feed shows can change
 * without a frame), and a failed one is forgotten.
 */
export class FeedReads {
  /** Per region, the latest read since its last frame (at most one entry per region). */
  private readonly reads = new Map<number, FeedRead>();

  constructor(
    private readonly read: (regionId: number) => Promise<IssueFrame[]>,
    private readonly now: () => number = Date.now,
  ) {}

  /** An issue frame is going to these regions' rooms: their reads so far serve nobody else. */
  framed(regionIds: Iterable<number>): void {
    for (const regionId of regionIds) this.reads.delete(regionId);
  }

  /** The feed for a wall that has already joined the region's room. */
  feed(regionId: number): Promise<IssueFrame[]> {
    const now = this.now();
    const shared = this.reads.get(regionId);
    if (shared && now - shared.startedAt < FEED_REUSE_MS) return shared.feed;
    const feed = this.read(regionId);
    const entry: FeedRead = { startedAt: now, feed };
    this.reads.set(regionId, entry);
    feed.catch(() => {
      if (this.reads.get(regionId) === entry) this.reads.delete(regionId);
    });
    return feed;
  }
}
