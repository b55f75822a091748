import type { Priority } from './api';

/** SLA clocks (时限): one per issue and stage, counted in calendar or working time. */
export const SLA_STAGES = ['accept', 'dispatch', 'sign', 'handle', 'verify', 'overall'] as const;
export type SlaStage = (typeof SLA_STAGES)[number];

export const SLA_UNITS = ['calendar_minutes', 'work_minutes', 'work_days'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

/** What fires on a clock, in order: 黄牌 at the warn fraction, 红牌 at the due time, then the 督办 ladder one level up. */
export const SLA_LEVELS = ['warning', 'breach', 'escalation_1'] as const;
export type SlaLevel = (typeof SLA_LEVELS)[number];

export const DEFAULT_WARN_FRACTION = 0.75;

export interface SlaClockView {
  id: number;
  stage: SlaStage;
  unit: SlaUnit;
  /** The policy's target, in `unit`. */
  target: number;
  startedAt: string;
  /** Null while paused (the due time moves with the pause). */
  dueAt: string | null;
  /** Time left in the clock's measure (working ms for working-time units, else calendar ms); negative once overdue. */
  remainingMs: number;
  /** Wall-clock time spent on hold (挂账). */
  pausedMs: number;
  paused: boolean;
  /** Extra time granted by approved extensions, in the clock's measure. */
  extendedMs: number;
  warnedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  overdue: boolean;
}

/** A weekly schedule: per ISO weekday (Monday first), [start, end) minutes after local midnight. */
export type WeeklySchedule = [number, number][][];

export interface SlaCalendarView {
  id: number;
  code: string;
  name: string;
  timeZone: string;
  weekly: WeeklySchedule;
  isDefault: boolean;
  holidays: string[];
  makeUpWorkdays: string[];
}

export interface SlaCalendarInput {
  code: string;
  name: string;
  timeZone?: string;
  weekly: WeeklySchedule;
  isDefault?: boolean;
}

/** The State Council's yearly schedule, as in `cn-holidays-2026.json`. */
export interface HolidayScheduleInput {
  year: number;
  source?: string;
  timezone?: string;
  holidays: { name: string; from: string; to: string }[];
  makeUpWorkdays: string[];
}

export interface SlaPolicyView {
  id: number;
  /** Null: the global default for every category. */
  categoryId: number | null;
  /** Null: any priority. */
  priority: Priority | null;
  stage: SlaStage;
  unit: SlaUnit;
  target: number;
  warnFraction: number;
  calendarId: number | null;
}

export type SlaPolicyInput = Omit<SlaPolicyView, 'id' | 'warnFraction' | 'calendarId'> & {
  warnFraction?: number;
  calendarId?: number | null;
};

export interface SlaStageStats {
  stage: SlaStage;
  /** Stopped clocks counted. */
  count: number;
  /** Elapsed time without holds, ms. */
  avgMs: number | null;
  p90Ms: number | null;
  /** Stopped within target + approved extensions. */
  onTime: number;
}

export interface SlaDepartmentStats {
  departmentId: number;
  returns: number;
  reopens: number;
  overdueNow: number;
}

export interface SlaStats {
  regionId: number;
  departmentId: number | null;
  from: string | null;
  to: string | null;
  asOf: string;
  /** Issues reported in the range (rejected and merged ones left out). */
  issues: number;
  closed: number;
  /** 结案率: closed / issues. */
  closeRate: number | null;
  /** 按期结案率: closed within the overall target (holds and approved extensions excluded) / closed. */
  onTimeCloseRate: number | null;
  overdueNow: number;
  stages: SlaStageStats[];
  departments: SlaDepartmentStats[];
}
