import { io, type Socket } from 'socket.io-client';
import {
  LIVE_NAMESPACE,
  type ApiError,
  type HeartbeatFrame,
  type IssueFrame,
  type LiveClientToServerEvents,
  type LiveServerToClientEvents,
  type PoolFrame,
  type StatsFrame,
  type SubscribeAck,
  type WallSnapshot,
  type WallStats,
} from '@gridline/shared';

export type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

/** Every frame a socket received, with the local time it arrived. */
export interface Received<T> {
  frame: T;
  at: number;
}

/** A real socket.io client on `/live` that records what it receives. */
export class LiveClient {
  readonly stats: Received<StatsFrame>[] = [];
  readonly issues: Received<IssueFrame>[] = [];
  readonly heartbeats: Received<HeartbeatFrame>[] = [];
  readonly pools: Received<PoolFrame>[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: LiveSocket) {
    const record =
      <T>(list: Received<T>[]) =>
      (frame: T) => {
        list.push({ frame, at: Date.now() });
        for (const w of this.waiters.splice(0)) w();
      };
    socket.on('stats', record(this.stats));
    const recordIssue = record(this.issues);
    socket.on('issues', (frames) => frames.forEach(recordIssue));
    socket.on('heartbeat', record(this.heartbeats));
    socket.on('pool', record(this.pools));
  }

  /** Connects with a token; rejects with the server's ApiError when the handshake is refused. */
  static connect(baseUrl: string, token: unknown): Promise<LiveClient> {
    const socket: LiveSocket = io(`${baseUrl}${LIVE_NAMESPACE}`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const client = new LiveClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(client));
      socket.once('connect_error', (err: Error & { data?: ApiError }) => {
        socket.close();
        reject(err.data ?? err);
      });
    });
  }

  subscribe(regionId: unknown): Promise<SubscribeAck> {
    return this.socket.timeout(20_000).emitWithAck('subscribe', { regionId } as never);
  }

  /** Sends any event with any payload, expecting an ack. */
  raw(event: string, ...args: unknown[]): Promise<any> {
    return (this.socket as unknown as Socket).timeout(20_000).emitWithAck(event, ...args);
  }

  async snapshot(regionId: number): Promise<WallSnapshot> {
    const ack = await this.subscribe(regionId);
    if (!ack.ok) throw new Error(`subscribe ${regionId} refused: ${JSON.stringify(ack.error)}`);
    return ack.snapshot;
  }

  /** Resolves once `predicate` holds over what was received (checked on every frame). */
  async until<T>(predicate: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Wakes `until` waiters (a model that changed its state asynchronously). */
  poke(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  statsOf(regionId: number): StatsFrame[] {
    return this.stats.filter((s) => s.frame.regionId === regionId).map((s) => s.frame);
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * A wall's model of one region, following the protocol as a client must: start from the
 * snapshot, apply frames that chain on (previousVersion = last version applied), ignore stale
 * ones, and take a new snapshot on a gap or a new epoch.
 */
export class WallModel {
  state!: WallStats;
  resyncs = 0;
  /** Test hook: pretend the network lost the next N frames. */
  dropNext = 0;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly client: LiveClient,
    readonly regionId: number,
  ) {}

  static async open(client: LiveClient, regionId: number): Promise<WallModel> {
    const model = new WallModel(client, regionId);
    // Listening before subscribing, as the dashboard does: a frame that arrives in the same read
    // as the subscribe's ack is emitted before the ack's promise resumes this function. Frames
    // wait for the snapshot; those it already holds are then ignored as stale.
    let snapshotTaken!: () => void;
    model.chain = new Promise<void>((resolve) => (snapshotTaken = resolve));
    client.socket.on('stats', (frame) => {
      if (frame.regionId !== regionId) return;
      model.chain = model.chain.then(() => model.apply(frame));
    });
    model.state = await client.snapshot(regionId);
    snapshotTaken();
    return model;
  }

  private async apply(frame: StatsFrame): Promise<void> {
    if (this.dropNext > 0) {
      this.dropNext--;
      return;
    }
    if (frame.epoch === this.state.epoch && frame.version <= this.state.version) return;
    if (frame.epoch !== this.state.epoch || frame.previousVersion !== this.state.version) {
      this.resyncs++;
      this.state = await this.client.snapshot(this.regionId);
    } else {
      this.state = frame;
    }
    this.client.poke();
  }

  /** Resolves when every frame received so far has been applied. */
  settled(): Promise<void> {
    return this.chain;
  }
}
