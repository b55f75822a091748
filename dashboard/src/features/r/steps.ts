import type { ResidentStep, ResidentTimelineEntry } from '@gridline/shared';
import { t } from '@/i18n';

/** A plain step as the resident reads it: 已派遣至 X names the department. */
export function stepLabel(step: ResidentStep, departmentName: string | null = null): string {
  if (step === 'dispatched') return departmentName ? t('r.step.dispatched', { name: departmentName }) : t('r.step.dispatchedPlain');
  return t(`r.step.${step}`);
}

export const entryLabel = (e: ResidentTimelineEntry) => stepLabel(e.step, e.departmentName);
