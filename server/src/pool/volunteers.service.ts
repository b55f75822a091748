import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RegisterVolunteerInput, VolunteerHoursView, VolunteerRankingRow, VolunteerStatus, VolunteerView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { AUDIT_INSERT } from '../admin/core/admin-changes.service';
import { EventRelay } from '../events/event-relay.service';
import { insertOutbox, type OutboxEvent } from '../events/outbox-sql';
import { volunteerEvent } from '../events/pool-payloads';
import { RegionsService } from '../regions/regions.service';
import { managesCommunity, poolScopeOf, type VolunteerOfActor } from '../scope/pool-scope';
import { VOLUNTEER_COLUMNS, volunteerView, type VolunteerRow } from './pool-records';
import { endClaimsOfVolunteer } from './pool-writes';

/** A volunteer row as the change path locks it: what the checks, the event and the audit row need (never the name). */
interface LockedVolunteer {
  id: number;
  userId: number;
  communityId: number;
  status: VolunteerStatus;
  isPartyMember: boolean;
  weeklyCap: number | null;
}

const LOCKED_COLUMNS = `id, user_id AS "userId", community_id AS "communityId", status, is_party_member AS "isPartyMember",
  weekly_cap AS "weeklyCap"`;

type VolunteerAction = Parameters<typeof volunteerEvent>[1]['action'];

/**
 * Volunteers (志愿者): a resident registers for one community, the community approves (报到) —
 * the account's role becomes `volunteer` — and may suspend (pause) and reinstate them, or cap
 * their claims per week. Hours and the community ranking are read from the ledger.
 */
@Injectable()
export class VolunteersService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly regions: RegionsService,
    private readonly relay: EventRelay,
  ) {}

  /** The caller's registration (any status), or null. */
  async ofUser(userId: number, db: DataSource | EntityManager = this.db): Promise<VolunteerOfActor | null> {
    const rows: VolunteerOfActor[] = await db.query('SELECT id, community_id AS "communityId", status FROM volunteers WHERE user_id = $1', [
      userId,
    ]);
    return rows[0] ?? null;
  }

  /** A community region that is open, or 422 COMMUNITY_INVALID. */
  requireCommunity(communityId: number): void {
    const region = this.regions.get(communityId);
    if (!region || region.level !== 'community' || !this.regions.isOpen(region)) {
      throw new AppException('COMMUNITY_INVALID', `Region ${communityId} is not an open community`, { communityId });
    }
  }

  async register(actor: Actor, input: RegisterVolunteerInput): Promise<VolunteerView> {
    this.requireCommunity(input.communityId);
    const now = this.clock.now();
    const skills = [...new Set(input.skills.map((s) => s.trim()).filter(Boolean))];
    const id = await this.db.transaction(async (tx) => {
      const rows: LockedVolunteer[] = await tx.query(
        `INSERT INTO volunteers (user_id, name, community_id, skills, is_party_member, employer, status, registered_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)
         ON CONFLICT (user_id) DO NOTHING RETURNING ${LOCKED_COLUMNS}`,
        [actor.id, input.name.trim(), input.communityId, skills, input.isPartyMember, input.employer?.trim() || null, now],
      );
      const v = rows[0];
      if (!v) throw new AppException('ALREADY_REGISTERED', 'This account has already registered as a volunteer');
      await this.record(tx, actor, 'register', null, v, [], [], now);
      return v.id;
    });
    this.relay.committed();
    return this.view(id);
  }

  async me(actor: Actor): Promise<VolunteerView> {
    const mine = await this.ofUser(actor.id);
    if (!mine) throw new AppException('VOLUNTEER_NOT_FOUND', 'This account has not registered as a volunteer');
    return this.view(mine.id);
  }

  async list(actor: Actor, q: { communityId?: number; status?: VolunteerStatus }): Promise<VolunteerView[]> {
    const communities = this.managedCommunities(actor);
    if (q.communityId !== undefined && !communities.includes(q.communityId)) return [];
    const params: unknown[] = [q.communityId !== undefined ? [q.communityId] : communities];
    let where = 'v.community_id = ANY($1::int[])';
    if (q.status) {
      params.push(q.status);
      where += ` AND v.status = $${params.length}`;
    }
    const rows: VolunteerRow[] = await this.db.query(
      `SELECT ${VOLUNTEER_COLUMNS} FROM volunteers v WHERE ${where} ORDER BY v.status = 'pending' DESC, v.id LIMIT 1000`,
      params,
    );
    return rows.map(volunteerView);
  }

  /** 报到 approved (or a suspended volunteer reinstated): the account becomes a volunteer's. */
  approve(actor: Actor, id: number): Promise<VolunteerView> {
    return this.change(actor, id, ['pending', 'suspended'], async (tx, v, now) => {
      const action: VolunteerAction = v.status === 'suspended' ? 'reinstate' : 'approve';
      await tx.query(
        `UPDATE volunteers SET status = 'approved', approved_at = COALESCE(approved_at, $2), approved_by = COALESCE(approved_by, $3),
                suspended_at = NULL, updated_at = $2 WHERE id = $1`,
        [v.id, now, actor.id],
      );
      await tx.query(`UPDATE users SET role = 'volunteer' WHERE id = $1 AND role = 'resident'`, [v.userId]);
      return { action };
    });
  }

  /**
   * Paused: the volunteer keeps their account, finished tasks and hours, but claims nothing until
   * reinstated; their unfinished claims end in the same transaction (the slots reopen, the wait
   * lists move up), so a paused volunteer holds no slot others could take.
   */
  suspend(actor: Actor, id: number): Promise<VolunteerView> {
    return this.change(actor, id, ['approved'], async (tx, v, now) => {
      await tx.query(`UPDATE volunteers SET status = 'suspended', suspended_at = $2, updated_at = $2 WHERE id = $1`, [v.id, now]);
      const { endedClaimIds, events } = await endClaimsOfVolunteer(tx, this.regions, v.id, actor.id, now);
      return { action: 'suspend', endedClaimIds, events };
    });
  }

  setWeeklyCap(actor: Actor, id: number, weeklyCap: number | null): Promise<VolunteerView> {
    return this.change(actor, id, ['pending', 'approved', 'suspended'], async (tx, v, now) => {
      await tx.query('UPDATE volunteers SET weekly_cap = $2, updated_at = $3 WHERE id = $1', [v.id, weeklyCap, now]);
      return { action: 'set_cap' };
    });
  }

  async hoursOf(actor: Actor): Promise<VolunteerHoursView> {
    const mine = await this.ofUser(actor.id);
    if (!mine) throw new AppException('VOLUNTEER_NOT_FOUND', 'This account has not registered as a volunteer');
    const entries: { id: string; itemId: number; hours: number; at: Date }[] = await this.db.query(
      `SELECT id::text, item_id AS "itemId", hours::float8 AS hours, at FROM volunteer_hours WHERE volunteer_id = $1 ORDER BY at DESC, id DESC LIMIT 200`,
      [mine.id],
    );
    const [rank] = (await this.db.query(
      `SELECT total, rank FROM (
         SELECT volunteer_id, sum(hours)::float8 AS total, rank() OVER (ORDER BY sum(hours) DESC)::int AS rank
           FROM volunteer_hours WHERE community_id = $2 GROUP BY volunteer_id) r
        WHERE volunteer_id = $1`,
      [mine.id, mine.communityId],
    )) as { total: number; rank: number }[];
    return {
      volunteerId: mine.id,
      communityId: mine.communityId,
      total: rank?.total ?? 0,
      rank: rank?.rank ?? null,
      entries: entries.map((e) => ({ id: Number(e.id), itemId: e.itemId, hours: e.hours, at: e.at.toISOString() })),
    };
  }

  /** The community's ranking of hours: for its staff and its own volunteers; another community's is 404. */
  async ranking(actor: Actor, communityId: number): Promise<VolunteerRankingRow[]> {
    const mine = actor.role === 'volunteer' ? await this.ofUser(actor.id) : null;
    const allowed = managesCommunity(poolScopeOf(actor, mine), communityId, this.regions) || mine?.communityId === communityId;
    if (!allowed) throw new AppException('NOT_FOUND', `Community ${communityId} not found`);
    return this.db.query(
      `SELECT rank() OVER (ORDER BY sum(h.hours) DESC)::int AS rank, v.id AS "volunteerId", v.name,
              v.is_party_member AS "isPartyMember", sum(h.hours)::float8 AS hours, count(*)::int AS tasks
         FROM volunteer_hours h JOIN volunteers v ON v.id = h.volunteer_id
        WHERE h.community_id = $1
        GROUP BY v.id ORDER BY hours DESC, v.id LIMIT 100`,
      [communityId],
    );
  }

  private managedCommunities(actor: Actor): number[] {
    const scope = poolScopeOf(actor, null);
    return this.regions
      .all()
      .filter((r) => r.level === 'community' && managesCommunity(scope, r.id, this.regions))
      .map((r) => r.id);
  }

  /**
   * One write path: lock the row, check scope (404) and status (409), write, then in the same
   * transaction the volunteer event (and the events of the write) and the audit row; reload
   * after commit. Dispatchers and admins only (route roles).
   */
  private async change(
    actor: Actor,
    id: number,
    from: readonly VolunteerStatus[],
    write: (
      tx: EntityManager,
      v: LockedVolunteer,
      now: Date,
    ) => Promise<{ action: VolunteerAction; endedClaimIds?: number[]; events?: OutboxEvent[] }>,
  ): Promise<VolunteerView> {
    await this.db.transaction(async (tx) => {
      const rows: LockedVolunteer[] = await tx.query(`SELECT ${LOCKED_COLUMNS} FROM volunteers WHERE id = $1 FOR UPDATE`, [id]);
      const v = rows[0];
      if (!v || !managesCommunity(poolScopeOf(actor, null), v.communityId, this.regions)) {
        throw new AppException('VOLUNTEER_NOT_FOUND', `Volunteer ${id} not found`);
      }
      if (!from.includes(v.status)) {
        throw new AppException('VOLUNTEER_STATUS_CONFLICT', `Volunteer ${id} is ${v.status}`, { status: v.status });
      }
      const now = this.clock.now();
      const done = await write(tx, v, now);
      const [after] = (await tx.query(`SELECT ${LOCKED_COLUMNS} FROM volunteers WHERE id = $1`, [id])) as LockedVolunteer[];
      await this.record(tx, actor, done.action, v, after!, done.endedClaimIds ?? [], done.events ?? [], now);
    });
    this.relay.committed();
    return this.view(id);
  }

  /** The change's events (the volunteer's after those of its claims) and its audit row, in the caller's transaction. */
  private async record(
    tx: EntityManager,
    actor: Actor,
    action: VolunteerAction,
    before: LockedVolunteer | null,
    after: LockedVolunteer,
    endedClaimIds: number[],
    events: OutboxEvent[],
    now: Date,
  ): Promise<void> {
    await insertOutbox(tx, [
      ...events,
      volunteerEvent(this.regions, {
        volunteer: after,
        fromStatus: before?.status ?? null,
        action,
        endedClaimIds,
        actorId: actor.id,
        at: now,
      }),
    ]);
    const audited = (v: LockedVolunteer) => ({
      communityId: v.communityId,
      status: v.status,
      isPartyMember: v.isPartyMember,
      weeklyCap: v.weeklyCap,
    });
    await tx.query(AUDIT_INSERT, [
      now,
      actor.id,
      'volunteer',
      String(after.id),
      action,
      before && JSON.stringify(audited(before)),
      JSON.stringify(endedClaimIds.length ? { ...audited(after), endedClaimIds } : audited(after)),
    ]);
  }

  private async view(id: number): Promise<VolunteerView> {
    const rows: VolunteerRow[] = await this.db.query(`SELECT ${VOLUNTEER_COLUMNS} FROM volunteers v WHERE v.id = $1`, [id]);
    return volunteerView(rows[0]!);
  }
}
