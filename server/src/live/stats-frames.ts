import { Logger } from '@nestjs/common';
import { LIVE_MAX_STATS_FRAMES_PER_SECOND, type StatsFrame, type WallStats } from '@gridline/shared';
import type { RegionStats } from '../stats/wall-stats.service';

export const MIN_FRAME_INTERVAL_MS = Math.ceil(1000 / LIVE_MAX_STATS_FRAMES_PER_SECOND);

export interface StatsFramesPorts {
  read(regionId: number): Promise<RegionStats>;
  /** Whether any socket of this instance is in the region's stats room. */
  watched(regionId: number): boolean;
  emit(regionId: number, frame: StatsFrame): void;
}

/**
 * The stats frames of this instance's rooms, coalesced: whatever the number of batches, a room
 * gets at most one frame per MIN_FRAME_INTERVAL_MS, read fresh from the roll-ups when it goes.
 * Each room has a chain: a frame's `previousVersion` is the version of the room's previous frame
 * or snapshot, and a new subscriber's snapshot is that same last state, so every member of a
 * room sees one unbroken chain. Work per region is serialised, so frames never go out of order.
 */
export class StatsFrames {
  private readonly logger = new Logger('StatsFrames');
  private readonly last = new Map<number, WallStats>();
  private readonly lastSentAt = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly phase = new Map<number, 'scheduled' | 'flushing' | 'dirty'>();
  private readonly queues = new Map<number, Promise<unknown>>();

  constructor(private readonly ports: StatsFramesPorts) {}

  /** The state a new subscriber starts from: the room's last frame, or a fresh read. */
  snapshot(regionId: number): Promise<WallStats> {
    return this.serial(regionId, async () => {
      const known = this.last.get(regionId);
      if (known) return known;
      const { reportedTodayByStatus: _, ...stats } = await this.ports.read(regionId);
      this.last.set(regionId, stats);
      return stats;
    });
  }

  /** These regions' numbers changed: schedule one frame per watched room (a change during a flush schedules the next). */
  changed(regionIds: readonly number[]): void {
    for (const id of regionIds) {
      const phase = this.phase.get(id);
      if (phase === 'scheduled' || phase === 'dirty' || !this.ports.watched(id)) continue;
      if (phase === 'flushing') this.phase.set(id, 'dirty');
      else this.arm(id);
    }
  }

  private arm(id: number): void {
    this.phase.set(id, 'scheduled');
    const wait = Math.max(0, (this.lastSentAt.get(id) ?? 0) + MIN_FRAME_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      this.phase.set(id, 'flushing');
      this.flush(id)
        .catch((err: unknown) => this.logger.error({ msg: 'stats frame failed', regionId: id, err: String(err) }))
        .finally(() => {
          if (this.timers.get(id) !== timer) return; // forgotten meanwhile
          this.timers.delete(id);
          if (this.phase.get(id) === 'dirty') this.arm(id);
          else this.phase.delete(id);
        });
    }, wait);
    this.timers.set(id, timer);
  }

  /** The room emptied: forget its chain (a later subscriber starts a new one from a fresh read). */
  forget(regionId: number): void {
    clearTimeout(this.timers.get(regionId));
    this.timers.delete(regionId);
    this.phase.delete(regionId);
    this.last.delete(regionId);
  }

  /** The counter store was rebuilt: every room starts a new chain from a fresh read. */
  reset(): void {
    for (const id of [...this.last.keys()]) this.forget(id);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.phase.clear();
  }

  private flush(regionId: number): Promise<void> {
    return this.serial(regionId, async () => {
      const previous = this.last.get(regionId);
      if (!previous || !this.ports.watched(regionId)) return;
      const { reportedTodayByStatus: _, ...stats } = await this.ports.read(regionId);
      if (stats.version <= previous.version && stats.epoch === previous.epoch) return;
      this.last.set(regionId, stats);
      this.lastSentAt.set(regionId, Date.now());
      this.ports.emit(regionId, Object.assign({}, stats, { previousVersion: previous.version }));
    });
  }

  private serial<T>(regionId: number, fn: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(regionId) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.queues.set(regionId, tail);
    void tail.then(() => {
      if (this.queues.get(regionId) === tail) this.queues.delete(regionId);
    });
    return run;
  }
}
