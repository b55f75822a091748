import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import type { DemoLogins, LoginResult } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../database/prepare-database';
import { PreparedStatements } from '../database/prepared';
import { ACTOR_SQL, actorFromRow, toUserView, type Actor, type ActorRow } from './actor';
import { DUMMY_HASH, verifyPassword } from './passwords';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

interface LoginRow {
  id: number;
  password_hash: string;
  active: boolean;
  failed_logins: number;
  locked_until: Date | null;
}

interface TokenPayload {
  sub: number;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly clock: ClockService,
    private readonly prepared: PreparedStatements,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string): Promise<LoginResult> {
    const now = this.clock.now();
    const rows: LoginRow[] = await this.db.query(
      'SELECT id, password_hash, active, failed_logins, locked_until FROM users WHERE username = $1',
      [username],
    );
    const user = rows[0];
    if (user?.locked_until && user.locked_until > now) {
      throw new AppException('ACCOUNT_LOCKED', 'Too many failed logins; the account is locked for a while', {
        lockedUntil: user.locked_until.toISOString(),
      });
    }
    const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
    if (!user || !user.active || !ok) {
      if (user) await this.recordFailure(user.id, now);
      throw new AppException('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    await this.db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND failed_logins > 0', [user.id]);
    const actor = await this.loadActor(user.id);
    if (!actor) throw new AppException('INVALID_CREDENTIALS', 'Wrong username or password');
    const accessToken = await this.jwt.signAsync({ sub: user.id } satisfies TokenPayload);
    return { accessToken, expiresIn: this.config.jwtTtlSeconds, user: toUserView(actor) };
  }

  /** Demo logins only where demo data is seeded (never in production, where seeding is refused). */
  async demoLogins(): Promise<DemoLogins> {
    if (!this.config.seedDemo) return { password: null, accounts: [] };
    const accounts: DemoLogins['accounts'] = await this.db.query(
      'SELECT username, role FROM users WHERE username = ANY($1) AND active ORDER BY array_position($1, username)',
      [DEMO_LOGINS],
    );
    return { password: accounts.length ? DEMO_PASSWORD : null, accounts };
  }

  /** The fifth failure in a row locks the account for LOCK_MINUTES and restarts the count. */
  private async recordFailure(userId: number, now: Date): Promise<void> {
    const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000);
    await this.db.query(
      `UPDATE users
          SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
              locked_until  = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
        WHERE id = $1`,
      [userId, MAX_FAILED_LOGINS, lockUntil],
    );
  }

  /** The caller behind a bearer token, or null when the token or the user is no longer valid. */
  async actorForToken(token: string): Promise<Actor | null> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch {
      return null;
    }
    return Number.isInteger(payload.sub) ? this.loadActor(payload.sub) : null;
  }

  async loadActor(userId: number): Promise<Actor | null> {
    const rows = await this.prepared.query<ActorRow>('actor-by-id', ACTOR_SQL, [userId]);
    const row = rows[0];
    return row && row.active ? actorFromRow(row) : null;
  }
}
