import {
  LIVE_CLIENT_EVENTS,
  LIVE_FEED_SIZE,
  LIVE_SERVER_EVENTS,
  type ApiError,
  type HeartbeatFrame,
  type IssueFrame,
  type PoolFrame,
  type RegionLevel,
  type StatsFrame,
  type WallSnapshot,
  type WallStats,
} from '@gridline/shared';
import { connectLive, type LiveAuth, type LiveSocket } from './connect';
import { decideStatsFrame, frameInRegion, mergeFeed, poolFrameInRegion, statsOf } from './frames';

/**
 * One live view of one region subtree over the `/live` namespace (shared/src/live.ts): connect with the
 * token in `handshake.auth.token`, `subscribe` for a snapshot, then follow `stats` frames that
 * chain on the version on screen; anything else (a gap, a reconnect, a new epoch) fetches a new
 * snapshot. The numbers change only by whole `WallStats` objects, so nothing is half-updated.
 */

export type LiveConnection =
  /** Connecting for the first time. */
  | 'connecting'
  /** Connected and subscribed; the numbers follow the server. */
  | 'live'
  /** Connected; a new snapshot is on its way (after a gap, a reconnect or a new epoch). */
  | 'syncing'
  /** The connection dropped; socket.io is trying again. */
  | 'reconnecting'
  /** The server refused the token. */
  | 'unauthorized';

export interface RegionStreamState {
  /** The region asked for; `stats.regionId` is the one on screen (they differ until its snapshot arrives). */
  regionId: number | null;
  stats: WallStats | null;
  feed: IssueFrame[];
  connection: LiveConnection;
  /** Epoch ms of the last frame of any kind (snapshot, stats, issue, heartbeat). */
  lastFrameAt: number | null;
  /** Why the last subscribe failed (e.g. NOT_FOUND for a region out of scope). */
  error: ApiError | null;
  /** How many snapshots were fetched: 1 + resyncs. */
  snapshots: number;
}

export type { LiveSocket } from './connect';

export interface RegionStreamOptions {
  token: () => string | null;
  /** Makes the socket (not yet connected); a real socket.io client on `/live` unless a test passes a fake. */
  socket?: (auth: LiveAuth) => LiveSocket;
  /** The level of a region, to keep the feed to the subscribed subtree. */
  levelOf: (regionId: number) => RegionLevel | undefined;
  onChange: (state: Readonly<RegionStreamState>) => void;
  /** A committed change of a service-pool item in the region on screen (the wall reads its pool panel again). */
  onPool?: (frame: PoolFrame) => void;
  now?: () => number;
  /** How long to wait for a subscribe ack before asking again. */
  ackTimeoutMs?: number;
}

const MAX_BUFFERED_FRAMES = 16;
const DEFAULT_ACK_TIMEOUT_MS = 10_000;
const RECONNECT_AFTER_REFUSAL_MS = 3_000;
const RETRY_SUBSCRIBE_MS = 2_000;
const RETRYABLE_ERRORS: ReadonlySet<string> = new Set(['INTERNAL_ERROR', 'RATE_LIMITED']);

export class RegionStream {
  private readonly socket: LiveSocket;
  private readonly now: () => number;
  private state: RegionStreamState = {
    regionId: null,
    stats: null,
    feed: [],
    connection: 'connecting',
    lastFrameAt: null,
    error: null,
    snapshots: 0,
  };
  /** Identifies the subscribe in flight; acks of older ones are dropped. */
  private request = 0;
  private pending = false;
  /** Frames that arrived while a snapshot was on its way; the ones that chain on it are applied after. */
  private buffered: StatsFrame[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: RegionStreamOptions) {
    this.now = options.now ?? Date.now;
    // A function, so every reconnect sends the current token.
    const auth = (cb: (data: { token: string }) => void) => cb({ token: options.token() ?? '' });
    this.socket = (options.socket ?? connectLive)(auth);
    this.socket.on('connect', () => this.resync());
    this.socket.on('disconnect', (reason) => {
      this.update({ connection: 'reconnecting' });
      // The server closed us on purpose (e.g. restarting): socket.io leaves reconnecting to us.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (err: Error & { data?: Partial<ApiError> }) => {
      if (this.socket.active) {
        this.update({ connection: 'reconnecting' }); // a network failure: socket.io retries by itself
      } else if (err.data?.code === 'AUTH_REQUIRED') {
        this.update({ connection: 'unauthorized' }); // the token: retrying will not help until it changes
      } else {
        // Refused for another reason (the server could not check the token): try again shortly.
        this.update({ connection: 'reconnecting' });
        this.retryTimer = setTimeout(() => this.socket.connect(), RECONNECT_AFTER_REFUSAL_MS);
      }
    });
    this.socket.on(LIVE_SERVER_EVENTS.stats, (frame) => this.onStats(frame));
    this.socket.on(LIVE_SERVER_EVENTS.issues, (frames) => this.onIssues(frames));
    this.socket.on(LIVE_SERVER_EVENTS.heartbeat, (frame) => this.onHeartbeat(frame));
    this.socket.on(LIVE_SERVER_EVENTS.pool, (frame) => this.onPool(frame));
  }

  get current(): Readonly<RegionStreamState> {
    return this.state;
  }

  /** Shows `regionId` from now on (connecting first if needed). */
  setRegion(regionId: number): void {
    const previous = this.state.regionId;
    if (previous === regionId && this.socket.connected) return;
    if (previous !== null && previous !== regionId && this.socket.connected) {
      this.socket.emit(LIVE_CLIENT_EVENTS.unsubscribe, { regionId: previous }, () => undefined);
    }
    // The feed belongs to a region: start the new one empty (the snapshot brings its own).
    this.update({ regionId, error: null, feed: previous === regionId ? this.state.feed : [] });
    if (this.socket.connected) this.resync();
    else this.socket.connect();
  }

  /** Reconnects after `unauthorized` (e.g. once the user signed in again). */
  reconnect(): void {
    if (!this.socket.connected) this.socket.connect();
  }

  stop(): void {
    this.clearRetry();
    this.request++;
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private update(patch: Partial<RegionStreamState>): void {
    this.state = { ...this.state, ...patch };
    this.options.onChange(this.state);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Asks for a snapshot of the current region; frames meanwhile are buffered. */
  private resync(): void {
    const regionId = this.state.regionId;
    if (regionId === null || !this.socket.connected) return;
    this.clearRetry();
    const request = ++this.request;
    this.pending = true;
    this.update({ connection: this.state.stats && this.state.stats.regionId === regionId ? 'syncing' : 'connecting' });
    this.socket
      .timeout(this.options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS)
      .emit(LIVE_CLIENT_EVENTS.subscribe, { regionId }, (err: Error | null, answer) => {
        if (request !== this.request) return; // a newer subscribe superseded this one
        if (err) {
          this.retryLater();
          return;
        }
        if (!answer.ok) {
          this.pending = false;
          this.buffered = [];
          this.update({ error: answer.error, connection: 'live' });
          // The server's trouble passes; a refusal (not found, wrong role, bad request) does not.
          if (RETRYABLE_ERRORS.has(answer.error.code)) this.retryLater();
          return;
        }
        this.applySnapshot(answer.snapshot);
      });
  }

  private retryLater(): void {
    this.clearRetry();
    this.retryTimer = setTimeout(() => this.resync(), RETRY_SUBSCRIBE_MS);
  }

  private applySnapshot(snapshot: WallSnapshot): void {
    this.pending = false;
    let stats = statsOf(snapshot);
    // The snapshot's feed is the truth for the region; changes seen meanwhile stay if they belong.
    const kept = this.state.feed.filter((frame) => this.belongs(frame, stats.regionId));
    const feed = mergeFeed(kept, snapshot.feed, LIVE_FEED_SIZE);
    const frames = this.buffered.sort((a, b) => a.version - b.version);
    this.buffered = [];
    let resync = false;
    for (const frame of frames) {
      const decision = decideStatsFrame(stats, frame);
      if (decision === 'apply') stats = statsOf(frame);
      if (decision === 'resync') resync = true;
    }
    this.update({ stats, feed, error: null, connection: 'live', lastFrameAt: this.now(), snapshots: this.state.snapshots + 1 });
    // A buffered frame newer than the snapshot that does not chain on it: the snapshot is already behind.
    if (resync && frames.some((f) => f.version > stats.version)) this.resync();
  }

  private onStats(frame: StatsFrame): void {
    const lastFrameAt = this.now();
    if (this.pending) {
      if (frame.regionId === this.state.regionId) this.buffered = [...this.buffered, frame].slice(-MAX_BUFFERED_FRAMES);
      this.update({ lastFrameAt });
      return;
    }
    const decision = decideStatsFrame(this.state.stats, frame);
    this.update(decision === 'apply' ? { stats: statsOf(frame), lastFrameAt } : { lastFrameAt });
    if (decision === 'resync') this.resync();
  }

  private onIssues(frames: IssueFrame[]): void {
    const regionId = this.state.regionId;
    const mine = regionId === null ? [] : frames.filter((frame) => this.belongs(frame, regionId));
    const feed = mine.length > 0 ? mergeFeed(this.state.feed, mine, LIVE_FEED_SIZE) : this.state.feed;
    this.update({ feed, lastFrameAt: this.now() });
  }

  private onPool(frame: PoolFrame): void {
    this.update({ lastFrameAt: this.now() });
    const regionId = this.state.regionId;
    const level = regionId === null ? undefined : this.options.levelOf(regionId);
    if (regionId !== null && level !== undefined && poolFrameInRegion(frame, regionId, level)) this.options.onPool?.(frame);
  }

  private onHeartbeat(frame: HeartbeatFrame): void {
    this.update({ lastFrameAt: this.now() });
    const stats = this.state.stats;
    if (!this.pending && stats && frame.epoch !== stats.epoch) this.resync();
  }

  private belongs(frame: IssueFrame, regionId: number): boolean {
    const level = this.options.levelOf(regionId);
    return level !== undefined && frameInRegion(frame, regionId, level);
  }
}
