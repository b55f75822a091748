import type { IssueListQuery } from '@gridline/shared';
import type { MessageKey } from '@/i18n';

/** The command center's work queues: one list query each, in the order of the day's work. */
export const QUEUE_IDS = [
  'toAccept',
  'toDispatch',
  'returned',
  'overdue',
  'extensions',
  'toVerify',
  'inProgress',
  'suspended',
  'all',
  // After the others, so the number keys 1–9 keep their queues.
  'reopenRequests',
  // 督办: issues with an open 督办 (automatic on a breach, or by hand).
  'supervised',
  // 挂账申请 from departments, and 上报件 passed up to this centre (ADR 0041).
  'holdRequests',
  'escalated',
] as const;
export type QueueId = (typeof QUEUE_IDS)[number];

export interface QueueDef {
  id: QueueId;
  labelKey: MessageKey;
  query: IssueListQuery;
  /** Shown with a warning colour when not empty. */
  alert?: boolean;
}

export const QUEUES: Record<QueueId, QueueDef> = {
  toAccept: { id: 'toAccept', labelKey: 'console.queue.toAccept', query: { status: ['reported'] }, alert: true },
  toDispatch: { id: 'toDispatch', labelKey: 'console.queue.toDispatch', query: { status: ['accepted'], returned: false } },
  returned: { id: 'returned', labelKey: 'console.queue.returned', query: { returned: true }, alert: true },
  overdue: { id: 'overdue', labelKey: 'console.queue.overdue', query: { slaAlert: true }, alert: true },
  extensions: { id: 'extensions', labelKey: 'console.queue.extensions', query: { hasPendingExtension: true }, alert: true },
  toVerify: { id: 'toVerify', labelKey: 'console.queue.toVerify', query: { status: ['resolved'] } },
  // 群众申请重办: closed issues whose resident was not satisfied and asks for them to be handled again.
  reopenRequests: {
    id: 'reopenRequests',
    labelKey: 'console.queue.reopenRequests',
    query: { hasPendingReopenRequest: true },
    alert: true,
  },
  holdRequests: { id: 'holdRequests', labelKey: 'console.queue.holdRequests', query: { hasPendingHold: true }, alert: true },
  escalated: {
    id: 'escalated',
    labelKey: 'console.queue.escalated',
    query: { escalatedToMe: true, status: ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended'] },
    alert: true,
  },
  inProgress: { id: 'inProgress', labelKey: 'console.queue.inProgress', query: { status: ['dispatched', 'in_progress'] } },
  suspended: { id: 'suspended', labelKey: 'console.queue.suspended', query: { status: ['suspended'] } },
  all: { id: 'all', labelKey: 'console.queue.all', query: {} },
  supervised: { id: 'supervised', labelKey: 'console.queue.supervised', query: { supervised: true }, alert: true },
};

export function isQueueId(value: unknown): value is QueueId {
  return typeof value === 'string' && (QUEUE_IDS as readonly string[]).includes(value);
}
