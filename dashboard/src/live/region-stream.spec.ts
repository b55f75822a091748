import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { IssueFrame, PoolFrame, StatsFrame, SubscribeAck, WallSnapshot, WallStats } from '@gridline/shared';
import { RegionStream, type LiveSocket, type RegionStreamState } from './region-stream';

type Handler = (...args: any[]) => void;

/** The part of a socket.io client socket RegionStream uses, driven by the test as "the server". */
class FakeSocket {
  connected = false;
  active = false;
  readonly handlers = new Map<string, Handler[]>();
  /** Subscribe requests waiting for the test to answer. */
  readonly subscribes: { regionId: number; ack: (err: Error | null, answer?: SubscribeAck) => void }[] = [];
  readonly unsubscribed: number[] = [];
  auth: { token: string } | null = null;

  constructor(private readonly authFn: (cb: (data: { token: string }) => void) => void) {}

  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  timeout() {
    return {
      emit: (event: string, request: { regionId: number }, ack: (err: Error | null, answer?: SubscribeAck) => void) => {
        if (event === 'subscribe') this.subscribes.push({ regionId: request.regionId, ack });
      },
    };
  }
  emit(event: string, request: { regionId: number }) {
    if (event === 'unsubscribe') this.unsubscribed.push(request.regionId);
    return this;
  }
  connect() {
    this.authFn((data) => (this.auth = data));
    this.connected = true;
    this.active = true;
    this.fire('connect');
    return this;
  }
  disconnect() {
    this.connected = false;
    this.active = false;
    return this;
  }
  /** The connection drops (socket.io will retry by itself). */
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  /** Answers the oldest pending subscribe. */
  answer(snapshot: WallSnapshot) {
    const next = this.subscribes.shift();
    if (!next) throw new Error('no subscribe pending');
    next.ack(null, { ok: true, snapshot });
  }
}

function stats(patch: Partial<WallStats>): WallStats {
  return { epoch: 'e1', version: 10, regionId: 2, total: { reported: 100 }, ...patch } as unknown as WallStats;
}
const snapshot = (patch: Partial<WallStats>, feed: IssueFrame[] = []): WallSnapshot => ({ ...stats(patch), feed });
const frame = (version: number, previousVersion: number, patch: Partial<WallStats> = {}): StatsFrame => ({
  ...stats({ version, ...patch }),
  previousVersion,
});
const issue = (issueId: number, streetId: number): IssueFrame =>
  ({
    issueId,
    issueVersion: 1,
    action: 'report',
    streetId,
    districtId: 2,
    communityId: 0,
    gridId: 0,
    at: new Date(issueId * 1000).toISOString(),
  }) as IssueFrame;

let socket: FakeSocket;
let states: RegionStreamState[];
let pools: PoolFrame[];
let stream: RegionStream;
const last = () => states[states.length - 1]!;

beforeEach(() => {
  jest.useFakeTimers();
  states = [];
  pools = [];
  stream = new RegionStream({
    onPool: (f) => pools.push(f),
    token: () => 'jwt-1',
    levelOf: (id) => (id === 2 ? 'district' : 'street'),
    onChange: (state) => states.push(state),
    socket: (auth) => (socket = new FakeSocket(auth)) as unknown as LiveSocket,
  });
});
afterEach(() => {
  stream.stop();
  jest.useRealTimers();
});

describe('RegionStream', () => {
  it('connects with the token in the handshake and subscribes to the region for a snapshot', () => {
    stream.setRegion(2);
    expect(socket.auth).toEqual({ token: 'jwt-1' });
    expect(socket.subscribes.map((s) => s.regionId)).toEqual([2]);
    socket.answer(snapshot({ version: 10 }, [issue(1, 3)]));
    expect(last()).toMatchObject({ connection: 'live', snapshots: 1, stats: { version: 10, regionId: 2 } });
    expect(last().feed.map((f) => f.issueId)).toEqual([1]);
  });

  it('applies frames that chain on the version on screen, and asks for a snapshot after a gap', () => {
    stream.setRegion(2);
    socket.answer(snapshot({ version: 10 }));
    socket.fire('stats', frame(12, 10, { total: { reported: 101 } as WallStats['total'] }));
    expect(last().stats).toMatchObject({ version: 12, total: { reported: 101 } });
    expect(last().stats).not.toHaveProperty('previousVersion');

    socket.fire('stats', frame(15, 14)); // 12 → 14 was missed
    expect(last().stats?.version).toBe(12); // nothing half-updated on screen
    expect(socket.subscribes.map((s) => s.regionId)).toEqual([2]);
    socket.answer(snapshot({ version: 15 }));
    expect(last()).toMatchObject({ snapshots: 2, stats: { version: 15 }, connection: 'live' });
  });

  it('keeps frames that arrive before the ack and applies the ones chaining on the snapshot', () => {
    stream.setRegion(2);
    socket.fire('stats', frame(10, 9)); // already in the snapshot
    socket.fire('stats', frame(11, 10));
    socket.answer(snapshot({ version: 10 }));
    expect(last().stats?.version).toBe(11);
    expect(socket.subscribes).toHaveLength(0);
  });

  it('takes a new snapshot after a reconnect and after a new epoch', () => {
    stream.setRegion(2);
    socket.answer(snapshot({ version: 10 }));
    socket.drop();
    expect(last().connection).toBe('reconnecting');
    socket.connect();
    expect(socket.subscribes).toHaveLength(1);
    socket.answer(snapshot({ version: 20 }));
    expect(last()).toMatchObject({ connection: 'live', snapshots: 2 });

    socket.fire('heartbeat', { epoch: 'e2', at: new Date().toISOString() });
    expect(socket.subscribes).toHaveLength(1);
    socket.answer(snapshot({ version: 1, epoch: 'e2' }));
    expect(last().stats).toMatchObject({ epoch: 'e2', version: 1 });
  });

  it('notes the time of every frame, heartbeats included (for the stale badge)', () => {
    stream.setRegion(2);
    socket.answer(snapshot({ version: 10 }));
    jest.setSystemTime(Date.now() + 7_000);
    socket.fire('heartbeat', { epoch: 'e1', at: new Date().toISOString() });
    expect(last().lastFrameAt).toBe(Date.now());
  });

  it('switches region: unsubscribes the old one, drops late frames of it, keeps the feed to the new subtree', () => {
    stream.setRegion(2);
    socket.answer(snapshot({ version: 10 }, [issue(1, 3), issue(2, 4)]));
    stream.setRegion(3);
    expect(socket.unsubscribed).toEqual([2]);
    expect(last().feed).toEqual([]);
    socket.fire('stats', frame(11, 10)); // of region 2, while 3's snapshot is on its way
    socket.answer(snapshot({ version: 11, regionId: 3 }, [issue(1, 3)]));
    expect(last().stats).toMatchObject({ regionId: 3, version: 11 });
    socket.fire('issues', [issue(5, 4)]); // another street
    socket.fire('issues', [issue(6, 3)]);
    expect(last().feed.map((f) => f.issueId)).toEqual([6, 1]);
  });

  it("hands on the pool frames of the region on screen, not another street's", () => {
    const pool = (poolItemId: number, streetId: number) => ({ type: 'pool.claimed', poolItemId, streetId, districtId: 2 }) as PoolFrame;
    stream.setRegion(3);
    socket.answer(snapshot({ version: 10, regionId: 3 }));
    socket.fire('pool', pool(1, 4));
    socket.fire('pool', pool(2, 3));
    expect(pools.map((f) => f.poolItemId)).toEqual([2]);
    expect(last().lastFrameAt).toBe(Date.now());
  });

  it('drops the ack of a subscribe superseded by a newer one', () => {
    stream.setRegion(2);
    stream.setRegion(3);
    const [first, second] = socket.subscribes.splice(0);
    second!.ack(null, { ok: true, snapshot: snapshot({ regionId: 3, version: 7 }) });
    first!.ack(null, { ok: true, snapshot: snapshot({ regionId: 2, version: 9 }) });
    expect(last().stats).toMatchObject({ regionId: 3, version: 7 });
  });

  it('reports a refused subscribe, and retries only what may pass', () => {
    stream.setRegion(9);
    socket.subscribes.shift()!.ack(null, { ok: false, error: { code: 'NOT_FOUND', message: 'Region 9 not found' } });
    expect(last().error?.code).toBe('NOT_FOUND');
    jest.advanceTimersByTime(10_000);
    expect(socket.subscribes).toHaveLength(0);

    stream.setRegion(2);
    socket.subscribes.shift()!.ack(null, { ok: false, error: { code: 'INTERNAL_ERROR', message: 'later' } });
    jest.advanceTimersByTime(10_000);
    expect(socket.subscribes.map((s) => s.regionId)).toEqual([2]);
  });

  it('asks again when the ack never comes', () => {
    stream.setRegion(2);
    socket.subscribes.shift()!.ack(new Error('operation has timed out'));
    jest.advanceTimersByTime(5_000);
    expect(socket.subscribes.map((s) => s.regionId)).toEqual([2]);
  });

  it('says unauthorized when the server refuses the token, and does not retry by itself', () => {
    stream.setRegion(2);
    socket.active = false;
    socket.fire('connect_error', Object.assign(new Error('invalid'), { data: { code: 'AUTH_REQUIRED', message: 'no' } }));
    expect(last().connection).toBe('unauthorized');
  });
});
