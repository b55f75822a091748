import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdminUserView, Page, Role } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { passwordProblem } from '../../auth/password-policy';
import { hashPassword } from '../../auth/passwords';
import { endSessionsOf } from '../../auth/sessions';
import { SessionClock } from '../../auth/session-clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ListTotals } from '../../common/list-totals';
import { AppException } from '../../common/app.exception';
import { ClockService } from '../../common/clock.service';
import { AdminChanges, type AdminTx } from '../core/admin-changes.service';
import { changedFields } from '../core/admin-controller';
import { ConfigInvalidation } from '../core/config-invalidation.service';
import type { CreateUserDto, ListUsersQuery, ResetPasswordDto, UpdateUserDto } from './user.dto';
import { scopeFor, type Scope } from './user-scope';
import { containsPattern } from '../../common/text-contains';

/** Never password_hash: this is what leaves the server, and what the audit records. */
const COLUMNS = `id, username, (SELECT b.display_name FROM users b WHERE b.id = users.backup_user_id) AS "backupName", display_name AS "displayName", role, department_id AS "departmentId", region_id AS "regionId",
  grid_ids AS "gridIds", backup_user_id AS "backupUserId", away, active,
  (SELECT max(t.locked_until) FROM login_throttle t WHERE t.username_key = lower(users.username)) AS "lockedUntil", created_at AS "createdAt"`;

interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  regionId: number | null;
  gridIds: number[];
  backupUserId: number | null;
  backupName: string | null;
  away: boolean;
  active: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
}

/** What the audit keeps of a user (no login counters, no hash). */
const snapshot = (u: UserRow) => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  departmentId: u.departmentId,
  regionId: u.regionId,
  gridIds: u.gridIds,
  backupUserId: u.backupUserId,
  away: u.away,
  active: u.active,
});

/** A change to these fields ends the user's sessions: their tokens were issued for another scope or status. */
const SESSION_FIELDS = ['active', 'role', 'departmentId', 'regionId', 'gridIds'];

/** Users: search, create (argon2id), role and scope, AB 岗 backup, away, deactivate, reset password, unlock. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
    private readonly clock: ClockService,
    private readonly sessionClock: SessionClock,
    private readonly invalidation: ConfigInvalidation,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly totals: ListTotals,
  ) {}

  private checkPassword(username: string, password: string): void {
    const problem = passwordProblem(username, password, this.config.env === 'production');
    if (problem) throw new AppException('PASSWORD_TOO_WEAK', problem, { field: 'password' });
  }

  /** After commit: open sockets of these users re-check their token and rooms (here and on every instance). */
  private async usersChanged(userIds: (number | null)[]): Promise<void> {
    await this.invalidation.publishUsers(userIds.filter((id): id is number => id !== null)).catch(() => undefined);
  }

  async list(query: ListUsersQuery): Promise<Page<AdminUserView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const params: unknown[] = [query.q ? containsPattern(query.q) : null, query.role ?? null, query.active ?? null];
    const where = `($1::text IS NULL OR username ILIKE $1 OR display_name ILIKE $1)
      AND ($2::text IS NULL OR role = $2) AND ($3::boolean IS NULL OR active = $3)`;
    const [rows, totals] = await Promise.all([
      this.db.query(`SELECT ${COLUMNS} FROM users WHERE ${where} ORDER BY id LIMIT $4 OFFSET $5`, [
        ...params,
        pageSize,
        (page - 1) * pageSize,
      ]) as Promise<UserRow[]>,
      this.totals.count(`users WHERE ${where}`, params),
    ]);
    return { items: rows.map((r) => this.view(r)), page, pageSize, ...totals };
  }

  async detail(id: number): Promise<AdminUserView> {
    const [row] = (await this.db.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])) as UserRow[];
    if (!row) throw new AppException('NOT_FOUND', `User ${id} does not exist`);
    return this.view(row);
  }

  async create(actor: Actor, input: CreateUserDto): Promise<AdminUserView> {
    const scope = scopeFor(input.role, input);
    this.checkPassword(input.username, input.password);
    const passwordHash = await hashPassword(input.password);
    return this.changes.apply(actor, [], async (tx) => {
      const [taken] = await tx.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [input.username]);
      if (taken) throw new AppException('USERNAME_TAKEN', `The username ${input.username} is taken`, { field: 'username' });
      await this.checkScopeRefs(tx, scope);
      await this.checkBackup(tx, null, input.role, input.backupUserId ?? null);
      const [row] = await tx.query<UserRow>(
        `INSERT INTO users (username, display_name, password_hash, role, department_id, region_id, grid_ids, backup_user_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [
          input.username,
          input.displayName,
          passwordHash,
          input.role,
          scope.departmentId,
          scope.regionId,
          scope.gridIds,
          input.backupUserId ?? null,
          tx.now,
        ],
      );
      await tx.audit({ entityType: 'user', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      return this.view(row!);
    });
  }

  async update(actor: Actor, id: number, input: UpdateUserDto): Promise<AdminUserView> {
    const touched: (number | null)[] = [];
    const view = await this.changes.apply(actor, [], async (tx) => {
      const before = await this.lock(tx, id);
      const role = input.role ?? before.role;
      if (id === actor.id && (role !== before.role || input.active === false)) {
        throw new AppException('SELF_LOCKOUT', 'You cannot change your own role or deactivate yourself', {
          field: input.active === false ? 'active' : 'role',
        });
      }
      const scopeSent = { departmentId: input.departmentId, regionId: input.regionId, gridIds: input.gridIds };
      const scope: Scope = scopeFor(role, scopeSent, before, before.role);
      const backupUserId = input.backupUserId !== undefined ? input.backupUserId : before.backupUserId;
      const next: UserRow = {
        ...before,
        ...scope,
        role,
        displayName: input.displayName ?? before.displayName,
        backupUserId,
        away: input.away ?? before.away,
        active: input.active ?? before.active,
      };
      const changed = changedFields(snapshot(before), snapshot(next));
      if (changed.length === 0) return this.view(before);
      if (changed.some((f) => f === 'departmentId' || f === 'regionId' || f === 'gridIds')) await this.checkScopeRefs(tx, scope);
      if (changed.includes('backupUserId') || changed.includes('role')) await this.checkBackup(tx, id, role, backupUserId);
      await tx.query(
        `UPDATE users SET display_name = $2, role = $3, department_id = $4, region_id = $5, grid_ids = $6,
                backup_user_id = $7, away = $8, active = $9 WHERE id = $1`,
        [id, next.displayName, next.role, next.departmentId, next.regionId, next.gridIds, next.backupUserId, next.away, next.active],
      );
      if (changed.some((f) => SESSION_FIELDS.includes(f))) await endSessionsOf(tx, id, this.sessionClock.now());
      // The user, and the backups whose AB 岗 scope grows or shrinks with this one's away or backup.
      touched.push(id, before.backupUserId, next.backupUserId);
      const action = before.active !== next.active ? (next.active ? 'activate' : 'deactivate') : 'update';
      await tx.audit({ entityType: 'user', entityId: id, action, before: snapshot(before), after: snapshot(next) });
      const [fresh] = await tx.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return this.view(fresh!);
    });
    await this.usersChanged(touched);
    return view;
  }

  /** A new password ends every session of the user. */
  async resetPassword(actor: Actor, id: number, input: ResetPasswordDto): Promise<AdminUserView> {
    const [target] = (await this.db.query('SELECT username FROM users WHERE id = $1', [id])) as { username: string }[];
    if (!target) throw new AppException('NOT_FOUND', `User ${id} does not exist`);
    this.checkPassword(target.username, input.password);
    const passwordHash = await hashPassword(input.password);
    const view = await this.changes.apply(actor, [], async (tx) => {
      const before = await this.lock(tx, id);
      await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
      await endSessionsOf(tx, id, this.sessionClock.now());
      // The audit says that it happened, never what the password is.
      await tx.audit({ entityType: 'user', entityId: id, action: 'reset_password', before: null, after: { passwordReset: true } });
      return this.view(before);
    });
    await this.usersChanged([id]);
    return view;
  }

  async unlock(actor: Actor, id: number): Promise<AdminUserView> {
    return this.changes.apply(actor, [], async (tx) => {
      const before = await this.lock(tx, id);
      // Every (username, IP) pair of this user, locked or counting.
      const cleared = await tx.query('DELETE FROM login_throttle WHERE username_key = lower($1) RETURNING ip', [before.username]);
      if (cleared.length === 0) return this.view(before);
      await tx.audit({
        entityType: 'user',
        entityId: id,
        action: 'unlock',
        before: { lockedUntil: before.lockedUntil, sources: cleared.length },
        after: { lockedUntil: null },
      });
      return this.view({ ...before, lockedUntil: null });
    });
  }

  private async lock(tx: AdminTx, id: number): Promise<UserRow> {
    const [row] = await tx.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new AppException('NOT_FOUND', `User ${id} does not exist`);
    return row;
  }

  /** The scope points at live things: active grids (level grid), an existing region, an active department. */
  private async checkScopeRefs(tx: AdminTx, scope: Scope): Promise<void> {
    if (scope.gridIds.length) {
      const rows = await tx.query<{ id: number }>(`SELECT id FROM regions WHERE id = ANY($1) AND level = 'grid' AND active`, [
        scope.gridIds,
      ]);
      const missing = scope.gridIds.filter((g) => !rows.some((r) => r.id === g));
      if (missing.length) {
        throw new AppException('UNKNOWN_REFERENCE', `Not an active grid: ${missing.join(', ')}`, { field: 'gridIds', ids: missing });
      }
    }
    if (scope.regionId !== null) {
      const [row] = await tx.query('SELECT 1 FROM regions WHERE id = $1 AND active', [scope.regionId]);
      if (!row)
        throw new AppException('UNKNOWN_REFERENCE', `Region ${scope.regionId} does not exist or is inactive`, { field: 'regionId' });
    }
    if (scope.departmentId !== null) {
      const [row] = await tx.query('SELECT 1 FROM departments WHERE id = $1 AND active', [scope.departmentId]);
      if (!row) {
        throw new AppException('UNKNOWN_REFERENCE', `Department ${scope.departmentId} does not exist or is inactive`, {
          field: 'departmentId',
        });
      }
    }
  }

  /** AB 岗: the backup is another active user of the same role (they take over that role's work). */
  private async checkBackup(tx: AdminTx, userId: number | null, role: Role, backupUserId: number | null): Promise<void> {
    if (backupUserId === null) return;
    if (backupUserId === userId) throw new AppException('BACKUP_INVALID', 'A user cannot be their own backup', { field: 'backupUserId' });
    const [backup] = await tx.query<{ role: Role; active: boolean }>('SELECT role, active FROM users WHERE id = $1', [backupUserId]);
    if (!backup) throw new AppException('BACKUP_INVALID', `User ${backupUserId} does not exist`, { field: 'backupUserId' });
    if (!backup.active) throw new AppException('BACKUP_INVALID', `User ${backupUserId} is deactivated`, { field: 'backupUserId' });
    if (backup.role !== role) {
      throw new AppException('BACKUP_INVALID', `The backup must have the same role (${role}), not ${backup.role}`, {
        field: 'backupUserId',
      });
    }
  }

  private view(r: UserRow): AdminUserView {
    const lockedUntil = r.lockedUntil && r.lockedUntil > this.clock.now() ? r.lockedUntil : null;
    return {
      id: r.id,
      username: r.username,
      displayName: r.displayName,
      role: r.role,
      departmentId: r.departmentId,
      regionId: r.regionId,
      gridIds: r.gridIds,
      backupUserId: r.backupUserId,
      backupName: r.backupName,
      away: r.away,
      active: r.active,
      locked: lockedUntil !== null,
      lockedUntil: lockedUntil?.toISOString() ?? null,
      createdAt: new Date(r.createdAt).toISOString(),
    };
  }
}
