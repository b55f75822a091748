import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  HolidayScheduleInput,
  SlaCalendarInput,
  SlaCalendarView,
  SlaPolicyInput,
  SlaPolicyView,
  WeeklySchedule,
} from '@gridline/shared';
import { AdminChanges } from '../admin/core/admin-changes.service';
import type { Actor } from '../auth/actor';
import { CategoriesService } from '../categories/categories.service';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { canonicalTimeZone } from '../common/time-zone';
import { weeklyProblem } from './calendar';
import { expandHolidaySchedule, replaceHolidayYear, type CalendarDay } from './holiday-schedule';
import { SlaConfigService } from './sla-config.service';

/**
 * Every write to SLA configuration goes through here, and through AdminChanges: one transaction
 * with its admin_audit row, then the 'sla' configuration reloaded here and on every instance.
 */
@Injectable()
export class SlaAdminService {
  constructor(
    private readonly db: DataSource,
    private readonly config: SlaConfigService,
    private readonly categories: CategoriesService,
    private readonly changes: AdminChanges,
    private readonly clock: ClockService,
  ) {}

  listCalendars(): SlaCalendarView[] {
    return this.config.allCalendars().map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      timeZone: c.timeZone,
      weekly: c.weekly,
      isDefault: c.isDefault,
      holidays: [...c.holidays].sort(),
      makeUpWorkdays: [...c.makeUpDays].sort(),
    }));
  }

  async createCalendar(actor: Actor, input: SlaCalendarInput): Promise<SlaCalendarView> {
    checkCalendar(input.weekly, input.timeZone);
    const taken: unknown[] = await this.db.query('SELECT 1 FROM sla_calendars WHERE code = $1', [input.code]);
    if (taken.length) throw new AppException('SLA_CALENDAR_CODE_TAKEN', `A calendar with code ${input.code} exists`);
    const id = await this.changes.apply(actor, ['sla'], async (tx) => {
      if (input.isDefault) await tx.query('UPDATE sla_calendars SET is_default = false, updated_at = now() WHERE is_default');
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO sla_calendars (code, name, time_zone, weekly, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.code, input.name, input.timeZone ?? this.clock.timeZone, JSON.stringify(input.weekly), input.isDefault ?? false],
      );
      const after = { timeZone: this.clock.timeZone, isDefault: false, ...input };
      await tx.audit({ entityType: 'sla_calendar', entityId: rows[0]!.id, action: 'create', before: null, after });
      return rows[0]!.id;
    });
    return this.calendarView(id);
  }

  async updateCalendar(actor: Actor, id: number, input: Partial<SlaCalendarInput>): Promise<SlaCalendarView> {
    const current = this.requireCalendar(id);
    checkCalendar(input.weekly ?? current.weekly, input.timeZone ?? current.timeZone);
    const before = {
      code: current.code,
      name: current.name,
      timeZone: current.timeZone,
      weekly: current.weekly,
      isDefault: current.isDefault,
    };
    await this.changes.apply(actor, ['sla'], async (tx) => {
      if (input.isDefault)
        await tx.query('UPDATE sla_calendars SET is_default = false, updated_at = now() WHERE is_default AND id <> $1', [id]);
      await tx.query(
        `UPDATE sla_calendars SET name = COALESCE($2, name), time_zone = COALESCE($3, time_zone), weekly = COALESCE($4, weekly),
                is_default = COALESCE($5, is_default), updated_at = now() WHERE id = $1`,
        [id, input.name ?? null, input.timeZone ?? null, input.weekly ? JSON.stringify(input.weekly) : null, input.isDefault ?? null],
      );
      await tx.audit({ entityType: 'sla_calendar', entityId: id, action: 'update', before, after: { ...before, ...input } });
    });
    return this.calendarView(id);
  }

  /** Replaces one year of holidays and make-up days of a calendar (the default one when no id is given). Idempotent. */
  async importHolidays(
    actor: Actor,
    calendarId: number | null,
    schedule: HolidayScheduleInput,
  ): Promise<{ calendarId: number; year: number; holidays: number; makeUpWorkdays: number }> {
    const calendar = calendarId === null ? this.config.allCalendars().find((c) => c.isDefault) : this.requireCalendar(calendarId);
    if (!calendar) throw new AppException('SLA_CALENDAR_NOT_FOUND', 'There is no default calendar');
    let days: CalendarDay[];
    try {
      days = expandHolidaySchedule(schedule);
    } catch (err) {
      throw new AppException('HOLIDAY_SCHEDULE_INVALID', (err as Error).message);
    }
    const ofYear = (dates: ReadonlySet<string>) => [...dates].filter((d) => d.startsWith(`${schedule.year}-`)).sort();
    const before = { year: schedule.year, holidays: ofYear(calendar.holidays), makeUpWorkdays: ofYear(calendar.makeUpDays) };
    const after = {
      year: schedule.year,
      holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
      makeUpWorkdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
    };
    await this.changes.apply(actor, ['sla'], async (tx) => {
      await replaceHolidayYear(tx.manager, calendar.id, schedule.year, days);
      await tx.audit({ entityType: 'sla_calendar', entityId: calendar.id, action: 'import_holidays', before, after });
    });
    return {
      calendarId: calendar.id,
      year: schedule.year,
      holidays: days.filter((d) => d.kind === 'holiday').length,
      makeUpWorkdays: days.filter((d) => d.kind === 'workday').length,
    };
  }

  listPolicies(): SlaPolicyView[] {
    return this.config.allPolicies().map((p) => ({ ...p }));
  }

  /** Creates or replaces the policy of (category, priority, stage). Running clocks keep their terms. */
  async upsertPolicy(actor: Actor, input: SlaPolicyInput): Promise<SlaPolicyView> {
    if (input.categoryId !== null && !this.categories.get(input.categoryId)) {
      throw new AppException('UNKNOWN_REFERENCE', `Category ${input.categoryId} does not exist`, { field: 'categoryId' });
    }
    if (input.calendarId != null) this.requireCalendar(input.calendarId);
    const before = this.config
      .allPolicies()
      .find((p) => p.categoryId === input.categoryId && p.priority === input.priority && p.stage === input.stage);
    const id = await this.changes.apply(actor, ['sla'], async (tx) => {
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO sla_policies (category_id, priority, stage, unit, target, warn_fraction, calendar_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (category_id, priority, stage) DO UPDATE
         SET unit = EXCLUDED.unit, target = EXCLUDED.target, warn_fraction = EXCLUDED.warn_fraction, calendar_id = EXCLUDED.calendar_id
       RETURNING id`,
        [input.categoryId, input.priority, input.stage, input.unit, input.target, input.warnFraction ?? 0.75, input.calendarId ?? null],
      );
      // eslint-disable-next-line gridline/no-spread-then-extend -- an administrator's edit, not a hot path
      const after = { ...input, id: rows[0]!.id, warnFraction: input.warnFraction ?? 0.75, calendarId: input.calendarId ?? null };
      await tx.audit({
        entityType: 'sla_policy',
        entityId: rows[0]!.id,
        action: before ? 'update' : 'create',
        before: before ?? null,
        after,
      });
      return rows[0]!.id;
    });
    return this.listPolicies().find((p) => p.id === id)!;
  }

  async deletePolicy(actor: Actor, id: number): Promise<void> {
    await this.changes.apply(actor, ['sla'], async (tx) => {
      const rows = await tx.query('WITH d AS (DELETE FROM sla_policies WHERE id = $1 RETURNING *) SELECT * FROM d', [id]);
      if (rows.length === 0) throw new AppException('SLA_POLICY_NOT_FOUND', `Policy ${id} not found`);
      const before = this.config.allPolicies().find((p) => p.id === id) ?? rows[0];
      await tx.audit({ entityType: 'sla_policy', entityId: id, action: 'delete', before, after: null });
    });
  }

  private requireCalendar(id: number) {
    const cal = this.config.allCalendars().find((c) => c.id === id);
    if (!cal) throw new AppException('SLA_CALENDAR_NOT_FOUND', `Calendar ${id} not found`);
    return cal;
  }

  private async calendarView(id: number): Promise<SlaCalendarView> {
    await this.config.reload();
    return this.listCalendars().find((c) => c.id === id)!;
  }
}

/** The weekly intervals (in order, non-overlapping, within a day) and the time zone must make sense. */
function checkCalendar(weekly: WeeklySchedule, timeZone: string | undefined): void {
  const problem = weeklyProblem(weekly);
  if (problem) throw new AppException('SLA_CALENDAR_INVALID', problem, { field: 'weekly' });
  if (timeZone !== undefined && canonicalTimeZone(timeZone) === null) {
    throw new AppException('SLA_CALENDAR_INVALID', `Unknown time zone ${timeZone}`, { field: 'timeZone' });
  }
}
