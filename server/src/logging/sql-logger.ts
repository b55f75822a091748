import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import { logger } from './logger';

/** Statements slower than this are logged (without their parameters) at warn. */
export const SLOW_QUERY_MS = 1_000;

/**
 * TypeORM's logger on pino: failed and slow statements, with the request id of the request that
 * ran them (from the async context) and never their parameters, which carry what people typed.
 */
export class SqlLogger implements TypeOrmLogger {
  logQuery(query: string): void {
    if (logger.isLevelEnabled('debug')) logger.debug({ context: 'sql', sql: clip(query) }, 'query');
  }
  logQueryError(error: string | Error, query: string): void {
    logger.warn({ context: 'sql', sql: clip(query), err: String(error) }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    logger.warn({ context: 'sql', sql: clip(query), ms: time }, 'slow query');
  }
  logSchemaBuild(message: string): void {
    logger.debug({ context: 'sql' }, message);
  }
  logMigration(message: string): void {
    logger.info({ context: 'migrations' }, message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown, _queryRunner?: QueryRunner): void {
    logger[level === 'warn' ? 'warn' : 'debug']({ context: 'sql' }, String(message));
  }
}

function clip(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}
