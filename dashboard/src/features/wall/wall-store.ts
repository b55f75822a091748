import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { LIVE_STALE_AFTER_MS, type RegionView } from '@gridline/shared';
import { RegionStream, type RegionStreamState } from '@/live/region-stream';
import { useSessionStore } from '@/stores/session';
import { fetchRegionTree } from './api';
import { checkWallStats } from './consistency';
import { RegionTree } from './region-tree';

const IDLE: RegionStreamState = {
  regionId: null,
  stats: null,
  feed: [],
  connection: 'connecting',
  lastFrameAt: null,
  error: null,
  snapshots: 0,
};

/**
 * The wall's state: exactly one `WallStats` at a time (every panel reads it, so all panels are
 * true at one version), the live feed, the connection, and one clock ticking each second for the
 * clock, the countdowns and the stale badge.
 */
export const useWallStore = defineStore('wall', () => {
  const live = shallowRef<RegionStreamState>(IDLE);
  const tree = shallowRef<RegionTree | null>(null);
  const now = ref(Date.now());
  const startedAt = ref(Date.now());
  let stream: RegionStream | null = null;
  let ticker: ReturnType<typeof setInterval> | null = null;
  let treeLoad: Promise<RegionTree> | null = null;

  const stats = computed(() => live.value.stats);
  const feed = computed(() => live.value.feed);
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

  function ensureStream(): RegionStream {
    if (stream) return stream;
    const session = useSessionStore();
    stream = new RegionStream({
      token: () => session.token,
      levelOf: (id) => tree.value?.levelOf(id),
      onChange: (state) => {
        const wasUnauthorized = live.value.connection === 'unauthorized';
        live.value = state;
        // The socket refused the token: ask the API, whose 401 ends the session and goes to login.
        if (state.connection === 'unauthorized' && !wasUnauthorized) {
          session.refreshMe().then(
            () => stream?.reconnect(),
            () => undefined,
          );
        }
      },
    });
    ticker = setInterval(() => (now.value = Date.now()), 1000);
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
    live.value = IDLE;
  }

  return { live, tree, now, stats, feed, connection, lastFrameAt, violations, stale, shownRegion, loadTree, show, stop };
});
