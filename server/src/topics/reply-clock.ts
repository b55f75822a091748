import type { Role } from '@gridline/shared';
import { TOPIC_REPLY_WARN_FRACTION } from '@gridline/shared';
import { unknownRole } from '../scope/actor-scope';
import type { Measure } from '../sla/clock-state';

/** A topic's reply clock: when it was assigned, when it warns (黄牌) and when the reply is due (红牌). */
export interface ReplyPlan {
  assignedAt: number;
  warnAt: number;
  dueAt: number;
}

/**
 * Plans the reply clock on a working-time measure of the SLA engine (the default calendar):
 * either `workDays` working days from the assignment, or a due instant given by the dispatcher.
 * The warning falls at TOPIC_REPLY_WARN_FRACTION of the working time between the two — or of the
 * plain time when no working time lies between them (a due date set inside a holiday).
 */
export function planReply(at: number, due: { workDays: number; dayMs: number } | { dueAt: number }, m: Measure): ReplyPlan {
  const dueAt = 'dueAt' in due ? due.dueAt : m.advance(at, Math.round(due.workDays * due.dayMs));
  const working = m.between(at, dueAt);
  const warnAt =
    working > 0
      ? m.advance(at, Math.round(working * TOPIC_REPLY_WARN_FRACTION))
      : at + Math.round((dueAt - at) * TOPIC_REPLY_WARN_FRACTION);
  return { assignedAt: at, warnAt: Math.min(warnAt, dueAt), dueAt };
}

/** Who may be the leader a topic is assigned to (a person who answers for an office). */
export function mayAnswerTopics(role: Role): boolean {
  switch (role) {
    case 'dispatcher':
    case 'viewer':
    case 'dept_lead':
    case 'dept_staff':
    case 'admin':
      return true;
    case 'grid_worker':
    case 'resident':
    case 'volunteer':
      return false;
    default:
      return unknownRole(role);
  }
}
