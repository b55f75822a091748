import type { IssueAction, IssueSource, IssueStatus, Priority } from '@gridline/shared';
import { t, type MessageKey } from '@/i18n';

/** One place for the labels of statuses, priorities, actions and timeline events. */
export const statusLabel = (s: IssueStatus) => t(`issue.status.${s}`);
export const priorityLabel = (p: Priority) => t(`issue.priority.${p}`);
export const actionLabel = (a: Exclude<IssueAction, 'report'>) => t(`issue.action.${a}`);
export const sourceLabel = (s: IssueSource) => t(`issue.source.${s}`);

/** Timeline event types: workflow actions and `sla.*` events; unknown ones show as they are. */
export function eventLabel(type: string): string {
  const key = (type === 'report' ? 'issue.event.report' : `issue.action.${type}`) as MessageKey;
  const text = t(key);
  return text === key ? type : text;
}

/** Priority order for "most urgent first". */
export const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2 };

/** Compact "2小时5分" / "2h 5m" for countdowns. */
export function formatDuration(ms: number, zh: boolean): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = zh
    ? [d ? `${d}天` : '', h ? `${h}小时` : '', d ? '' : `${m}分`, d || h ? '' : `${s}秒`]
    : [d ? `${d}d` : '', h ? `${h}h` : '', d ? '' : `${m}m`, d || h ? '' : `${s}s`];
  return parts.filter(Boolean).join(zh ? '' : ' ');
}
