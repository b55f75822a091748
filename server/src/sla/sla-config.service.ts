import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Priority, SlaStage, WeeklySchedule } from '@gridline/shared';
import { CategoriesService } from '../categories/categories.service';
import { addWorkingMs, workingMsBetween, type WorkingCalendar } from './calendar';
import type { ClockTerms, Measure } from './clock-state';
import { PolicyTable, termsOf, type PolicyRow } from './policy-resolution';

export interface LoadedCalendar extends WorkingCalendar {
  id: number;
  code: string;
  name: string;
  isDefault: boolean;
  weekly: WeeklySchedule;
}

const CALENDAR_MEASURE: Measure = { advance: (from, ms) => from + ms, between: (a, b) => Math.max(0, b - a) };

/**
 * Calendars and policies are configuration: held in memory (every report and transition reads
 * them), reloaded after an admin change here and every few seconds when another instance changed them.
 */
@Injectable()
export class SlaConfigService implements OnModuleInit {
  private calendars = new Map<number, LoadedCalendar>();
  private defaultCalendarId = 0;
  private policies = new PolicyTable([]);
  private rows: PolicyRow[] = [];
  private measures = new Map<number, Measure>();
  private loadedVersion = '';

  constructor(
    private readonly db: DataSource,
    private readonly categories: CategoriesService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** A fingerprint of the configuration, cheap enough to poll. */
  private async version(): Promise<string> {
    const rows: { v: string }[] = await this.db.query(
      `SELECT concat_ws('|', (SELECT max(updated_at) FROM sla_calendars), (SELECT count(*) FROM sla_calendars),
                        (SELECT count(*) FROM sla_calendar_days), (SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM sla_policies p)) AS v`,
    );
    return rows[0]?.v ?? '';
  }

  async reloadIfChanged(): Promise<void> {
    if ((await this.version()) !== this.loadedVersion) await this.reload();
  }

  async reload(): Promise<void> {
    const version = await this.version();
    const cals: { id: number; code: string; name: string; time_zone: string; weekly: WeeklySchedule; is_default: boolean }[] =
      await this.db.query('SELECT id, code, name, time_zone, weekly, is_default FROM sla_calendars ORDER BY id');
    const days: { calendar_id: number; day: string; kind: 'holiday' | 'workday' }[] = await this.db.query(
      `SELECT calendar_id, to_char(day, 'YYYY-MM-DD') AS day, kind FROM sla_calendar_days`,
    );
    const calendars = new Map<number, LoadedCalendar>();
    for (const c of cals) {
      const mine = days.filter((d) => d.calendar_id === c.id);
      calendars.set(c.id, {
        id: c.id,
        code: c.code,
        name: c.name,
        isDefault: c.is_default,
        timeZone: c.time_zone,
        weekly: c.weekly,
        holidays: new Set(mine.filter((d) => d.kind === 'holiday').map((d) => d.day)),
        makeUpDays: new Set(mine.filter((d) => d.kind === 'workday').map((d) => d.day)),
      });
    }
    const policies: PolicyRow[] = await this.db.query(
      `SELECT id, category_id AS "categoryId", priority, stage, unit, target, warn_fraction AS "warnFraction", calendar_id AS "calendarId"
         FROM sla_policies ORDER BY id`,
    );
    this.calendars = calendars;
    this.defaultCalendarId = cals.find((c) => c.is_default)?.id ?? cals[0]?.id ?? 0;
    this.rows = policies;
    this.policies = new PolicyTable(policies);
    this.measures = new Map();
    this.loadedVersion = version;
  }

  calendar(id: number): LoadedCalendar {
    const cal = this.calendars.get(id) ?? this.calendars.get(this.defaultCalendarId);
    if (!cal) throw new Error('No SLA calendar is configured (the migration creates a default one)');
    return cal;
  }

  allCalendars(): LoadedCalendar[] {
    return [...this.calendars.values()];
  }

  allPolicies(): PolicyRow[] {
    return this.rows;
  }

  /** The clock terms for a stage of an issue of this category and priority. */
  termsFor(categoryId: number, priority: Priority, stage: SlaStage): ClockTerms {
    const chain: number[] = [];
    for (let id: number | null = categoryId; id !== null && chain.length < 5; id = this.categories.get(id)?.parentId ?? null)
      chain.push(id);
    const policy = this.policies.resolve(chain, priority, stage);
    const calendar = this.calendar(policy.calendarId ?? this.defaultCalendarId);
    return termsOf(policy, calendar.id, calendar);
  }

  /** How a clock with these terms measures time. */
  measure(terms: Pick<ClockTerms, 'unit' | 'calendarId'>): Measure {
    if (terms.unit === 'calendar_minutes') return CALENDAR_MEASURE;
    let m = this.measures.get(terms.calendarId);
    if (!m) {
      const cal = this.calendar(terms.calendarId);
      m = { advance: (from, ms) => addWorkingMs(cal, from, ms), between: (a, b) => workingMsBetween(cal, a, b) };
      this.measures.set(terms.calendarId, m);
    }
    return m;
  }
}
