import { ACTION_PHOTO_KIND, type ActionInputs, type AttachmentKind, type IssueTransitionAction, type Priority } from '@gridline/shared';

/**
 * What each action's form asks for: one table, read by the action form. The server still
 * validates everything; the form only leaves empty optional fields out of the body.
 */
export type FieldName =
  | 'note'
  | 'reason'
  | 'departmentId'
  | 'assigneeId'
  | 'primaryIssueId'
  | 'minutes'
  | 'approve'
  | 'score'
  | 'comment'
  | 'categoryId'
  | 'priority';

export interface ActionFormSpec {
  fields: readonly FieldName[];
  /** Text fields the action needs (marked as such; still checked by the server). */
  required: readonly FieldName[];
  /** Asks "are you sure?" before sending: it ends or reverses work. */
  destructive: boolean;
  /** Which photos the action takes, if any (from the shared workflow rules). */
  photoKind: AttachmentKind | null;
}

const spec = (fields: FieldName[], required: FieldName[] = [], destructive = false) => ({ fields, required, destructive });

const FORMS: Record<IssueTransitionAction, Omit<ActionFormSpec, 'photoKind'>> = {
  resolve_on_site: spec(['note'], ['note']),
  accept: spec(['note']),
  reject: spec(['reason'], ['reason'], true),
  merge: spec(['primaryIssueId', 'note'], ['primaryIssueId'], true),
  dispatch: spec(['departmentId', 'note'], ['departmentId']),
  sign: spec(['assigneeId', 'note']),
  return: spec(['reason'], ['reason'], true),
  suspend: spec(['reason'], ['reason'], true),
  resume: spec(['note']),
  resolve: spec(['note'], ['note']),
  verify: spec(['note']),
  reopen: spec(['reason'], ['reason'], true),
  request_extension: spec(['minutes', 'reason'], ['minutes', 'reason']),
  decide_extension: spec(['approve', 'note'], ['approve']),
  supervise: spec(['note'], ['note']),
  evaluate: spec(['score', 'comment'], ['score']),
  reclassify: spec(['categoryId', 'priority', 'note']),
  request_info: spec(['note'], ['note']),
  provide_info: spec(['note']),
  request_hold: spec(['reason'], ['reason']),
  decline_hold: spec(['reason'], ['reason'], true),
  assign: spec(['assigneeId', 'note'], ['assigneeId']),
  escalate: spec(['reason'], ['reason'], true),
};

export function formSpec(action: IssueTransitionAction): ActionFormSpec {
  return { ...FORMS[action], photoKind: ACTION_PHOTO_KIND[action] ?? null };
}

export interface FormValues {
  note: string;
  reason: string;
  departmentId: number | null;
  assigneeId: number | null;
  primaryIssueId: number | null;
  minutes: number | null;
  approve: boolean | null;
  score: number | null;
  comment: string;
  categoryId: number | null;
  priority: Priority | null;
}

export const emptyValues = (): FormValues => ({
  note: '',
  reason: '',
  departmentId: null,
  assigneeId: null,
  primaryIssueId: null,
  minutes: null,
  approve: null,
  score: null,
  comment: '',
  categoryId: null,
  priority: null,
});

/**
 * The body for the action from the form: its fields only; required text goes as typed (even
 * empty, so the server says what is wrong); optional empty fields are left out.
 */
export function buildBody<A extends IssueTransitionAction>(action: A, values: FormValues): Omit<ActionInputs[A], 'version'> {
  const { fields, required } = FORMS[action];
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field];
    const isEmpty = value === null || value === '';
    if (isEmpty && !required.includes(field)) continue;
    if (value === null) continue; // a required choice left open: the server names it
    body[field] = typeof value === 'string' ? value.trim() : value;
  }
  return body as Omit<ActionInputs[A], 'version'>;
}
