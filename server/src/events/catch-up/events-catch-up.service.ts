import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_PAGE_DEFAULT, type AnyDomainEvent, type EventPage } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { poolScopeOf } from '../../scope/pool-scope';
import { ScopeService } from '../../scope/scope.service';
import type { ScopedIssue } from '../../scope/issue-scope';
import type { ListEventsQuery } from './list-events.query';

/**
 * Catch-up for receivers that missed or reordered deliveries: the delivered events (the archive)
 * after a cursor, in delivery order, limited to what the caller may see. The archive rows carry
 * the issue's scope columns as of the event, so the issue list's visibility rule applies to them
 * as it stands (alias `i`): a department sees the events of an issue while it was theirs. The
 * archive does not record who said "me too", so a resident follows the issue's followers as they
 * are now (the join is removed by the planner for every other caller: nothing else reads it).
 */
@Injectable()
export class EventsCatchUpService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async list(actor: Actor, q: ListEventsQuery): Promise<EventPage> {
    if (q.issueId !== undefined) await this.requireVisibleIssue(actor, q.issueId);
    const params: unknown[] = [q.after ?? '0'];
    const p = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [this.scope.visibilitySql(actor, params)];
    // The pool is the community's: roles that see none of it (grid and department roles) do not
    // get its events either, though a pool event in their grid matches the rule above.
    if (poolScopeOf(actor, null).kind === 'none') where.push(`i.type NOT LIKE 'pool.%' AND i.type NOT LIKE 'volunteer.%'`);
    if (q.type?.length) where.push(`i.type = ANY(${p(q.type)})`);
    if (q.issueId !== undefined) where.push(`i.issue_id = ${p(q.issueId)}`);
    const limit = p(q.limit ?? EVENT_PAGE_DEFAULT);
    const rows: (Omit<AnyDomainEvent, 'occurredAt'> & { occurredAt: Date })[] = await this.db.query(
      `WITH cursor AS (
         SELECT COALESCE((SELECT position FROM event_archive WHERE id = $1::bigint),
                         (SELECT max(position) FROM event_archive WHERE id <= $1::bigint), 0) AS position
       )
       SELECT i.id::text AS id, i.type, i.occurred_at AS "occurredAt", i.data
         FROM (SELECT a.*, x.follower_ids FROM event_archive a LEFT JOIN issues x ON x.id = a.issue_id) i
        WHERE i.position > (SELECT position FROM cursor) AND ${where.join(' AND ')}
        ORDER BY i.position
        LIMIT ${limit}`,
      params,
    );
    const items = rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() }) as AnyDomainEvent);
    return { items, nextAfter: items.length ? items[items.length - 1]!.id : null };
  }

  private async requireVisibleIssue(actor: Actor, issueId: number): Promise<void> {
    const rows: ScopedIssue[] = await this.db.query(
      `SELECT status, grid_id AS "gridId", reporter_id AS "reporterId", department_id AS "departmentId", assignee_id AS "assigneeId"
         FROM issues WHERE id = $1`,
      [issueId],
    );
    if (!rows[0] || !this.scope.canSee(actor, rows[0])) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
  }
}
