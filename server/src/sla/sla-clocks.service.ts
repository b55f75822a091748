import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IssueAction, IssueStatus, Priority, SlaClockEvent, SlaClockView, SlaEventName } from '@gridline/shared';
import { ClockService } from '../common/clock.service';
import { DomainEventsPublisher } from '../common/domain-events';
import { applyAction, currentDue, openAfter, type LifecycleOptions } from './clock-lifecycle';
import { CLOCK_COLUMNS, CLOCK_RECORD, fromRow, toRecord, toView, type ClockRow } from './clock-rows';
import type { ClockState } from './clock-state';
import { SlaConfigService } from './sla-config.service';
import { touchesClocks } from './stage-effects';

/** The issue fields SLA events carry and clocks are planned from. */
export interface IssueForSla {
  id: number;
  number: string;
  categoryId: number;
  priority: Priority;
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
  departmentId: number | null;
}

export interface PendingSlaEvents {
  events: { name: SlaEventName; payload: SlaClockEvent }[];
  /** What the transition's audit event records about the clocks (`data.sla`). */
  summary: Record<string, string[]> | null;
}

/** A report's clocks, planned in memory so the intake statement can insert them in the same round trip. */
export interface ReportPlan {
  clocks: ClockState[];
  /** jsonb_to_recordset input for the report statement. */
  records: string;
  dueAt: Date | null;
}

/**
 * Starts, stops, pauses, resumes, extends and retargets clocks inside the transaction of a
 * workflow action (same commit), and plans each clock's next timer row. Firing is the sweeper's.
 */
@Injectable()
export class SlaClocksService {
  constructor(
    private readonly db: DataSource,
    private readonly config: SlaConfigService,
    private readonly clock: ClockService,
    private readonly publisher: DomainEventsPublisher,
  ) {}

  planReport(issue: Pick<IssueForSla, 'categoryId' | 'priority'>, at: Date): ReportPlan {
    const change = applyAction([], 'report', this.context(issue.categoryId, issue.priority, at));
    return {
      clocks: change.created,
      records: JSON.stringify(change.created.map(toRecord)),
      dueAt: toDate(currentDue(change.created, 'reported')),
    };
  }

  /** Events of a committed report (ids come from the insert). */
  reportEvents(issue: IssueForSla, plan: ReportPlan, ids: Record<string, number>): PendingSlaEvents {
    const clocks = plan.clocks.map((c) => ({ ...c, id: ids[c.stage] ?? null }));
    return {
      events: clocks.map((c) => ({ name: 'sla.started' as const, payload: this.payload(issue, c, null, c.startedAt) })),
      summary: null,
    };
  }

  /**
   * Applies an action's effect on the clocks, in the action's transaction. `issue` carries the
   * category and priority after the action (reclassify changes them).
   */
  async onTransition(
    tx: EntityManager,
    issue: IssueForSla,
    action: IssueAction,
    toStatus: IssueStatus,
    at: Date,
    opts: LifecycleOptions = {},
  ): Promise<PendingSlaEvents> {
    if (!touchesClocks(action)) return { events: [], summary: null };
    // The issue is locked FOR UPDATE already: a sweep firing one of these clocks (it holds KEY SHARE on the issue)
    // has committed, so its marks are visible here and the next rung is planned right.
    const rows: ClockRow[] = await tx.query(
      `SELECT ${CLOCK_COLUMNS} FROM sla_clocks WHERE issue_id = $1 AND stopped_at IS NULL FOR UPDATE`,
      [issue.id],
    );
    const open = rows.map(fromRow);
    const change = applyAction(open, action, this.context(issue.categoryId, issue.priority, at), opts);
    const after = openAfter(open, change);
    const inserted: { id: string; stage: string }[] = await tx.query(
      `WITH upd AS (
         UPDATE sla_clocks c SET policy_id = r.policy_id, calendar_id = r.calendar_id, unit = r.unit, target = r.target, target_ms = r.target_ms,
                warn_fraction = r.warn_fraction, running_since = r.running_since, used_ms = r.used_ms, extended_ms = r.extended_ms,
                paused_ms = r.paused_ms, paused_since = r.paused_since, warn_at = r.warn_at, due_at = r.due_at, escalate_at = r.escalate_at,
                stopped_at = r.stopped_at
           FROM jsonb_to_recordset($2::jsonb) AS r(${CLOCK_RECORD})
          WHERE c.id = r.id
          RETURNING c.id, r.next_level, r.next_at
       ), stale AS (
         DELETE FROM sla_timers t USING upd WHERE t.clock_id = upd.id AND t.level IS DISTINCT FROM upd.next_level
       ), moved AS (
         INSERT INTO sla_timers (clock_id, level, fire_at) SELECT id, next_level, next_at FROM upd WHERE next_level IS NOT NULL
         ON CONFLICT (clock_id, level) DO UPDATE SET fire_at = EXCLUDED.fire_at
       ), ins AS (
         INSERT INTO sla_clocks (issue_id, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
                                 warn_at, due_at, escalate_at)
         SELECT $1, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since, warn_at, due_at, escalate_at
           FROM jsonb_to_recordset($3::jsonb) AS r(${CLOCK_RECORD})
         RETURNING id, stage
       ), timers AS (
         INSERT INTO sla_timers (clock_id, level, fire_at)
         SELECT ins.id, r.next_level, r.next_at FROM ins JOIN jsonb_to_recordset($3::jsonb) AS r(${CLOCK_RECORD}) USING (stage)
          WHERE r.next_level IS NOT NULL
       ), due AS (
         UPDATE issues SET sla_due_at = $4 WHERE id = $1
       )
       SELECT id, stage FROM ins`,
      [
        issue.id,
        JSON.stringify(change.changed.map(toRecord)),
        JSON.stringify(change.created.map(toRecord)),
        toDate(currentDue(after, toStatus)),
      ],
    );
    const ids = new Map(inserted.map((r) => [r.stage, Number(r.id)]));
    const summary: Record<string, string[]> = {};
    const events = change.events.map(({ name, clock }) => {
      const key = name.slice(4);
      (summary[key] ??= []).push(clock.stage);
      const c = clock.id === null ? { ...clock, id: ids.get(clock.stage) ?? null } : clock;
      return { name, payload: this.payload(issue, c, null, at.getTime()) };
    });
    return { events, summary: events.length ? summary : null };
  }

  publish(pending: PendingSlaEvents | null): void {
    for (const e of pending?.events ?? []) this.publisher.publish(e.name, e.payload);
  }

  async views(issueId: number): Promise<SlaClockView[]> {
    const rows: ClockRow[] = await this.db.query(`SELECT ${CLOCK_COLUMNS} FROM sla_clocks WHERE issue_id = $1 ORDER BY id`, [issueId]);
    return this.toViews(rows.map(fromRow));
  }

  toViews(clocks: ClockState[]): SlaClockView[] {
    const now = this.clock.now().getTime();
    return clocks.map((c) => toView(c, now, this.config.measure(c)));
  }

  private context(categoryId: number, priority: Priority, at: Date) {
    return {
      at: at.getTime(),
      termsFor: (stage: ClockState['stage']) => this.config.termsFor(categoryId, priority, stage),
      measure: (terms: Pick<ClockState, 'unit' | 'calendarId'>) => this.config.measure(terms),
    };
  }

  private payload(issue: IssueForSla, c: ClockState, level: SlaClockEvent['level'], at: number): SlaClockEvent {
    return {
      issueId: issue.id,
      number: issue.number,
      clockId: c.id ?? 0,
      stage: c.stage,
      level,
      dueAt: c.stoppedAt === null && c.dueAt !== null ? new Date(c.dueAt).toISOString() : null,
      gridId: issue.gridId,
      communityId: issue.communityId,
      streetId: issue.streetId,
      districtId: issue.districtId,
      departmentId: issue.departmentId,
      supervisionId: null,
      supervisionRegionId: null,
      at: new Date(at).toISOString(),
    };
  }
}

const toDate = (t: number | null): Date | null => (t === null ? null : new Date(t));
