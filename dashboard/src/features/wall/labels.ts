import type { IssueFrame, IssueStatus, Priority } from '@gridline/shared';
import { t, type MessageKey } from '@/i18n';
import { wallZh } from './messages';

/** Display names of statuses, actions, stages and priorities on the wall, in the current locale. */

function known(key: string): key is MessageKey {
  return key in wallZh;
}

export function statusLabel(status: IssueStatus): string {
  return t(`wall.status.${status}`);
}

export function priorityLabel(priority: Priority): string {
  return t(`wall.priority.${priority}`);
}

export function actionLabel(action: IssueFrame['action']): string {
  const key = `wall.action.${action}`;
  if (known(key)) return t(key);
  return action.startsWith('sla.') ? t('wall.action.sla') : action;
}

export function stageLabel(stage: string): string {
  const key = `wall.stage.${stage}`;
  return known(key) ? t(key) : stage;
}
