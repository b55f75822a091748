import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Months of partitions kept ready ahead of today. */
export const PARTITION_MONTHS_AHEAD = 12;
const CHECK_EVERY_MS = 24 * 3600_000;

/** The tables partitioned by month (migrations IssueEventsPartitioned, EventArchivePartitioned). */
const MONTHLY_TABLES = ['issue_events', 'event_archive'] as const;

/**
 * Keeps the monthly partitions of issue_events and event_archive a year ahead: at boot
 * and once a day, on every instance (the function is idempotent; two instances racing on one
 * month is a caught duplicate error, the next run finds it made).
 */
@Injectable()
export class PartitionMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('partitions');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    void this.ensure();
    this.timer = setInterval(() => void this.ensure(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Creates the missing months of every partitioned table; how many it made. */
  async ensure(): Promise<number> {
    let made = 0;
    for (const table of MONTHLY_TABLES) {
      try {
        const rows: { made: number }[] = await this.db.query(
          `SELECT monthly_partitions_ensure($1, now(), now() + make_interval(months => $2)) AS made`,
          [table, PARTITION_MONTHS_AHEAD],
        );
        const n = rows[0]?.made ?? 0;
        if (n > 0) this.logger.log({ msg: 'partitions created', table, made: n });
        made += n;
      } catch (err) {
        this.logger.warn({ msg: 'could not create partitions (retried tomorrow or at the next boot)', table, err: String(err) });
      }
    }
    return made;
  }
}
