import type { EntityManager } from 'typeorm';
import type { ActionInputs, IssueTransitionAction } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import type { StoredPhoto } from '../attachments/attachment-storage.service';
import type { CategoriesService } from '../categories/categories.service';
import { AppException } from '../common/app.exception';
import type { DepartmentsService } from '../departments/departments.service';
import type { ScopeService } from '../scope/scope.service';
import type { SlaClocksService } from '../sla/sla-clocks.service';
import { answerInfoRequest, fileReopenRequest, openInfoRequest } from '../residents/resident-effects';
import { declineHoldRequest, fileHoldRequest, settleHoldRequest } from './hold-requests';
import { Issue } from './issue.entity';

/** What an action records in its audit event. The issue columns it changes follow from `data` (row-changes.ts). */
export interface ActionRecord {
  note: string | null;
  data: Record<string, unknown>;
}

/** Everything an action's effect may use, inside the transition's transaction (the issue row is locked). */
export interface EffectContext<I> {
  tx: EntityManager;
  actor: Actor;
  issue: Issue;
  input: I;
  photos: readonly StoredPhoto[];
  now: Date;
  departments: DepartmentsService;
  categories: CategoriesService;
  scope: ScopeService;
  sla: SlaClocksService;
}

type ActionEffect<I> = (c: EffectContext<I>) => ActionRecord | Promise<ActionRecord>;

/**
 * Per action: the checks only this action makes, the rows only it writes (extension requests,
 * supervisions, evaluations) and what its audit event records. The shared steps — role, lock,
 * scope, version, workflow table, relations, the issue update, the audit row, the SLA clocks —
 * are IssueTransitionsService.apply's.
 */
export const ACTION_EFFECTS: { readonly [A in IssueTransitionAction]: ActionEffect<ActionInputs[A]> } = {
  resolve_on_site: ({ input, photos }) => {
    if (photos.length === 0) throw new AppException('PHOTO_REQUIRED', 'Resolving on the spot needs an after-photo');
    return { note: input.note, data: { onSite: true } };
  },
  accept: ({ input }) => ({ note: input.note ?? null, data: {} }),
  reject: ({ input }) => ({ note: input.reason, data: {} }),
  merge: async ({ tx, actor, issue, input, scope }) => {
    await checkMergeTarget(tx, actor, issue, input.primaryIssueId, scope);
    return { note: input.note ?? null, data: { primaryIssueId: input.primaryIssueId } };
  },
  dispatch: ({ issue, input, departments }) => {
    departments.require(input.departmentId);
    const suggestedDepartmentId = departments.suggest(issue.categoryId, issue.gridId);
    return { note: input.note ?? null, data: { departmentId: input.departmentId, suggestedDepartmentId } };
  },
  sign: async ({ tx, actor, issue, input }) => {
    const assigneeId = await checkAssignee(tx, actor, issue, input.assigneeId ?? actor.id);
    return { note: input.note ?? null, data: { assigneeId } };
  },
  // data.departmentId: the department it came back from. A hold request still waiting lapses.
  return: async ({ tx, issue, input, now }) => {
    const holdRequestId = await settleHoldRequest(tx, issue.id, 'lapsed', { actorId: null, note: null }, now);
    return { note: input.reason, data: { departmentId: issue.departmentId, ...(holdRequestId ? { holdRequestId } : {}) } };
  },
  // 挂账; with a department's hold request waiting, this is its approval.
  suspend: async ({ tx, actor, issue, input, now }) => {
    const holdRequestId = await settleHoldRequest(tx, issue.id, 'approved', { actorId: actor.id, note: input.reason }, now);
    return { note: input.reason, data: holdRequestId ? { holdRequestId } : {} };
  },
  resume: ({ input }) => ({ note: input.note ?? null, data: {} }),
  resolve: async ({ tx, issue, input, photos, now, categories }) => {
    const category = categories.get(issue.categoryId);
    if (category?.photoRequiredOnResolve && photos.length === 0) {
      throw new AppException('PHOTO_REQUIRED', `Resolving ${category.name} needs an after-photo`);
    }
    const holdRequestId = await settleHoldRequest(tx, issue.id, 'lapsed', { actorId: null, note: null }, now);
    return { note: input.note, data: holdRequestId ? { holdRequestId } : {} };
  },
  verify: ({ input }) => ({ note: input.note ?? null, data: {} }),
  reopen: ({ input }) => ({ note: input.reason, data: {} }),
  request_extension: async ({ tx, actor, issue, input, now }) => {
    const pending: unknown[] = await tx.query(`SELECT 1 FROM extension_requests WHERE issue_id = $1 AND status = 'pending'`, [issue.id]);
    if (pending.length) {
      throw new AppException('EXTENSION_ALREADY_PENDING', 'An extension request for this issue is already waiting for a decision');
    }
    const rows: { id: number }[] = await tx.query(
      'INSERT INTO extension_requests (issue_id, minutes, reason, requested_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [issue.id, input.minutes, input.reason, actor.id, now],
    );
    return { note: input.reason, data: { extensionRequestId: rows[0]!.id, minutes: input.minutes } };
  },
  decide_extension: async ({ tx, actor, issue, input, now }) => {
    const rows: [{ id: number; minutes: number }[], number] = await tx.query(
      `UPDATE extension_requests SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5
        WHERE issue_id = $1 AND status = 'pending' RETURNING id, minutes`,
      [issue.id, input.approve ? 'approved' : 'denied', actor.id, now, input.note ?? null],
    );
    const decided = rows[0][0];
    if (!decided) throw new AppException('EXTENSION_NOT_PENDING', 'There is no extension request waiting for a decision');
    return { note: input.note ?? null, data: { extensionRequestId: decided.id, approve: input.approve, minutes: decided.minutes } };
  },
  supervise: async ({ tx, actor, issue, input, now }) => {
    const rows: { id: number }[] = await tx.query(
      'INSERT INTO supervisions (issue_id, level, region_id, by_user_id, reason, created_at) VALUES ($1, 1, $2, $3, $4, $5) RETURNING id',
      [issue.id, actor.regionId, actor.id, input.note, now],
    );
    return { note: input.note, data: { supervisionId: rows[0]!.id, level: 1 } };
  },
  reclassify: ({ issue, input, categories }) => {
    const { categoryId, priority, note } = input;
    if (categoryId === undefined && priority === undefined) {
      throw new AppException('VALIDATION_FAILED', 'Reclassify needs categoryId, priority or both', { field: 'categoryId' });
    }
    if (categoryId !== undefined) categories.requireLeaf(categoryId);
    return {
      note: note ?? null,
      data: {
        from: { categoryId: issue.categoryId, priority: issue.priority },
        to: { categoryId: categoryId ?? issue.categoryId, priority: priority ?? issue.priority },
      },
    };
  },
  evaluate: async ({ tx, actor, issue, input, now }) => {
    const rows: { id: number }[] = await tx.query(
      `INSERT INTO evaluations (issue_id, by_user_id, score, comment, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (issue_id, by_user_id) DO NOTHING RETURNING id`,
      [issue.id, actor.id, input.score, input.comment ?? null, now],
    );
    if (!rows[0]) throw new AppException('ALREADY_EVALUATED', 'You have already evaluated this issue');
    const evaluation = { id: rows[0].id, score: input.score, comment: input.comment ?? null };
    // 不满意 by the reporting resident within 7 days of the close: a request for the dispatcher, never an automatic reopen.
    const reopenRequestId = await fileReopenRequest(tx, actor, issue, evaluation, now);
    return {
      note: evaluation.comment,
      data: { evaluationId: evaluation.id, score: input.score, ...(reopenRequestId ? { reopenRequestId } : {}) },
    };
  },
  request_hold: async ({ tx, actor, issue, input, now }) => ({
    note: input.reason,
    data: { holdRequestId: await fileHoldRequest(tx, actor, issue.id, input.reason, now) },
  }),
  decline_hold: async ({ tx, actor, issue, input, now }) => ({
    note: input.reason,
    data: { holdRequestId: await declineHoldRequest(tx, actor, issue.id, input.reason, now) },
  }),
  // 改派: data.previousAssigneeId is who had it.
  assign: async ({ tx, actor, issue, input }) => {
    if (input.assigneeId === issue.assigneeId) {
      throw new AppException('ASSIGNEE_UNCHANGED', `User ${input.assigneeId} already works this task`, { field: 'assigneeId' });
    }
    const assigneeId = await checkAssignee(tx, actor, issue, input.assigneeId);
    return { note: input.note ?? null, data: { assigneeId, previousAssigneeId: issue.assigneeId } };
  },
  // 上报: to the centre one level above the one handling it now; the clocks run on (stage-effects.ts).
  escalate: ({ actor, issue, input, scope }) => {
    const from = scope.handlingCentre(actor, issue);
    // The workflow table let only a community or street centre (relation local_centre) get here, so there is a parent.
    if (!from || from.parentId === null) throw new AppException('FORBIDDEN_RELATION', 'There is no command centre above yours');
    return { note: input.reason, data: { fromRegionId: from.id, toRegionId: from.parentId, fromLevel: from.level } };
  },
  // 补充材料: the question to the reporter (the handle clock pauses: stage-effects.ts).
  request_info: async ({ tx, actor, issue, input, now, sla }) => ({
    note: input.note,
    data: await openInfoRequest(tx, actor, issue, input.note, now, sla),
  }),
  // The reporter's answer, a note, photos or both (the handle clock runs again).
  provide_info: async ({ tx, actor, issue, input, photos, now }) => ({
    note: input.note ?? null,
    data: await answerInfoRequest(tx, actor, issue, input.note ?? null, photos.length, now),
  }),
};

/** The minutes an approved extension grants, for the SLA clocks. */
export function approvedMinutes(record: ActionRecord): number | undefined {
  return record.data.approve === true && typeof record.data.minutes === 'number' ? record.data.minutes : undefined;
}

/** The primary of a merge: another issue the dispatcher can see, itself not merged away. */
async function checkMergeTarget(tx: EntityManager, actor: Actor, issue: Issue, primaryIssueId: number, scope: ScopeService): Promise<void> {
  if (primaryIssueId === issue.id) throw new AppException('MERGE_TARGET_INVALID', 'An issue cannot be merged into itself');
  const primary = await tx.getRepository(Issue).findOneBy({ id: primaryIssueId });
  if (!primary || !scope.canSee(actor, primary)) throw new AppException('MERGE_TARGET_INVALID', `Issue ${primaryIssueId} not found`);
  if (primary.status === 'merged' || primary.status === 'rejected') {
    throw new AppException('MERGE_TARGET_INVALID', `Issue ${primaryIssueId} is ${primary.status} and cannot take duplicates`);
  }
}

/** Who works the task: a lead or staff member of the issue's department; staff sign for themselves. */
async function checkAssignee(tx: EntityManager, actor: Actor, issue: Issue, assigneeId: number): Promise<number> {
  if (actor.role === 'dept_staff' && !actor.userIds.includes(assigneeId)) {
    throw new AppException('FORBIDDEN_RELATION', 'Department staff sign tasks for themselves');
  }
  // The actor already holds the department relation, own or as AB 岗 backup of an away colleague.
  if (assigneeId === actor.id) return assigneeId;
  const rows: unknown[] = await tx.query(
    `SELECT 1 FROM users WHERE id = $1 AND active AND role IN ('dept_lead', 'dept_staff') AND department_id = $2`,
    [assigneeId, issue.departmentId],
  );
  if (!rows.length) {
    throw new AppException('ASSIGNEE_NOT_IN_DEPARTMENT', `User ${assigneeId} is not an active member of this issue's department`, {
      field: 'assigneeId',
    });
  }
  return assigneeId;
}
