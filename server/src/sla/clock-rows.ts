import type { SlaClockView, SlaLevel, SlaStage, SlaUnit } from '@gridline/shared';
import { nextTimer, remainingAt, type ClockState, type Measure } from './clock-state';

/** An sla_clocks row as selected by CLOCK_COLUMNS. */
export interface ClockRow {
  id: string;
  issue_id: number;
  stage: SlaStage;
  policy_id: number | null;
  calendar_id: number;
  unit: SlaUnit;
  target: number;
  target_ms: string;
  warn_fraction: number;
  started_at: Date;
  running_since: Date | null;
  used_ms: string;
  extended_ms: string;
  paused_ms: string;
  paused_since: Date | null;
  warn_at: Date | null;
  due_at: Date | null;
  escalate_at: Date | null;
  warned_at: Date | null;
  breached_at: Date | null;
  escalated_at: Date | null;
  stopped_at: Date | null;
}

/** Columns of an sla_clocks row (FROM sla_clocks, unaliased), with its marks from sla_firings. */
export const CLOCK_COLUMNS = `id, issue_id, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
  used_ms, extended_ms, paused_ms, paused_since, warn_at, due_at, escalate_at, stopped_at,
  (SELECT fired_at FROM sla_firings f WHERE f.clock_id = sla_clocks.id AND f.level = 'warning') AS warned_at,
  (SELECT fired_at FROM sla_firings f WHERE f.clock_id = sla_clocks.id AND f.level = 'breach') AS breached_at,
  (SELECT fired_at FROM sla_firings f WHERE f.clock_id = sla_clocks.id AND f.level = 'escalation_1') AS escalated_at`;

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export function fromRow(r: ClockRow): ClockState {
  return {
    id: Number(r.id),
    stage: r.stage,
    policyId: r.policy_id,
    calendarId: r.calendar_id,
    unit: r.unit,
    target: r.target,
    targetMs: Number(r.target_ms),
    warnFraction: r.warn_fraction,
    startedAt: r.started_at.getTime(),
    runningSince: ms(r.running_since),
    usedMs: Number(r.used_ms),
    extendedMs: Number(r.extended_ms),
    pausedMs: Number(r.paused_ms),
    pausedSince: ms(r.paused_since),
    warnAt: ms(r.warn_at),
    dueAt: ms(r.due_at),
    escalateAt: ms(r.escalate_at),
    warnedAt: ms(r.warned_at),
    breachedAt: ms(r.breached_at),
    escalatedAt: ms(r.escalated_at),
    stoppedAt: ms(r.stopped_at),
  };
}

/** The record shape jsonb_to_recordset reads in CLOCK_RECORD below (timestamps as ISO strings). */
export function toRecord(c: ClockState) {
  const next = nextTimer(c);
  return {
    id: c.id,
    stage: c.stage,
    policy_id: c.policyId,
    calendar_id: c.calendarId,
    unit: c.unit,
    target: c.target,
    target_ms: c.targetMs,
    warn_fraction: c.warnFraction,
    started_at: iso(c.startedAt),
    running_since: iso(c.runningSince),
    used_ms: Math.round(c.usedMs),
    extended_ms: Math.round(c.extendedMs),
    paused_ms: Math.round(c.pausedMs),
    paused_since: iso(c.pausedSince),
    warn_at: iso(c.warnAt),
    due_at: iso(c.dueAt),
    escalate_at: iso(c.escalateAt),
    stopped_at: iso(c.stoppedAt),
    next_level: (next?.level ?? null) as SlaLevel | null,
    next_at: iso(next?.fireAt ?? null),
  };
}

/** Column list of a clock record for jsonb_to_recordset(…) AS r(…). */
export const CLOCK_RECORD = `id bigint, stage text, policy_id int, calendar_id int, unit text, target int, target_ms bigint, warn_fraction real,
  started_at timestamptz, running_since timestamptz, used_ms bigint, extended_ms bigint, paused_ms bigint, paused_since timestamptz,
  warn_at timestamptz, due_at timestamptz, escalate_at timestamptz, stopped_at timestamptz, next_level text, next_at timestamptz`;

export function toView(c: ClockState, now: number, m: Measure): SlaClockView {
  const remainingMs = c.stoppedAt !== null ? c.targetMs + c.extendedMs - c.usedMs : remainingAt(c, now, m);
  return {
    id: c.id ?? 0,
    stage: c.stage,
    unit: c.unit,
    target: c.target,
    startedAt: iso(c.startedAt)!,
    dueAt: iso(c.dueAt),
    remainingMs: Math.round(remainingMs),
    pausedMs: Math.round(c.pausedMs + (c.pausedSince !== null ? Math.max(0, now - c.pausedSince) : 0)),
    paused: c.pausedSince !== null,
    extendedMs: Math.round(c.extendedMs),
    warnedAt: iso(c.warnedAt),
    breachedAt: iso(c.breachedAt),
    stoppedAt: iso(c.stoppedAt),
    overdue: remainingMs < 0,
  };
}
