import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppException } from '../../common/app.exception';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { LOGIN_CODE } from './login-codes';

/** Wrong codes one IP address may try per hour, across phones (each code also burns after five). */
const LOGINS_PER_IP_HOUR = 60;

/**
 * The sign-in rate limits, counted in PostgreSQL (rate-limiter-flexible's Postgres store on the
 * app's `pg` pool, table `rate_limits` from the migrations) so they hold across instances.
 */
@Injectable()
export class ResidentRateLimits {
  private readonly codePerPhone: RateLimiterPostgres;
  private readonly codePerIp: RateLimiterPostgres;
  private readonly loginPerIp: RateLimiterPostgres;

  constructor(db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    const pool = (db.driver as PostgresDriver).master as Pool;
    const store = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        // Expired rows are overwritten on the next use; the library's timer would also sweep them every 5 min.
        clearExpiredByTimeout: false,
        keyPrefix,
        points,
        duration,
      });
    this.codePerPhone = store('resident-code-phone', 1, LOGIN_CODE.perPhoneSeconds);
    this.codePerIp = store('resident-code-ip', config.residentCodesPerIpHour, 3600);
    this.loginPerIp = store('resident-login-ip', LOGINS_PER_IP_HOUR, 3600);
  }

  /** Counts a code request; 429 RATE_LIMITED with `retryAfterSeconds` when the IP or the phone is over its limit. */
  async codeRequested(ip: string, phoneKey: string): Promise<void> {
    await consume(this.codePerIp, ip, 'Too many sign-in codes from this address; try again later');
    await consume(this.codePerPhone, phoneKey, 'A code was sent to this number less than a minute ago');
  }

  async loginAttempted(ip: string): Promise<void> {
    await consume(this.loginPerIp, ip, 'Too many sign-in attempts from this address; try again later');
  }
}

async function consume(limiter: RateLimiterPostgres, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    throw new AppException('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) });
  }
}
