import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { LIVE_STALE_AFTER_MS, POOL_WALL_CLAIMS, type PoolWallSummary, type RegionView } from '@gridline/shared';
import { recentFeed } from '@/live/frames';
import { RegionStream, type RegionStreamState } from '@/live/region-stream';
import { useSessionStore } from '@/stores/session';
import { fetchPoolSummary, fetchRegionTree } from './api';
import { checkWallStats } from './consistency';
import { claimRows } from './pool-panel';
import { RefreshThrottle } from './refresh-throttle';
import { RegionTree } from './region-tree';
import { DEFAULT_WALL_TIME_ZONE } from './wall-config';

const IDLE: RegionStreamState = {
  regionId: null,
  stats: null,
  feed: [],
  connection: 'connecting',
  lastFrameAt: null,
  error: null,
  snapshots: 0,
};

/** Pool frames within this gap are folded into one read of the pool summary. */
const POOL_REFRESH_GAP_MS = 1_500;
/** Drafts raised (no event) and a new day show up by this at the latest. */
const POOL_REFRESH_EVERY_MS = 60_000;

/**
 * The wall's state: exactly one `WallStats` at a time (every panel reads it, so all panels are
 * true at one version), the live feed, the connection, and one clock ticking each second for the
 * clock, the countdowns and the stale badge. Beside it, the service pool's summary (点单·派单·接单),
 * read again from the API when a pool frame of the region arrives.
 */
export const useWallStore = defineStore('wall', () => {
  const live = shallowRef<RegionStreamState>(IDLE);
  const tree = shallowRef<RegionTree | null>(null);
  const now = ref(Date.now());
  const startedAt = ref(Date.now());
  let stream: RegionStream | null = null;
  let ticker: ReturnType<typeof setInterval> | null = null;
  let treeLoad: Promise<RegionTree> | null = null;
  const pool = shallowRef<PoolWallSummary | null>(null);
  /** Claims that arrived since the previous read (their rows flash once). */
  const poolFresh = shallowRef<ReadonlySet<number>>(new Set());
  let poolRequest = 0;
  let poolReadAt = 0;
  const poolThrottle = new RefreshThrottle(() => void readPool(), POOL_REFRESH_GAP_MS);

  const stats = computed(() => live.value.stats);
  /** The server's TIME_ZONE, from the snapshot; the default until the first one arrives. */
  const timeZone = computed(() => live.value.stats?.timeZone ?? DEFAULT_WALL_TIME_ZONE);
  /** The live feed of the last LIVE_FEED_HOURS, as a new snapshot would hold it (re-checked each second). */
  const feed = computed(() => recentFeed(live.value.feed, now.value));
  const connection = computed(() => live.value.connection);
  const lastFrameAt = computed(() => live.value.lastFrameAt);
  const violations = computed(() => (stats.value ? checkWallStats(stats.value) : []));
  /** No frame of any kind for LIVE_STALE_AFTER_MS (counted from the start until the first one). */
  const stale = computed(() => now.value - (live.value.lastFrameAt ?? startedAt.value) > LIVE_STALE_AFTER_MS);
  /** The region on screen (its numbers), which trails the requested one until its snapshot arrives. */
  const shownRegion = computed((): RegionView | undefined => (stats.value ? tree.value?.get(stats.value.regionId) : undefined));

  function loadTree(): Promise<RegionTree> {
    treeLoad ??= fetchRegionTree().then(
      (regions) => (tree.value = new RegionTree(regions)),
      (err: unknown) => {
        treeLoad = null; // let the next visit try again
        throw err;
      },
    );
    return treeLoad;
  }

  /** Reads the pool summary of the region on screen; the last request wins, a failure keeps what is shown. */
  async function readPool(): Promise<void> {
    const regionId = live.value.stats?.regionId;
    if (regionId === undefined) return;
    const request = ++poolRequest;
    poolReadAt = Date.now();
    try {
      const summary = await fetchPoolSummary(regionId);
      if (request !== poolRequest || live.value.stats?.regionId !== regionId) return;
      const previous = pool.value?.regionId === regionId ? pool.value.latestClaims : null;
      poolFresh.value = claimRows(previous, summary.latestClaims, POOL_WALL_CLAIMS).fresh;
      pool.value = summary;
    } catch {
      // The next pool frame or the next minute reads again.
    }
  }

  function ensureStream(): RegionStream {
    if (stream) return stream;
    const session = useSessionStore();
    stream = new RegionStream({
      token: () => session.token,
      levelOf: (id) => tree.value?.levelOf(id),
      onPool: () => poolThrottle.request(),
      onChange: (state) => {
        const wasUnauthorized = live.value.connection === 'unauthorized';
        const before = live.value;
        live.value = state;
        // Another region on screen: its pool at once; a new snapshot (reconnect, resync): the pool may have moved too.
        if (state.stats && state.stats.regionId !== before.stats?.regionId) void readPool();
        else if (state.snapshots !== before.snapshots) poolThrottle.request();
        // The socket refused the token: ask the API, whose 401 ends the session and goes to login.
        if (state.connection === 'unauthorized' && !wasUnauthorized) {
          session.refreshMe().then(
            () => stream?.reconnect(),
            () => undefined,
          );
        }
      },
    });
    ticker = setInterval(() => {
      now.value = Date.now();
      if (live.value.stats && now.value - poolReadAt > POOL_REFRESH_EVERY_MS) poolThrottle.request();
    }, 1000);
    startedAt.value = Date.now();
    return stream;
  }

  /** Shows `regionId` (subscribing, or switching the subscription). */
  function show(regionId: number): void {
    ensureStream().setRegion(regionId);
  }

  function stop(): void {
    stream?.stop();
    stream = null;
    if (ticker !== null) clearInterval(ticker);
    ticker = null;
    poolThrottle.cancel();
    poolRequest++;
    pool.value = null;
    poolFresh.value = new Set();
    live.value = IDLE;
  }

  return {
    live,
    tree,
    now,
    stats,
    timeZone,
    feed,
    connection,
    lastFrameAt,
    violations,
    stale,
    shownRegion,
    pool,
    poolFresh,
    loadTree,
    show,
    stop,
  };
});
