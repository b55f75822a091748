import type { IssueDetail } from '@gridline/shared';
import { issuesApi, isVisibleResult } from '@/features/issues/api';
import { errorText } from '@/i18n/errors';
import { t } from '@/i18n';

export interface BulkResult {
  id: number;
  number: string;
  ok: boolean;
  /** The department it went to, when dispatched. */
  departmentId?: number;
  message?: string;
}

/**
 * 批量受理并派遣: for each issue, accept it if it is still to be accepted, then dispatch it to
 * `departmentId` or else its suggested department. Each issue stands alone: one failure does
 * not stop the others, and each gets its own result line. Only actions the server offers
 * (`allowedActions`) are tried.
 */
export async function acceptAndDispatch(
  ids: readonly number[],
  departmentId: number | null,
  onResult: (r: BulkResult) => void,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of ids) {
    let number = `#${id}`;
    let result: BulkResult;
    try {
      let issue: IssueDetail = await issuesApi.detail(id);
      number = issue.number;
      if (issue.allowedActions.includes('accept')) {
        const accepted = await issuesApi.act(id, 'accept', issue.version, {});
        if (!isVisibleResult(accepted)) throw new Error(t('console.bulk.gone'));
        issue = accepted;
      }
      const target = departmentId ?? issue.suggestedDepartmentId;
      if (!issue.allowedActions.includes('dispatch') || target === null) {
        result = { id, number, ok: false, message: t(target === null ? 'console.bulk.noSuggestion' : 'console.bulk.notDispatchable') };
      } else {
        await issuesApi.act(id, 'dispatch', issue.version, { departmentId: target });
        result = { id, number, ok: true, departmentId: target };
      }
    } catch (err) {
      result = { id, number, ok: false, message: errorText(err) };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
