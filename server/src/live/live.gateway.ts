import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_CLIENT_EVENTS,
  LIVE_HEARTBEAT_MS,
  LIVE_NAMESPACE,
  type ApiError,
  type IssueFrame,
  type IssueTransitionedEvent,
  type LiveClientToServerEvents,
  type LiveServerToClientEvents,
  type SlaClockEvent,
  type SubscribeAck,
  type UnsubscribeAck,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AuthService } from '../auth/auth.service';
import { RegionsService } from '../regions/regions.service';
import { StatsApplier, type AppliedBatch } from '../stats/stats-applier.service';
import { WallStatsService } from '../stats/wall-stats.service';
import { DataSource } from 'typeorm';
import { SLA_FRAME_ISSUE_SQL, slaFrame, transitionFrame, type SlaFrameIssue } from './issue-frames';
import { isApiError, parseRegionMessage } from './live-messages';
import { maySubscribe, rooms, roomsForActor, roomsForIssue, statsRoomRegion } from './live-rooms';
import { StatsFrames } from './stats-frames';

/** Events between the instances (through the cluster adapter). */
interface InterServerEvents {
  'stats:applied': (batch: AppliedBatch) => void;
  'issue:frames': (frames: RoutedFrame[]) => void;
}
interface RoutedFrame {
  rooms: string[];
  frame: IssueFrame;
}

/** Issue frames for the other instances go in one inter-server message per this many ms. */
const RELAY_MS = 50;
interface SocketData {
  actor: Actor;
  scopeRooms: Set<string>;
  subscriptions: Set<number>;
}
type LiveNamespace = Namespace<LiveClientToServerEvents, LiveServerToClientEvents, InterServerEvents, SocketData>;
type LiveSocket = Socket<LiveClientToServerEvents, LiveServerToClientEvents, InterServerEvents, SocketData>;

/** A wall shows one region, a few when drilling down; more is a misbehaving client. */
const MAX_SUBSCRIPTIONS = 8;
const KNOWN_EVENTS = new Set<string>(Object.values(LIVE_CLIENT_EVENTS));

/**
 * The `/live` namespace (SPEC §6): authenticates the handshake with the REST token and actor,
 * puts the socket in its scope's rooms, answers `subscribe` with a snapshot read from the
 * roll-ups, and sends stats frames (coalesced per room, StatsFrames), issue frames (after
 * commit, through the cluster adapter) and a heartbeat.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnGatewayConnection<LiveSocket>, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private nsp!: LiveNamespace;
  private frames!: StatsFrames;
  private heartbeat: NodeJS.Timeout | undefined;
  private relayQueue: RoutedFrame[] = [];
  private relayTimer: NodeJS.Timeout | undefined;
  private epoch = '';

  constructor(
    private readonly auth: AuthService,
    private readonly regions: RegionsService,
    private readonly wall: WallStatsService,
    private readonly applier: StatsApplier,
    private readonly db: DataSource,
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
      emit: (regionId, frame) => nsp.local.to(rooms.stats(regionId)).emit('stats', frame),
    });
    nsp.adapter.on('delete-room', (room: string) => {
      const regionId = statsRoomRegion(room);
      if (regionId !== undefined) this.frames.forget(regionId);
    });
    nsp.use((socket, next) => {
      this.authenticate(socket).then(
        (error) => next(error),
        (err: unknown) => {
          this.logger.error({ msg: 'handshake failed', err: String(err) });
          next(connectError({ code: 'INTERNAL_ERROR', message: 'The server could not check the token' }));
        },
      );
    });
    // A batch applied here: build this instance's frames and tell the others to build theirs.
    this.applier.onApplied((batch) => {
      this.onBatch(batch);
      nsp.serverSideEmit('stats:applied', batch);
    });
    nsp.on('stats:applied', (batch) => this.onBatch(batch));
    nsp.on('issue:frames', (frames) => {
      for (const { rooms: to, frame } of frames) nsp.local.to(to).emit('issue', frame);
    });
    this.heartbeat = setInterval(() => void this.beat(), LIVE_HEARTBEAT_MS);
    void this.beat(false);
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.relayTimer);
    this.frames?.close();
  }

  handleConnection(socket: LiveSocket): void {
    const scope = roomsForActor(socket.data.actor, this.regions);
    socket.data.scopeRooms = new Set(scope);
    socket.data.subscriptions = new Set();
    void socket.join(scope);
    socket.on('subscribe', (payload, ack) => this.answer(ack, () => this.subscribe(socket, payload)));
    socket.on('unsubscribe', (payload, ack) => this.answer(ack, () => this.unsubscribe(socket, payload)));
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'VALIDATION_FAILED', message: `Unknown event ${event}` } });
    });
  }

  /** After commit, on the instance that committed: one issue frame to every room that may see it. */
  @OnEvent('issue.transitioned')
  onIssueTransitioned(e: IssueTransitionedEvent): void {
    this.sendIssueFrame(roomsForIssue(e, this.regions), transitionFrame(e));
  }

  /**
   * This instance's sockets get the frame at once; the other instances in one batched
   * inter-server message per RELAY_MS. (A plain adapter broadcast would wait for its NOTIFY round
   * trip before delivering even locally, and send one NOTIFY per frame.)
   */
  private sendIssueFrame(to: string[], frame: IssueFrame): void {
    if (!this.nsp) return;
    this.nsp.local.to(to).emit('issue', frame);
    this.relayQueue.push({ rooms: to, frame });
    this.relayTimer ??= setTimeout(() => {
      this.relayTimer = undefined;
      const frames = this.relayQueue;
      this.relayQueue = [];
      this.nsp.serverSideEmit('issue:frames', frames);
    }, RELAY_MS);
  }

  /** SLA warnings (黄牌) and breaches (红牌) from the SLA engine, after their commit, as issue frames. */
  @OnEvent('sla.warning')
  @OnEvent('sla.breached')
  async onSlaEvent(e: SlaClockEvent): Promise<void> {
    if (!this.nsp) return;
    try {
      const rows: SlaFrameIssue[] = await this.db.query(SLA_FRAME_ISSUE_SQL, [e.issueId]);
      if (!rows[0]) return;
      const { frame, routing } = slaFrame(e.level === 'warning' ? 'sla.warning' : 'sla.breached', e, rows[0]);
      this.sendIssueFrame(roomsForIssue(routing, this.regions), frame);
    } catch (err) {
      this.logger.warn({ msg: 'sla frame failed', issueId: e.issueId, err: String(err) });
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
    if (emit) this.nsp.local.emit('heartbeat', { epoch: this.epoch, at: new Date().toISOString() });
  }

  private onBatch(batch: AppliedBatch): void {
    this.epoch = batch.epoch;
    this.frames.changed(batch.regionIds);
  }

  /** Null when the socket may connect, else the refusal. */
  private async authenticate(socket: LiveSocket): Promise<Error | undefined> {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      return connectError({ code: 'AUTH_REQUIRED', message: 'A token is required in handshake.auth.token' });
    }
    const actor = await this.auth.actorForToken(token);
    if (!actor) return connectError({ code: 'AUTH_REQUIRED', message: 'The token is invalid or expired' });
    socket.data.actor = actor;
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
    // Join first: a batch from now on schedules a frame that chains from the snapshot below.
    await socket.join([rooms.stats(regionId), rooms.region(regionId)]);
    const [stats, feed] = await Promise.all([this.frames.snapshot(regionId), this.wall.feed(regionId)]);
    return { ok: true, snapshot: { ...stats, feed } };
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

  /** Every client message gets an answer through its ack, never an exception. */
  private answer<T>(ack: unknown, handle: () => Promise<T>): void {
    const reply = typeof ack === 'function' ? (ack as (response: unknown) => void) : () => undefined;
    handle().then(reply, (err: unknown) => {
      this.logger.error({ msg: 'live message failed', err: String(err) });
      reply({ ok: false, error: { code: 'INTERNAL_ERROR', message: 'The server could not answer' } satisfies ApiError });
    });
  }
}

function connectError(error: ApiError): Error {
  return Object.assign(new Error(error.message), { data: error });
}
