import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PAGE_SIZE_MAX, type Page, type SupervisionView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { EventRelay } from '../events/event-relay.service';
import { ListTotals } from '../common/list-totals';
import { supervisionAnsweredData } from '../events/event-payloads';
import { countEvents } from '../events/issue-event-counter';
import { insertOutbox } from '../events/outbox-sql';
import { ISSUE_SELECT } from '../issues/issue-queries.service';
import type { Issue } from '../issues/issue.entity';
import { insertEvent } from '../issues/issue-writes';
import { RegionsService } from '../regions/regions.service';
import { ScopeService } from '../scope/scope.service';
import type { ListSupervisionsQuery } from './supervision.dto';
import { SUPERVISION_SELECT as SELECT, toSupervisionView as toView, type SupervisionRow } from './supervision-reads';

/** Who answers a 督办 (the department of the issue) and who closes it (a command center in scope). */
const ANSWERERS = ['dept_lead', 'dept_staff'] as const;
const CLOSERS = ['dispatcher', 'admin'] as const;

/**
 * 督办 (SPEC §15): the queue, the department's answer and the dispatcher's close. Scope is the
 * issue's (ScopeService.visibilitySql / canSee): a 督办 the caller may not see the issue of does
 * not exist (404). Each answer and close is one transaction: the row, an audit step of the issue
 * and its domain event in the outbox (ADR 0016), numbered on from the issue's event counter.
 */
@Injectable()
export class SupervisionsService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly regions: RegionsService,
    private readonly clock: ClockService,
    private readonly relay: EventRelay,
    private readonly totals: ListTotals,
  ) {}

  async list(actor: Actor, q: ListSupervisionsQuery): Promise<Page<SupervisionView>> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [this.scope.visibilitySql(actor, params)];
    if (q.state === 'open') where.push('s.closed_at IS NULL');
    if (q.state === 'closed') where.push('s.closed_at IS NOT NULL');
    if (q.level !== undefined) where.push(`s.level = ${p(q.level)}`);
    if (q.regionId !== undefined) {
      if (!this.regions.get(q.regionId) || this.scope.region(actor, q.regionId) === false) {
        throw new AppException('NOT_FOUND', `Region ${q.regionId} not found`);
      }
      where.push(this.regions.subtreeCondition([q.regionId], params));
    }
    if (q.departmentId !== undefined) {
      if (!this.scope.department(actor, q.departmentId)) throw new AppException('NOT_FOUND', `Department ${q.departmentId} not found`);
      where.push(`i.department_id = ${p(q.departmentId)}`);
    }
    const page = q.page ?? 1;
    const pageSize = Math.min(q.pageSize ?? 20, PAGE_SIZE_MAX);
    const sqlWhere = where.join(' AND ');
    const countParams = [...params];
    const [rows, totals] = await Promise.all([
      this.db.query(
        `SELECT ${SELECT} FROM supervisions s JOIN issues i ON i.id = s.issue_id WHERE ${sqlWhere}
          ORDER BY s.created_at DESC, s.id DESC LIMIT ${p(pageSize)} OFFSET ${p((page - 1) * pageSize)}`,
        params,
      ) as Promise<SupervisionRow[]>,
      this.totals.count(`supervisions s JOIN issues i ON i.id = s.issue_id WHERE ${sqlWhere}`, countParams),
    ]);
    return { items: rows.map(toView), page, pageSize, ...totals };
  }

  /** The department's answer; a second answer while open replaces the first (the timeline keeps both). */
  respond(actor: Actor, id: number, note: string): Promise<SupervisionView> {
    if (!(ANSWERERS as readonly string[]).includes(actor.role)) {
      throw new AppException('FORBIDDEN_ROLE', `This needs one of the roles: ${ANSWERERS.join(', ')}`);
    }
    return this.answer(actor, id, 'supervision.responded', note, (tx, now) =>
      tx.query('UPDATE supervisions SET response_note = $2, responded_by = $3, responded_at = $4 WHERE id = $1', [id, note, actor.id, now]),
    );
  }

  close(actor: Actor, id: number, note: string | undefined): Promise<SupervisionView> {
    if (!(CLOSERS as readonly string[]).includes(actor.role)) {
      throw new AppException('FORBIDDEN_ROLE', `This needs one of the roles: ${CLOSERS.join(', ')}`);
    }
    return this.answer(actor, id, 'supervision.closed', note ?? null, (tx, now) =>
      tx.query('UPDATE supervisions SET closed_by = $2, closed_at = $3, close_note = $4 WHERE id = $1', [id, actor.id, now, note ?? null]),
    );
  }

  private async answer(
    actor: Actor,
    id: number,
    type: 'supervision.responded' | 'supervision.closed',
    note: string | null,
    write: (tx: EntityManager, now: Date) => Promise<unknown>,
  ): Promise<SupervisionView> {
    const done = await this.db.transaction(async (tx) => {
      const found: { issue_id: number }[] = await tx.query('SELECT issue_id FROM supervisions WHERE id = $1', [id]);
      const issueId = found[0]?.issue_id;
      if (issueId === undefined) throw new AppException('SUPERVISION_NOT_FOUND', `Supervision ${id} not found`);
      // The issue first (the order of every writer of the issue's events: transitions, the SLA sweep), then the 督办.
      const issues: Issue[] = await tx.query(`SELECT ${ISSUE_SELECT} FROM issues i WHERE i.id = $1 FOR NO KEY UPDATE`, [issueId]);
      const issue = issues[0]!;
      if (!this.scope.canSee(actor, issue)) {
        throw new AppException('SUPERVISION_NOT_FOUND', `Supervision ${id} not found`);
      }
      const locked: SupervisionRow[] = await tx.query(
        `SELECT ${SELECT} FROM supervisions s JOIN issues i ON i.id = s.issue_id WHERE s.id = $1 FOR UPDATE OF s`,
        [id],
      );
      const sup = locked[0]!;
      if (sup.closed_at !== null) throw new AppException('SUPERVISION_CLOSED', `Supervision ${id} was closed already`);
      const now = this.clock.now();
      await write(tx, now);
      await insertEvent(tx, {
        issueId,
        type,
        fromStatus: null,
        toStatus: null,
        actorId: actor.id,
        note,
        data: { supervisionId: id, level: sup.level },
        at: now,
      });
      const seq = await countEvents(tx, issueId, 1);
      await insertOutbox(tx, [
        {
          type,
          occurredAt: now,
          data: supervisionAnsweredData(issue, seq, { id, level: sup.level, regionId: sup.region_id }, actor.id),
        },
      ]);
      const after: SupervisionRow[] = await tx.query(
        `SELECT ${SELECT} FROM supervisions s JOIN issues i ON i.id = s.issue_id WHERE s.id = $1`,
        [id],
      );
      return toView(after[0]!);
    });
    this.relay.committed();
    return done;
  }
}
