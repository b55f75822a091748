import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IssueAction, IssueStatus, Priority, SlaClockView, SlaStage } from '@gridline/shared';
import { ClockService } from '../common/clock.service';
import { applyAction, currentDue, openAfter, type LifecycleOptions } from './clock-lifecycle';
import { CLOCK_COLUMNS, fromRow, toRecord, toView, type ClockRow } from './clock-rows';
import { TRANSITION_WRITE_SQL } from './clock-writes.sql';
import type { ClockState } from './clock-state';
import { SlaConfigService } from './sla-config.service';
import { standardDayMs } from './calendar';
import { touchesClocks } from './stage-effects';

/** The issue fields clocks are planned from. */
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

/**
 * What a report or an action did to the clocks, change → stages (`{ started: ['accept', 'overall'] }`):
 * recorded in the audit event's `data.sla` and in the domain event's `sla` (the clock changes of a
 * workflow step are not events of their own).
 */
export type SlaSummary = Record<string, SlaStage[]>;

export interface PendingSlaEvents {
  summary: SlaSummary | null;
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
  ) {}

  planReport(issue: Pick<IssueForSla, 'categoryId' | 'priority'>, at: Date): ReportPlan {
    const change = applyAction([], 'report', this.context(issue.categoryId, issue.priority, at));
    return {
      clocks: change.created,
      records: JSON.stringify(change.created.map(toRecord)),
      dueAt: toDate(currentDue(change.created, 'reported')),
    };
  }

  /** What a report's plan does to the clocks: starts them. */
  reportSummary(plan: ReportPlan): SlaSummary | null {
    return plan.clocks.length ? { started: plan.clocks.map((c) => c.stage) } : null;
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
    if (!touchesClocks(action)) return { summary: null };
    // The issue is locked FOR UPDATE already: a sweep firing one of these clocks (it holds a row lock on the issue)
    // has committed, so its marks are visible here and the next rung is planned right.
    const rows: ClockRow[] = await tx.query(
      `SELECT ${CLOCK_COLUMNS} FROM sla_clocks WHERE issue_id = $1 AND stopped_at IS NULL FOR UPDATE`,
      [issue.id],
    );
    const open = rows.map(fromRow);
    const change = applyAction(open, action, this.context(issue.categoryId, issue.priority, at), opts);
    const after = openAfter(open, change);
    await tx.query(TRANSITION_WRITE_SQL, [
      issue.id,
      JSON.stringify(change.changed.map(toRecord)),
      JSON.stringify(change.created.map(toRecord)),
      toDate(currentDue(after, toStatus)),
      change.changed.map((c) => c.id),
    ]);
    const summary: SlaSummary = {};
    for (const { name, clock } of change.events) (summary[name.slice(4)] ??= []).push(clock.stage);
    return { summary: change.events.length ? summary : null };
  }

  /** `days` working days after `at` on the calendar of the issue's handle stage (requests for information lapse after 3). */
  addWorkingDays(issue: Pick<IssueForSla, 'categoryId' | 'priority'>, at: Date, days: number): Date {
    const { calendarId } = this.config.termsFor(issue.categoryId, issue.priority, 'handle');
    const ms = days * standardDayMs(this.config.calendar(calendarId));
    return new Date(this.config.measure({ unit: 'work_days', calendarId }).advance(at.getTime(), ms));
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
}

const toDate = (t: number | null): Date | null => (t === null ? null : new Date(t));
