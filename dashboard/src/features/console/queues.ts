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
  inProgress: { id: 'inProgress', labelKey: 'console.queue.inProgress', query: { status: ['dispatched', 'in_progress'] } },
  suspended: { id: 'suspended', labelKey: 'console.queue.suspended', query: { status: ['suspended'] } },
  all: { id: 'all', labelKey: 'console.queue.all', query: {} },
};

export function isQueueId(value: unknown): value is QueueId {
  return typeof value === 'string' && (QUEUE_IDS as readonly string[]).includes(value);
}
