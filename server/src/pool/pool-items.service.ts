import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  allowedPoolActions,
  isResidentRole,
  POOL_LIMITS,
  POOL_TERMINAL_STATUSES,
  type CreatePoolItemInput,
  type PoolAction,
  type PoolItemKind,
  type PoolItemStatus,
  type PoolItemView,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { EventRelay } from '../events/event-relay.service';
import { insertOutbox, type OutboxEvent } from '../events/outbox-sql';
import { poolEvent } from '../events/pool-payloads';
import { RegionsService } from '../regions/regions.service';
import { ScopeService } from '../scope/scope.service';
import {
  canSeePoolItem,
  managesCommunity,
  poolRelations,
  poolScopeOf,
  poolVisibilitySql,
  type PoolScope,
  type VolunteerOfActor,
} from '../scope/pool-scope';
import {
  CLAIMS_OF_ITEMS_SQL,
  claimView,
  ITEM_COLUMNS,
  LIVE_CLAIM_STATUSES,
  waitlistOf,
  type PoolClaimRow,
  type PoolItemRow,
} from './pool-records';
import { endLiveClaims, lockItem, readItem, updateReturning } from './pool-writes';
import { VolunteersService } from './volunteers.service';

export interface PoolListQuery {
  communityId?: number;
  status?: PoolItemStatus;
  kind?: PoolItemKind;
  /** Volunteers: the items they hold a place on; residents and staff: what they raised. */
  mine?: boolean;
  page?: number;
  pageSize?: number;
}

/** Who is asking, with what the pool rules need of them (loaded once per request). */
export interface PoolCaller {
  actor: Actor;
  volunteer: VolunteerOfActor | null;
  scope: PoolScope;
}

/**
 * Pool items: raised (点单) by a resident or the community, turned from an issue (转为服务需求),
 * published (派单), cancelled; listed and read in the caller's scope. Claims: pool-claims.service.ts.
 */
@Injectable()
export class PoolItemsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly regions: RegionsService,
    private readonly scope: ScopeService,
    private readonly volunteers: VolunteersService,
    private readonly relay: EventRelay,
  ) {}

  async caller(actor: Actor, db: DataSource | EntityManager = this.db): Promise<PoolCaller> {
    const volunteer = isResidentRole(actor.role) ? await this.volunteers.ofUser(actor.id, db) : null;
    return { actor, volunteer, scope: poolScopeOf(actor, volunteer) };
  }

  /** The item if the caller may see it, else 404 (never 403: its existence is not told). */
  visible(c: PoolCaller, item: PoolItemRow | null, id: number): PoolItemRow {
    if (!item || !canSeePoolItem(c.scope, item, this.regions)) throw new AppException('POOL_ITEM_NOT_FOUND', `Pool item ${id} not found`);
    return item;
  }

  async create(actor: Actor, input: CreatePoolItemInput, issue: { id: number; gridId: number } | null = null): Promise<PoolItemView> {
    const issueId = issue?.id ?? null;
    const c = await this.caller(actor);
    this.volunteers.requireCommunity(input.communityId);
    const staff = !isResidentRole(actor.role);
    if (staff && !managesCommunity(c.scope, input.communityId, this.regions)) {
      throw new AppException('NOT_FOUND', `Community ${input.communityId} not found`);
    }
    if (!staff && (input.popular !== undefined || input.lotterySeconds !== undefined)) {
      throw new AppException('VALIDATION_FAILED', 'Only the community marks an item popular', {
        fields: [{ field: 'popular', problems: ['popular is set by the community'] }],
      });
    }
    const now = this.clock.now();
    const neededBy = input.neededBy ? new Date(input.neededBy) : null;
    if (neededBy && neededBy <= now) {
      throw new AppException('VALIDATION_FAILED', 'neededBy must lie in the future', {
        fields: [{ field: 'neededBy', problems: ['neededBy must lie in the future'] }],
      });
    }
    const gridId = issue?.gridId ?? this.gridOf(input);
    const id = await this.db.transaction(async (tx) => {
      const rows: { id: number }[] = await tx.query(
        `INSERT INTO pool_items (kind, title, description, community_id, lat, lng, address, needed_by, quota, hours, popular,
                                 lottery_seconds, start_within_minutes, status, issue_id, raised_by, created_at, updated_at, grid_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft', $14, $15, $16, $16, $17)
         ON CONFLICT (issue_id) DO NOTHING RETURNING id`,
        [
          input.kind,
          input.title.trim(),
          input.description.trim(),
          input.communityId,
          input.lat ?? null,
          input.lng ?? null,
          input.address?.trim() || null,
          neededBy,
          input.quota ?? 1,
          input.hours ?? 1,
          input.popular ?? false,
          input.lotterySeconds ?? POOL_LIMITS.lotterySecondsDefault,
          input.startWithinMinutes ?? POOL_LIMITS.startWithinMinutesDefault,
          issueId,
          actor.id,
          now,
          gridId,
        ],
      );
      const created = rows[0];
      if (!created) {
        const [existing] = (await tx.query('SELECT id FROM pool_items WHERE issue_id = $1', [issueId])) as { id: number }[];
        throw new AppException('POOL_ITEM_EXISTS', `Issue ${issueId} was already turned into pool item ${existing?.id}`, {
          poolItemId: existing?.id,
        });
      }
      if (neededBy)
        await tx.query(`INSERT INTO pool_timers (kind, item_id, due_at) VALUES ('item_expiry', $1, $2)`, [created.id, neededBy]);
      return created.id;
    });
    return this.detail(actor, id);
  }

  /** The grid of the item's point, if it lies in one of the item's community's grids. */
  private gridOf(input: Pick<CreatePoolItemInput, 'communityId' | 'lat' | 'lng'>): number | null {
    if (input.lat === undefined || input.lng === undefined) return null;
    const grid = this.regions.gridAt(input.lat, input.lng);
    return grid && this.regions.isWithin(grid.id, input.communityId) ? grid.id : null;
  }

  /** 转为服务需求: a small matter the community's volunteers can settle (小事不出组), as a draft linked to the issue. */
  async fromIssue(actor: Actor, issueId: number, input: Partial<CreatePoolItemInput>): Promise<PoolItemView> {
    const rows: {
      status: string;
      gridId: number;
      reporterId: number | null;
      departmentId: number | null;
      assigneeId: number | null;
      followerIds: number[];
      communityId: number;
      title: string;
      description: string;
      lat: number | null;
      lng: number | null;
      address: string | null;
    }[] = await this.db.query(
      `SELECT status, grid_id AS "gridId", reporter_id AS "reporterId", department_id AS "departmentId", assignee_id AS "assigneeId",
              follower_ids AS "followerIds", community_id AS "communityId", title, description, lat, lng, address
         FROM issues WHERE id = $1`,
      [issueId],
    );
    const issue = rows[0];
    if (!issue || !this.scope.canSee(actor, issue as never)) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
    return this.create(
      actor,
      {
        kind: input.kind ?? 'service',
        title: input.title ?? issue.title.slice(0, 100),
        description: input.description ?? issue.description.slice(0, 2000),
        communityId: issue.communityId,
        lat: input.lat ?? issue.lat ?? undefined,
        lng: input.lng ?? issue.lng ?? undefined,
        address: input.address ?? issue.address ?? undefined,
        neededBy: input.neededBy,
        quota: input.quota,
        hours: input.hours,
        popular: input.popular,
        lotterySeconds: input.lotterySeconds,
        startWithinMinutes: input.startWithinMinutes,
      },
      { id: issueId, gridId: issue.gridId },
    );
  }

  /** 派单: the draft opens to the community's volunteers; a popular one opens with its lottery window. */
  publish(actor: Actor, id: number): Promise<PoolItemView> {
    return this.transition(actor, id, 'publish', async (tx, item, now) => {
      const lotteryEndsAt = item.popular ? new Date(now.getTime() + item.lotterySeconds * 1000) : null;
      const [after] = (await updateReturning(
        tx,
        `UPDATE pool_items p SET status = 'open', published_at = $2, lottery_ends_at = $3, version = p.version + 1, updated_at = $2
          WHERE p.id = $1 RETURNING ${ITEM_COLUMNS}`,
        [id, now, lotteryEndsAt],
      )) as PoolItemRow[];
      if (lotteryEndsAt)
        await tx.query(`INSERT INTO pool_timers (kind, item_id, due_at) VALUES ('lottery_draw', $1, $2)`, [id, lotteryEndsAt]);
      return [
        poolEvent('pool.published', this.regions, { item: after!, fromStatus: item.status, action: 'publish', actorId: actor.id, at: now }),
      ];
    });
  }

  cancel(actor: Actor, id: number): Promise<PoolItemView> {
    return this.transition(actor, id, 'cancel', async (tx, item, now) => {
      await endLiveClaims(tx, id, 'cancelled', now);
      // Work already done stays done (and keeps its slot): the counter is what still holds one.
      const [after] = (await updateReturning(
        tx,
        `UPDATE pool_items p SET status = 'cancelled', version = p.version + 1, updated_at = $2,
                claimed_count = (SELECT count(*) FROM pool_claims c WHERE c.item_id = p.id AND c.status = 'done')
          WHERE p.id = $1 RETURNING ${ITEM_COLUMNS}`,
        [id, now],
      )) as PoolItemRow[];
      return [
        poolEvent('pool.cancelled', this.regions, { item: after!, fromStatus: item.status, action: 'cancel', actorId: actor.id, at: now }),
      ];
    });
  }

  /**
   * One write path for item-level actions: lock → scope (404) → table and relations (403 / 409)
   * → write + outbox in the transaction → commit → wake the relay.
   */
  async transition(
    actor: Actor,
    id: number,
    action: PoolAction,
    write: (tx: EntityManager, item: PoolItemRow, now: Date, c: PoolCaller) => Promise<OutboxEvent[]>,
  ): Promise<PoolItemView> {
    await this.db.transaction(async (tx) => {
      const c = await this.caller(actor, tx);
      const item = this.visible(c, await lockItem(tx, id), id);
      await this.allow(tx, c, item, action);
      const events = await write(tx, item, this.clock.now(), c);
      await insertOutbox(tx, events);
    });
    this.relay.committed();
    return this.detail(actor, id);
  }

  /** Whether the caller may take the action on the item now: 409 when the item's state forbids it, 403 when they may not. */
  async allow(
    db: DataSource | EntityManager,
    c: PoolCaller,
    item: PoolItemRow,
    action: PoolAction,
    knownClaimers?: number[],
  ): Promise<void> {
    const claimers = knownClaimers ?? (await this.claimerUserIds(db, item.id));
    const relations = poolRelations(c.actor, c.scope, c.volunteer, { ...item, claimerUserIds: claimers }, this.regions);
    if (allowedPoolActions(item.status, c.actor.role, relations).includes(action)) return;
    // Same state, any relation: is it the caller (403) or the item (409)?
    const everyRelation = new Set(['community', 'member', 'raiser', 'claimer'] as const);
    if (!allowedPoolActions(item.status, c.actor.role, everyRelation).includes(action)) {
      const closed = POOL_TERMINAL_STATUSES.includes(item.status) || item.status === 'done' || item.status === 'draft';
      if (action === 'claim' && item.status === 'claimed')
        throw new AppException('POOL_FULL', `Every slot of pool item ${item.id} is taken`, { waitlist: true });
      throw new AppException('POOL_ACTION_NOT_ALLOWED', `Cannot ${action} a pool item that is ${item.status}`, {
        status: item.status,
        closed,
      });
    }
    if (c.volunteer && c.volunteer.status !== 'approved' && (action === 'claim' || action === 'waitlist')) {
      throw new AppException('VOLUNTEER_NOT_APPROVED', `Volunteer ${c.volunteer.id} is ${c.volunteer.status}`, {
        status: c.volunteer.status,
      });
    }
    if (action === 'start' || action === 'withdraw' || action === 'complete') {
      throw new AppException('POOL_ACTION_NOT_ALLOWED', `No active claim of yours on pool item ${item.id}`);
    }
    throw new AppException('FORBIDDEN_RELATION', `Not allowed to ${action} pool item ${item.id}`);
  }

  async claimerUserIds(db: DataSource | EntityManager, itemId: number): Promise<number[]> {
    const rows: { userId: number }[] = await db.query(
      `SELECT v.user_id AS "userId" FROM pool_claims c JOIN volunteers v ON v.id = c.volunteer_id WHERE c.item_id = $1 AND c.status = 'active'`,
      [itemId],
    );
    return rows.map((r) => r.userId);
  }

  async list(actor: Actor, q: PoolListQuery): Promise<{ items: PoolItemView[]; page: number; pageSize: number; total: number }> {
    const c = await this.caller(actor);
    const params: unknown[] = [];
    const where = [poolVisibilitySql(c.scope, params, this.regions)];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.communityId !== undefined) where.push(`p.community_id = ${p(q.communityId)}`);
    if (q.status) where.push(`p.status = ${p(q.status)}`);
    if (q.kind) where.push(`p.kind = ${p(q.kind)}`);
    if (q.mine) {
      where.push(
        c.volunteer
          ? `(p.raised_by = ${p(actor.id)} OR EXISTS (SELECT 1 FROM pool_claims mc WHERE mc.item_id = p.id AND mc.volunteer_id = ${p(c.volunteer.id)}
               AND mc.status IN ('entered','waitlisted','active','done','confirmed')))`
          : `p.raised_by = ${p(actor.id)}`,
      );
    }
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const [count] = (await this.db.query(`SELECT count(*)::int AS n FROM pool_items p WHERE ${where.join(' AND ')}`, params)) as {
      n: number;
    }[];
    const rows: PoolItemRow[] = await this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM pool_items p WHERE ${where.join(' AND ')}
        ORDER BY (p.status = 'open') DESC, p.id DESC LIMIT ${p(pageSize)} OFFSET ${p((page - 1) * pageSize)}`,
      params,
    );
    return { items: await this.views(c, rows), page, pageSize, total: count!.n };
  }

  async detail(actor: Actor, id: number): Promise<PoolItemView> {
    const c = await this.caller(actor);
    const item = this.visible(c, await readItem(this.db, id), id);
    return (await this.views(c, [item]))[0]!;
  }

  async views(c: PoolCaller, items: readonly PoolItemRow[]): Promise<PoolItemView[]> {
    if (!items.length) return [];
    const claims: PoolClaimRow[] = await this.db.query(CLAIMS_OF_ITEMS_SQL, [items.map((i) => i.id)]);
    return items.map((item) => {
      const own = claims.filter((cl) => cl.itemId === item.id);
      const waitlist = waitlistOf(own);
      const mine =
        own
          .filter((cl) => cl.userId === c.actor.id)
          .sort(
            (a, b) => Number(LIVE_CLAIM_STATUSES.includes(b.status)) - Number(LIVE_CLAIM_STATUSES.includes(a.status)) || b.id - a.id,
          )[0] ?? null;
      const claimers = own.filter((cl) => cl.status === 'active').map((cl) => cl.userId);
      const relations = poolRelations(c.actor, c.scope, c.volunteer, { ...item, claimerUserIds: claimers }, this.regions);
      const seesClaims = relations.has('community') || relations.has('raiser');
      // The community knows its volunteers by name; the resident who raised the item sees who came, masked.
      const names = relations.has('community') ? 'full' : 'masked';
      let actions = allowedPoolActions(item.status, c.actor.role, relations);
      // The finer state the table does not see: a place already held, a lottery still open.
      if (mine && LIVE_CLAIM_STATUSES.includes(mine.status)) actions = actions.filter((a) => a !== 'claim' && a !== 'waitlist');
      if (mine?.status === 'active' && mine.startedAt) actions = actions.filter((a) => a !== 'start');
      if (c.volunteer?.status !== 'approved') actions = actions.filter((a) => a !== 'claim' && a !== 'waitlist');
      return {
        id: item.id,
        kind: item.kind,
        title: item.title,
        description: item.description,
        communityId: item.communityId,
        gridId: item.gridId,
        lat: item.lat,
        lng: item.lng,
        address: item.address,
        neededBy: item.neededBy?.toISOString() ?? null,
        quota: item.quota,
        claimedCount: item.claimedCount,
        hours: item.hours,
        popular: item.popular,
        lotteryEndsAt: item.lotteryEndsAt?.toISOString() ?? null,
        status: item.status,
        version: item.version,
        issueId: item.issueId,
        raisedBy: item.raisedBy,
        createdAt: item.createdAt.toISOString(),
        publishedAt: item.publishedAt?.toISOString() ?? null,
        confirmedAt: item.confirmedAt?.toISOString() ?? null,
        score: item.score,
        confirmComment: item.confirmComment,
        myClaim: mine ? claimView(mine, waitlist) : null,
        claims: seesClaims ? own.map((cl) => claimView(cl, waitlist, names)) : [],
        allowedActions: actions,
      };
    });
  }

  /** A completion photo's row, if the caller may see its item. */
  async photo(actor: Actor, photoId: number): Promise<{ storage_key: string; thumb_key: string; mime_type: string; width: number }> {
    const rows: { storage_key: string; thumb_key: string; mime_type: string; width: number; item_id: number }[] = await this.db.query(
      `SELECT ph.storage_key, ph.thumb_key, ph.mime_type, ph.width, c.item_id
         FROM pool_photos ph JOIN pool_claims c ON c.id = ph.claim_id WHERE ph.id = $1`,
      [photoId],
    );
    const row = rows[0];
    const c = await this.caller(actor);
    const item = row ? await readItem(this.db, row.item_id) : null;
    if (!row || !item || !canSeePoolItem(c.scope, item, this.regions))
      throw new AppException('ATTACHMENT_NOT_FOUND', `Photo ${photoId} not found`);
    return row;
  }
}
