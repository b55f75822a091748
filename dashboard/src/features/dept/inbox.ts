import type { IssueListQuery, IssueSummary } from '@gridline/shared';
import { PRIORITY_RANK } from '@/features/issues/labels';
import type { MessageKey } from '@/i18n';

/** The department's inbox tabs: one list query each. Scope (own department, staff: own tasks) is the server's. */
export const TAB_IDS = ['toSign', 'working', 'suspended', 'mine', 'done'] as const;
export type TabId = (typeof TAB_IDS)[number];

export const TABS: Record<TabId, { labelKey: MessageKey; query: IssueListQuery }> = {
  toSign: { labelKey: 'dept.tab.toSign', query: { status: ['dispatched'] } },
  working: { labelKey: 'dept.tab.working', query: { status: ['in_progress'] } },
  suspended: { labelKey: 'dept.tab.suspended', query: { status: ['suspended'] } },
  mine: { labelKey: 'dept.tab.mine', query: { assignedToMe: true, status: ['in_progress', 'suspended'] } },
  done: { labelKey: 'dept.tab.done', query: { status: ['resolved', 'closed'] } },
};

export function isTabId(value: unknown): value is TabId {
  return typeof value === 'string' && (TAB_IDS as readonly string[]).includes(value);
}

/** Most urgent first, then the earliest due (when known), then the newest. */
export function byUrgency(a: IssueSummary & { dueAt?: string | null }, b: IssueSummary & { dueAt?: string | null }): number {
  const p = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
  if (p !== 0) return p;
  if (a.dueAt && b.dueAt && a.dueAt !== b.dueAt) return a.dueAt.localeCompare(b.dueAt);
  return b.reportedAt.localeCompare(a.reportedAt);
}
