import { ref } from 'vue';
import type { IssueActionResult, IssueDetail, IssueTransitionAction } from '@gridline/shared';
import { isHttpError } from '@/api/http';
import { t } from '@/i18n';
import { errorText } from '@/i18n/errors';
import { issuesApi, type ActionBody } from './api';
import { actionLabel } from './labels';

export interface ActionOutcome {
  ok: boolean;
  result?: IssueActionResult;
  /** What went wrong, in the reader's language (i18n/errors.ts), when not ok. */
  message?: string;
  /** True when the issue changed meanwhile (409 version conflict): the caller should reload. */
  conflict?: boolean;
}

/** Runs workflow actions on one issue, one at a time, with the version the caller saw. */
export function useIssueAction() {
  const busy = ref<IssueTransitionAction | null>(null);

  async function run<A extends IssueTransitionAction>(
    issue: Pick<IssueDetail, 'id' | 'version'>,
    action: A,
    body: ActionBody<A>,
    photos: readonly Blob[] = [],
  ): Promise<ActionOutcome> {
    if (busy.value) return { ok: false, message: t('issue.form.submitting') };
    busy.value = action;
    try {
      const result = await issuesApi.act(issue.id, action, issue.version, body, photos);
      return { ok: true, result };
    } catch (err) {
      const conflict = isHttpError(err, 'ISSUE_VERSION_CONFLICT');
      return { ok: false, conflict, message: conflict ? t('issue.form.conflict') : errorText(err) };
    } finally {
      busy.value = null;
    }
  }

  return { busy, run };
}

export const doneMessage = (action: IssueTransitionAction, result: IssueActionResult, number: string) =>
  'visible' in result
    ? t('issue.form.gone', { action: actionLabel(action) })
    : t('issue.form.done', { action: actionLabel(action), number });
