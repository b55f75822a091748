import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import type { DemoLogins, LoginResult } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../database/prepare-database';
import { PreparedStatements } from '../database/prepared';
import { ACTOR_SQL, SESSION_ACTORS_SQL, actorFromRow, toUserView, type Actor, type ActorRow, type SessionColumns } from './actor';
import { lockMinutes, MAX_FAILED_LOGINS, usernameKey, type ClientInfo } from './login-throttle';
import { hashPassword, DUMMY_HASH, verifyPassword } from './passwords';
import { passwordProblem } from './password-policy';
import { SessionClock } from './session-clock';
import { endSessionsOf, TOUCH_MS } from './sessions';
import { EventBus } from '../events/event-bus.service';
import { BatchLoader } from '../common/batch-loader';
import { parseTokenClaims, type SignedClaims } from './token-claims';

interface LoginRow {
  id: number;
  username: string;
  password_hash: string;
  active: boolean;
  token_version: number;
}

type LoginOutcome = 'success' | 'failure' | 'locked' | 'lockout';

/** The lock durations by how many locks the pair had, so the SQL below follows lockMinutes. */
const LOCK_SCHEDULE = Array.from({ length: 17 }, (_, i) => lockMinutes(i));

/** A bearer token checked: the caller and their session, or why it is refused. */
export type TokenCheck = { ok: true; actor: Actor; sessionId: string } | { ok: false; code: 'AUTH_REQUIRED' | 'SESSION_EXPIRED' };

type SessionActorRow = ActorRow & SessionColumns & { ord: string };
interface SessionKey {
  userId: number;
  sessionId: string;
}

@Injectable()
export class AuthService {
  /** The tokens checked in the same turn of the event loop share one statement (a burst of socket handshakes, concurrent requests). */
  private readonly sessionActors = new BatchLoader<SessionKey, ActorRow & SessionColumns>({
    keyOf: (k) => `${k.userId}:${k.sessionId}`,
    loadMany: async (keys) => {
      const rows = await this.prepared.query<SessionActorRow>('session-actors', SESSION_ACTORS_SQL, [
        keys.map((k) => k.userId),
        keys.map((k) => k.sessionId),
      ]);
      const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
      return keys.map((_, i) => byOrd.get(i + 1));
    },
  });

  constructor(
    private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly clock: ClockService,
    private readonly sessionClock: SessionClock,
    private readonly prepared: PreparedStatements,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Unknown usernames go through the same steps as known ones (a dummy hash is verified, the
   * pair is counted and locked alike), so neither the answer nor its timing tells them apart.
   */
  async login(username: string, password: string, client: ClientInfo): Promise<LoginResult> {
    const now = this.clock.now();
    const key = usernameKey(username);
    const [throttle] = (await this.db.query('SELECT locked_until FROM login_throttle WHERE username_key = $1 AND ip = $2', [
      key,
      client.ip,
    ])) as { locked_until: Date | null }[];
    const rows: LoginRow[] = await this.db.query(
      'SELECT id, username, password_hash, active, token_version FROM users WHERE username = $1',
      [username],
    );
    const user = rows[0];
    if (throttle?.locked_until && throttle.locked_until > now) {
      await this.audit(now, username, user?.id ?? null, 'locked', client);
      throw new AppException('ACCOUNT_LOCKED', 'Too many failed logins; the account is locked for a while', {
        lockedUntil: throttle.locked_until.toISOString(),
      });
    }
    const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
    if (!user || !user.active || !ok) {
      const locked = await this.recordFailure(key, client.ip, now);
      await this.audit(now, username, user?.id ?? null, locked ? 'lockout' : 'failure', client);
      throw new AppException('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    await this.db.query('DELETE FROM login_throttle WHERE username_key = $1 AND ip = $2', [key, client.ip]);
    const actor = await this.loadActor(user.id);
    if (!actor) throw new AppException('INVALID_CREDENTIALS', 'Wrong username or password');
    await this.audit(now, username, user.id, 'success', client);
    return this.issue(actor, user.token_version, client);
  }

  /** A session for a user whose identity was proven another way (a resident's one-time code). */
  async signIn(userId: number, client: ClientInfo): Promise<LoginResult> {
    const actor = await this.loadActor(userId);
    if (!actor) throw new AppException('INVALID_CREDENTIALS', 'Wrong phone number or code');
    const [row] = (await this.db.query('SELECT token_version FROM users WHERE id = $1', [userId])) as { token_version: number }[];
    return this.issue(actor, row!.token_version, client);
  }

  /** The user changes their own password: the old one proves it is them; every session ends, a new one starts. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string, client: ClientInfo): Promise<LoginResult> {
    const [row] = (await this.db.query('SELECT password_hash FROM users WHERE id = $1', [actor.id])) as { password_hash: string }[];
    if (!row || !(await verifyPassword(row.password_hash, currentPassword))) {
      throw new AppException('INVALID_CREDENTIALS', 'The current password is wrong');
    }
    const problem = passwordProblem(actor.username, newPassword, this.config.env === 'production');
    if (problem) throw new AppException('PASSWORD_TOO_WEAK', problem, { field: 'newPassword' });
    const passwordHash = await hashPassword(newPassword);
    const version = await this.db.transaction(async (tx) => {
      await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [actor.id, passwordHash]);
      await endSessionsOf(tx, actor.id, this.sessionClock.now());
      const [v] = (await tx.query('SELECT token_version FROM users WHERE id = $1', [actor.id])) as { token_version: number }[];
      return v!.token_version;
    });
    this.publishUserChanged(actor.id);
    return this.issue(actor, version, client);
  }

  /** Open sockets of the user re-check their token, here and on the other instances (the event bus). */
  private publishUserChanged(userId: number): void {
    this.bus.signal('auth.users_changed', { userIds: [userId] });
  }

  /** Ends the caller's session (logout). */
  async endSession(sessionId: string): Promise<void> {
    await this.db.query('UPDATE user_sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL', [sessionId, this.sessionClock.now()]);
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

  /** Counts a failure of the (username, IP) pair in one statement; true when this one locked it. */
  private async recordFailure(key: string, ip: string, now: Date): Promise<boolean> {
    const [row] = (await this.db.query(
      `INSERT INTO login_throttle AS t (username_key, ip, failures, locks, locked_until, updated_at)
       VALUES ($1, $2, 1, 0, NULL, $3)
       ON CONFLICT (username_key, ip) DO UPDATE SET
         failures     = CASE WHEN t.failures + 1 >= $4 THEN 0 ELSE t.failures + 1 END,
         locks        = CASE WHEN t.failures + 1 >= $4 THEN t.locks + 1 ELSE t.locks END,
         locked_until = CASE WHEN t.failures + 1 >= $4
                             THEN $3::timestamptz + make_interval(mins => ($5::int[])[least(t.locks, 16) + 1])
                             ELSE t.locked_until END,
         updated_at   = $3
       RETURNING (failures = 0 AND locked_until > $3) AS locked`,
      [key, ip, now, MAX_FAILED_LOGINS, LOCK_SCHEDULE],
    )) as { locked: boolean }[];
    return row?.locked ?? false;
  }

  private async audit(now: Date, username: string, userId: number | null, outcome: LoginOutcome, client: ClientInfo): Promise<void> {
    await this.db.query('INSERT INTO login_audit (at, username, user_id, outcome, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)', [
      now,
      username.slice(0, 64),
      userId,
      outcome,
      client.ip,
      client.userAgent,
    ]);
  }

  private async issue(actor: Actor, version: number, client: ClientInfo): Promise<LoginResult> {
    const at = this.sessionClock.now();
    const [session] = (await this.db.query(
      'INSERT INTO user_sessions (user_id, created_at, last_seen_at, ip, user_agent) VALUES ($1, $2, $2, $3, $4) RETURNING id',
      [actor.id, at, client.ip, client.userAgent],
    )) as { id: string }[];
    const claims: SignedClaims = { sub: actor.id, sid: session!.id, ver: version };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, expiresIn: this.config.jwtTtlSeconds, user: toUserView(actor) };
  }

  /**
   * A bearer token checked against the database on every request (one query, shared with the
   * tokens checked at the same moment): signature and
   * expiry, typed claims, the user still active with the same token version, the session open
   * and not idle for longer than SESSION_IDLE_MINUTES. Its last request is written at most once
   * per TOUCH_MS, so activity costs no write per request.
   */
  async checkToken(token: string): Promise<TokenCheck> {
    let claims: ReturnType<typeof parseTokenClaims>;
    try {
      claims = parseTokenClaims(await this.jwt.verifyAsync<object>(token));
    } catch {
      return { ok: false, code: 'AUTH_REQUIRED' };
    }
    if (!claims) return { ok: false, code: 'AUTH_REQUIRED' };
    const row = await this.sessionActors.load({ userId: claims.sub, sessionId: claims.sid });
    if (!row || !row.active || row.token_version !== claims.ver || !row.session_id || !row.last_seen_at || row.ended_at) {
      return { ok: false, code: 'AUTH_REQUIRED' };
    }
    const now = this.sessionClock.now();
    const idle = now.getTime() - new Date(row.last_seen_at).getTime();
    if (idle > this.config.sessionIdleMinutes * 60_000) {
      await this.endSession(claims.sid);
      return { ok: false, code: 'SESSION_EXPIRED' };
    }
    if (idle > TOUCH_MS)
      await this.db.query('UPDATE user_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [claims.sid, now]);
    return { ok: true, actor: actorFromRow(row), sessionId: claims.sid };
  }

  /** The caller behind a bearer token, or null when the token, the session or the user is no longer valid. */
  async actorForToken(token: string): Promise<Actor | null> {
    const check = await this.checkToken(token);
    return check.ok ? check.actor : null;
  }

  /** An open live socket counts as activity: its sessions stay alive while it is connected. */
  async touchSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const now = this.sessionClock.now();
    await this.db.query(
      'UPDATE user_sessions SET last_seen_at = $2 WHERE id = ANY($1::uuid[]) AND ended_at IS NULL AND last_seen_at < $3',
      [sessionIds, now, new Date(now.getTime() - TOUCH_MS)],
    );
  }

  async loadActor(userId: number): Promise<Actor | null> {
    const rows = await this.prepared.query<ActorRow>('actor-by-id', ACTOR_SQL, [userId]);
    const row = rows[0];
    return row && row.active ? actorFromRow(row) : null;
  }
}
