import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_CLIENT_EVENTS,
  LIVE_HEARTBEAT_MS,
  LIVE_NAMESPACE,
  type ApiError,
  type DomainEventEnvelope,
  type IssueFrame,
  type LiveClientToServerEvents,
  type LiveServerToClientEvents,
  type PoolFrame,
  type SubscribeAck,
  type UnsubscribeAck,
  type WallStats,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AuthService } from '../auth/auth.service';
import { RegionsService } from '../regions/regions.service';
import { OnDomainEvent, type SignalEnvelope } from '../events/on-domain-event.decorator';
import { WallStatsService } from '../stats/wall-stats.service';
import { slaFrame, transitionFrame } from './issue-frames';
import { IssueFrameBatches } from './issue-frame-batches';
import { FeedReads } from './feed-reads';
import { isApiError, parseRegionMessage } from './live-messages';
import { issueDestinations, maySubscribe, rooms, roomsForActor, statsRoomRegion, type IssueRouting } from './live-rooms';
import { POOL_FRAME_EVENTS, poolFrame } from './pool-frames';
import { shareEncoding } from './shared-encoding';
import { StatsFrames } from './stats-frames';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { inRequestContext, requestIdFrom } from '../logging/request-context';
import { liveConnections, liveFramesSent, liveSocketsConnected } from '../metrics/metrics';

/** The instances share events through the event bus (events/), not through this namespace. */
type InterServerEvents = Record<string, never>;
interface SocketData {
  /** The handshake's x-request-id (set by the proxy) or a new one: names this socket's log lines. */
  requestId: string;
  actor: Actor;
  /** The handshake's token and its session: re-checked when the user changes, kept alive while connected. */
  token: string;
  sessionId: string;
  scopeRooms: Set<string>;
  subscriptions: Set<number>;
}
type LiveNamespace = Namespace<LiveClientToServerEvents, LiveServerToClientEvents, InterServerEvents, SocketData>;
type LiveSocket = Socket<LiveClientToServerEvents, LiveServerToClientEvents, InterServerEvents, SocketData>;

/** A wall shows one region, a few when drilling down; more is a misbehaving client. */
const MAX_SUBSCRIPTIONS = 8;
const TOUCH_EVERY_MS = 30_000;
const KNOWN_EVENTS = new Set<string>(Object.values(LIVE_CLIENT_EVENTS));

/**
 * The `/live` namespace (the realtime protocol of shared/src/live.ts): authenticates the handshake with the REST token and actor,
 * puts the socket in its scope's rooms, answers `subscribe` with a snapshot read from the
 * roll-ups, and sends stats frames (coalesced per room, StatsFrames), issue frames and a
 * heartbeat. What changed comes from the event bus, on every instance: committed events from the
 * outbox relay (issue frames) and the stats applier's signal (stats frames).
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway
  implements OnGatewayInit<LiveNamespace>, OnGatewayConnection<LiveSocket>, OnGatewayDisconnect<LiveSocket>, OnModuleDestroy
{
  private readonly logger = new Logger('LiveGateway');
  private nsp!: LiveNamespace;
  private frames!: StatsFrames;
  private issueFrames!: IssueFrameBatches;
  private heartbeat: NodeJS.Timeout | undefined;
  private epoch = '';
  private lastTouch = 0;
  /** The live feeds read for subscribe acks, shared by walls of a region that subscribe close together. */
  private readonly feeds = new FeedReads((regionId) => this.wall.feed(regionId));

  private readonly acks = new WeakMap<WallStats, WeakMap<IssueFrame[], SubscribeAck>>();

  constructor(
    private readonly auth: AuthService,
    private readonly regions: RegionsService,
    private readonly wall: WallStatsService,
    private readonly lifecycle: LifecycleService,
  ) {}

  afterInit(nsp: LiveNamespace): void {
    this.nsp = nsp;
    this.frames = new StatsFrames({
      read: async (regionId) => {
        const stats = await this.wall.read(regionId);
        this.epoch = stats.epoch;
        return stats;
      },
      watched: (regionId) => (nsp.adapter.rooms.get(rooms.stats(regionId))?.size ?? 0) > 0,
      emit: (regionId, frame) => {
        liveFramesSent.inc({ kind: 'stats' });
        nsp.local.to(rooms.stats(regionId)).emit('stats', frame);
      },
    });
    this.issueFrames = new IssueFrameBatches({
      socketsIn: (room) => nsp.adapter.rooms.get(room),
      send: (socketIds, frames) => nsp.local.to(socketIds).emit('issues', frames),
    });
    nsp.adapter.on('delete-room', (room: string) => {
      const regionId = statsRoomRegion(room);
      if (regionId !== undefined) this.frames.forget(regionId);
    });
    nsp.use((socket, next) => {
      socket.data.requestId = requestIdFrom(socket.handshake.headers['x-request-id']);
      this.authenticate(socket).then(
        (error) => next(error),
        (err: unknown) => {
          this.logger.error({ msg: 'handshake failed', err: String(err) });
          next(connectError({ code: 'INTERNAL_ERROR', message: 'The server could not check the token' }));
        },
      );
    });
    this.heartbeat = setInterval(() => void this.beat(), LIVE_HEARTBEAT_MS);
    void this.beat(false);
    this.lifecycle.onDrain(() => this.drain());
  }

  /**
   * Shutting down: every socket here hears `draining`, then its transport is closed (not a
   * socket.io disconnect, after which a client would stay away): the client reconnects on its
   * own, through the balancer, to an instance that is still ready.
   */
  private drain(): void {
    const sockets = [...this.nsp.sockets.values()];
    this.nsp.local.emit('draining', { at: new Date().toISOString() });
    for (const socket of sockets) socket.conn.close();
    this.logger.log({ msg: 'live sockets told to reconnect', sockets: sockets.length });
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    this.frames?.close();
    this.issueFrames?.close();
  }

  handleConnection(socket: LiveSocket): void {
    liveConnections.inc();
    liveSocketsConnected.inc();
    // The upgrade request (headers, raw headers, parser state) is not read again: the handshake
    // copied what the gateway uses. Dropped, it is a few KiB less per open socket.
    (socket.conn as unknown as { request: unknown }).request = null;
    this.logger.debug({ msg: 'socket connected', reqId: socket.data.requestId, socket: socket.id, user: socket.data.actor.id });
    const scope = roomsForActor(socket.data.actor, this.regions);
    socket.data.scopeRooms = new Set(scope);
    socket.data.subscriptions = new Set();
    void socket.join([...scope, rooms.inbox(socket.data.actor.id)]);
    socket.on('subscribe', (payload, ack) => this.answer(socket, ack, () => this.subscribe(socket, payload)));
    socket.on('unsubscribe', (payload, ack) => this.answer(socket, ack, () => this.unsubscribe(socket, payload)));
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'VALIDATION_FAILED', message: `Unknown event ${event}` } });
    });
  }

  handleDisconnect(socket: LiveSocket): void {
    // Only sockets that passed the handshake were counted (handleConnection runs after the middleware).
    if (!socket.data.actor) return;
    liveSocketsConnected.dec();
    this.logger.debug({ msg: 'socket disconnected', reqId: socket.data.requestId, socket: socket.id });
  }

  /** A committed workflow step (the report too): an issue frame to every room of this instance that may see it (batched per turn). */
  @OnDomainEvent('issue.reported', 'issue.transitioned')
  onIssueEvent(e: DomainEventEnvelope<'issue.reported' | 'issue.transitioned'>): void {
    const { frame, routing } = transitionFrame(e);
    this.sendIssueFrame(routing, frame);
  }

  /** SLA warnings (黄牌) and breaches (红牌) as issue frames, built from the event. */
  @OnDomainEvent('sla.warning', 'sla.breached')
  onSlaEvent(e: DomainEventEnvelope<'sla.warning' | 'sla.breached'>): void {
    const { frame, routing } = slaFrame(e);
    this.sendIssueFrame(routing, frame);
  }

  /**
   * A committed change of a service-pool item: a `pool` frame to the region rooms on its
   * community's path (a wall of another street is in none of them), so walls read their pool panel again.
   */
  @OnDomainEvent(...POOL_FRAME_EVENTS)
  onPoolEvent(e: DomainEventEnvelope<PoolFrame['type']>): void {
    if (!this.nsp) return;
    const { frame, regionIds } = poolFrame(e, this.regions);
    liveFramesSent.inc({ kind: 'pool' });
    this.nsp.local.to(regionIds.map(rooms.region)).emit('pool', frame);
  }

  /** Users with an inbox socket on this instance (the notification listener reads only theirs). */
  inboxUsers(): number[] {
    if (!this.nsp) return [];
    const ids = new Set<number>();
    for (const s of this.nsp.sockets.values()) if (s.data.actor) ids.add(s.data.actor.id);
    return [...ids];
  }

  /** A frame to one user's own sockets on this instance (every instance hears the commit itself). */
  sendToInbox<E extends 'notification' | 'notifications_read'>(
    userId: number,
    event: E,
    ...frame: Parameters<LiveServerToClientEvents[E]>
  ): void {
    if (!this.nsp) return;
    liveFramesSent.inc({ kind: event });
    this.nsp.local.to(rooms.inbox(userId)).emit(event, ...frame);
  }

  private sendIssueFrame(routing: IssueRouting, frame: IssueFrame): void {
    if (!this.nsp) return;
    liveFramesSent.inc({ kind: 'issue' });
    const { rooms: to, regionIds } = issueDestinations(routing, this.regions);
    this.feeds.framed(regionIds);
    this.issueFrames.add(to, frame);
  }

  /** The roll-ups moved (on whichever instance applied them): watched rooms get a fresh stats frame. */
  @OnDomainEvent('stats.applied')
  onStatsApplied(e: SignalEnvelope<'stats.applied'>): void {
    if (!this.frames) return;
    this.epoch = e.data.epoch;
    this.frames.changed(e.data.regionIds);
  }

  /**
   * A user changed (deactivated, new role or scope, new password, AB 岗): each of their sockets
   * here checks its token again. Refused → disconnected; else it moves to its new scope's rooms
   * and drops the stats subscriptions that scope no longer allows.
   */
  @OnDomainEvent('auth.users_changed')
  async onUsersChanged(e: SignalEnvelope<'auth.users_changed'>): Promise<void> {
    if (!this.nsp) return;
    const ids = new Set(e.data.userIds);
    const sockets = [...this.nsp.sockets.values()].filter((s) => s.data.actor && ids.has(s.data.actor.id));
    await Promise.all(sockets.map((s) => this.recheck(s)));
  }

  private async recheck(socket: LiveSocket): Promise<void> {
    try {
      const check = await this.auth.checkToken(socket.data.token);
      if (!check.ok) {
        socket.disconnect(true);
        return;
      }
      socket.data.actor = check.actor;
      const scope = new Set(roomsForActor(check.actor, this.regions));
      for (const room of socket.data.scopeRooms) if (!scope.has(room)) await socket.leave(room);
      for (const regionId of [...socket.data.subscriptions]) {
        if (maySubscribe(check.actor, regionId, this.regions)) continue;
        socket.data.subscriptions.delete(regionId);
        await socket.leave(rooms.stats(regionId));
        await socket.leave(rooms.region(regionId));
      }
      socket.data.scopeRooms = scope;
      await socket.join([...scope]);
    } catch (err) {
      this.logger.warn({ msg: 'socket re-check failed; disconnecting', err: String(err) });
      socket.disconnect(true);
    }
  }

  /**
   * The heartbeat carries the counter store's epoch, read fresh: after a rebuild (new epoch)
   * the cached room states are dropped and clients, seeing the new epoch, take new snapshots.
   */
  private async beat(emit = true): Promise<void> {
    try {
      const { epoch } = await this.wall.state();
      if (this.epoch && epoch !== this.epoch) this.frames.reset();
      this.epoch = epoch;
    } catch (err) {
      this.logger.warn({ msg: 'could not read the stats epoch', err: String(err) });
    }
    if (emit) {
      liveFramesSent.inc({ kind: 'heartbeat' });
      this.nsp.local.emit('heartbeat', { epoch: this.epoch, at: new Date().toISOString() });
    }
    // An open socket is activity: its session does not expire while it stays connected (checked every TOUCH_EVERY_MS).
    if (!emit || Date.now() - this.lastTouch < TOUCH_EVERY_MS) return;
    this.lastTouch = Date.now();
    const sessions = [...new Set([...this.nsp.sockets.values()].map((s) => s.data.sessionId).filter(Boolean))];
    await this.auth.touchSessions(sessions).catch((err: Error) => this.logger.warn({ msg: 'session touch failed', err: err.message }));
  }

  /** Null when the socket may connect, else the refusal. */
  private async authenticate(socket: LiveSocket): Promise<Error | undefined> {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      return connectError({ code: 'AUTH_REQUIRED', message: 'A token is required in handshake.auth.token' });
    }
    const check = await this.auth.checkToken(token);
    if (!check.ok) return connectError({ code: check.code, message: 'The token is invalid or expired' });
    socket.data.actor = check.actor;
    socket.data.token = token;
    socket.data.sessionId = check.sessionId;
    return undefined;
  }

  private async subscribe(socket: LiveSocket, payload: unknown): Promise<SubscribeAck> {
    const request = parseRegionMessage(payload);
    if (isApiError(request)) return { ok: false, error: request };
    const { regionId } = request;
    const known = this.regions.get(regionId) !== undefined;
    const allowed = known && maySubscribe(socket.data.actor, regionId, this.regions);
    if (allowed === null) {
      return {
        ok: false,
        error: { code: 'FORBIDDEN_ROLE', message: 'Department roles follow their tasks (issue frames), not region statistics' },
      };
    }
    if (!allowed) return { ok: false, error: { code: 'NOT_FOUND', message: `Region ${regionId} not found` } };
    const subs = socket.data.subscriptions;
    if (!subs.has(regionId) && subs.size >= MAX_SUBSCRIPTIONS) {
      return {
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: `At most ${MAX_SUBSCRIPTIONS} regions at once; unsubscribe first` },
      };
    }
    subs.add(regionId);
    // Join first: a frame sent from now on reaches this socket, and the feed it gets was read
    // after the region's last frame (FeedReads), so the frames chain from the snapshot below.
    await socket.join([rooms.stats(regionId), rooms.region(regionId)]);
    const [stats, feed] = await Promise.all([this.frames.snapshot(regionId), this.feeds.feed(regionId)]);
    return this.snapshotAck(stats, feed);
  }

  /**
   * The ack for a stats state and a feed read: the walls that subscribe to a region at the same
   * moment get the same object, encoded once for all of them (shared-encoding.ts).
   */
  private snapshotAck(stats: WallStats, feed: IssueFrame[]): SubscribeAck {
    let byFeed = this.acks.get(stats);
    if (!byFeed) this.acks.set(stats, (byFeed = new WeakMap()));
    let ack = byFeed.get(feed);
    if (!ack) {
      ack = shareEncoding<SubscribeAck>({ ok: true, snapshot: Object.assign({}, stats, { feed }) });
      byFeed.set(feed, ack);
    }
    return ack;
  }

  private async unsubscribe(socket: LiveSocket, payload: unknown): Promise<UnsubscribeAck> {
    const request = parseRegionMessage(payload);
    if (isApiError(request)) return { ok: false, error: request };
    const { regionId } = request;
    socket.data.subscriptions.delete(regionId);
    await socket.leave(rooms.stats(regionId));
    if (!socket.data.scopeRooms.has(rooms.region(regionId))) await socket.leave(rooms.region(regionId));
    return { ok: true };
  }

  /** Every client message gets an answer through its ack, never an exception; its log lines (and SQL) name the socket's request id. */
  private answer<T>(socket: LiveSocket, ack: unknown, handle: () => Promise<T>): void {
    const reply = typeof ack === 'function' ? (ack as (response: unknown) => void) : () => undefined;
    inRequestContext({ requestId: socket.data.requestId }, handle).then(reply, (err: unknown) => {
      this.logger.error({ msg: 'live message failed', err: String(err) });
      reply({ ok: false, error: { code: 'INTERNAL_ERROR', message: 'The server could not answer' } satisfies ApiError });
    });
  }
}

function connectError(error: ApiError): Error {
  return Object.assign(new Error(error.message), { data: error });
}
