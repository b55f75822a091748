import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { insertEvent } from '../issues/issue-writes';
import { Issue } from '../issues/issue.entity';
import { SlaClocksService } from '../sla/sla-clocks.service';

/** Lapses handled per sweep. */
const BATCH = 100;

/**
 * A request for information waits at most 3 working days: then it lapses and the handle clock
 * runs again, as if answered. Rows, not timers: the sweep finds lapsed requests by time, claims
 * each with SKIP LOCKED (several instances sweep at once, each lapse happens once), and resumes
 * the clock in the issue's own lock, like a workflow action.
 */
@Injectable()
export class InfoRequestLapses implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('info-requests');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly sla: SlaClocksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // The SLA sweep's cadence is plenty: a lapse is due to the working day, not the second.
    if (this.config.slaSweepMs > 0) this.timer = setInterval(() => void this.tick(), Math.max(this.config.slaSweepMs, 5000));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => 0);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      await this.sweepOnce();
    } catch (err) {
      this.logger.error({ msg: 'info request sweep failed', err: String(err) });
    }
  }

  /** Lapses what is due now; returns how many. Tests call it directly. */
  sweepOnce(): Promise<number> {
    this.running = this.sweep().finally(() => (this.running = null));
    return this.running;
  }

  private async sweep(): Promise<number> {
    let lapsed = 0;
    for (;;) {
      const now = this.clock.now();
      const n = await this.db.transaction(async (tx) => {
        const due: { id: number; issue_id: number }[] = await tx.query(
          `SELECT id, issue_id FROM info_requests WHERE status = 'open' AND lapses_at <= $1 ORDER BY lapses_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [now, BATCH],
        );
        for (const r of due) {
          const issue = await tx.getRepository(Issue).findOne({ where: { id: r.issue_id }, lock: { mode: 'pessimistic_write' } });
          await tx.query(`UPDATE info_requests SET status = 'lapsed', closed_at = $2 WHERE id = $1`, [r.id, now]);
          if (!issue) continue;
          // Only a task still being worked waits on the clock; a resolved or held one has its own clock state.
          const sla = issue.status === 'in_progress' ? await this.sla.onTransition(tx, issue, 'provide_info', issue.status, now) : null;
          await insertEvent(tx, {
            issueId: issue.id,
            type: 'info_request_lapsed',
            fromStatus: issue.status,
            toStatus: issue.status,
            actorId: null,
            note: null,
            data: { infoRequestId: r.id, ...(sla?.summary ? { sla: sla.summary } : {}) },
            at: now,
          });
        }
        return due.length;
      });
      lapsed += n;
      if (n < BATCH) return lapsed;
    }
  }
}
