import type { IssueFrame } from '@gridline/shared';
import { FEED_REUSE_MS, FeedReads } from './feed-reads';

/** A feed source that counts its reads and answers each with a feed of its own (the read's number). */
function source() {
  const reads: number[] = [];
  const read = (regionId: number): Promise<IssueFrame[]> => {
    reads.push(regionId);
    return Promise.resolve([{ issueId: reads.length } as IssueFrame]);
  };
  return { reads, read };
}

describe('FeedReads', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('serves walls of a region that subscribe close together from one read', async () => {
    const { reads, read } = source();
    const feeds = new FeedReads(read, clock);
    const first = await feeds.feed(1);
    now += FEED_REUSE_MS - 1;
    const second = await feeds.feed(1);
    expect(reads).toEqual([1]);
    expect(second).toBe(first);
  });

  it('reads again for a wall that joins after an issue frame went to the region', async () => {
    const { reads, read } = source();
    const feeds = new FeedReads(read, clock);
    const before = await feeds.feed(1);
    feeds.framed([5, 1]);
    const after = await feeds.feed(1);
    expect(reads).toEqual([1, 1]);
    expect(after).not.toBe(before);
  });

  it('keeps sharing a read when the frame went to other regions only', async () => {
    const { reads, read } = source();
    const feeds = new FeedReads(read, clock);
    await feeds.feed(1);
    await feeds.feed(2);
    feeds.framed([2]);
    await feeds.feed(1);
    await feeds.feed(2);
    expect(reads).toEqual([1, 2, 2]);
  });

  it('does not share a read that started FEED_REUSE_MS ago or earlier', async () => {
    const { reads, read } = source();
    const feeds = new FeedReads(read, clock);
    await feeds.feed(1);
    now += FEED_REUSE_MS;
    await feeds.feed(1);
    expect(reads).toEqual([1, 1]);
  });

  it('shares a read still in flight, and forgets one that failed', async () => {
    const reads: ((feed: IssueFrame[] | Error) => void)[] = [];
    const feeds = new FeedReads(
      () => new Promise<IssueFrame[]>((resolve, reject) => reads.push((r) => (r instanceof Error ? reject(r) : resolve(r)))),
      clock,
    );
    const a = feeds.feed(1);
    const b = feeds.feed(1);
    expect(reads).toHaveLength(1);
    reads[0]!(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await expect(b).rejects.toThrow('connection lost');
    const c = feeds.feed(1);
    expect(reads).toHaveLength(2);
    reads[1]!([]);
    await expect(c).resolves.toEqual([]);
  });
});
