import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * Reads that may trail the primary by a replica's lag: KPI reports and the wall's opening feed.
 * With DATABASE_READ_URL (a streaming replica) they go there, on a small pool of their own;
 * without it, to the primary. Stats frames stay on the primary: their version chain must follow
 * the applier's commits (a replica could hand out a version older than the one just announced).
 */
@Injectable()
export class ReadReplica implements OnModuleDestroy {
  private readonly logger = new Logger('ReadReplica');
  private readonly pool: Pool | null;

  constructor(
    private readonly primary: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pool = config.databaseReadUrl
      ? new Pool({
          connectionString: config.databaseReadUrl,
          max: config.databaseReadPoolSize,
          application_name: 'gridline-read',
          ...(config.databaseStatementTimeoutMs > 0 ? { statement_timeout: config.databaseStatementTimeoutMs } : {}),
        })
      : null;
    this.pool?.on('error', (err) => this.logger.warn({ msg: 'read replica connection error', err: err.message }));
  }

  get usesReplica(): boolean {
    return this.pool !== null;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.pool) return this.primary.query(sql, params);
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
