import { SLA_STAGES, type IssueFrame, type SlaStage } from '@gridline/shared';
import { eventLabel } from '@/features/issues/labels';
import { t } from '@/i18n';

/**
 * Labels on the wall. Statuses, priorities and workflow actions come from the one place the
 * dashboard keeps them (features/issues/labels.ts); the wall adds only what is its own: the
 * SLA events of its feed and the stages of its overdue list.
 */
export { priorityLabel, statusLabel } from '@/features/issues/labels';

export function actionLabel(action: IssueFrame['action']): string {
  switch (action) {
    case 'sla.warning':
      return t('wall.action.sla.warning');
    case 'sla.breached':
      return t('wall.action.sla.breached');
    default:
      return action.startsWith('sla.') ? t('wall.action.sla') : eventLabel(action);
  }
}

const isStage = (stage: string): stage is SlaStage => (SLA_STAGES as readonly string[]).includes(stage);

export function stageLabel(stage: string): string {
  return isStage(stage) ? t(`issue.sla.stage.${stage}`) : stage;
}
