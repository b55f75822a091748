import type { Role } from './roles';
import type { IssueAction, IssueStatus } from './workflow';

/** Shapes of the resident API under `/api/v1/resident` (群众: phone sign-in, reports, tracking). */

export interface ResidentCodeInput {
  /** A mainland mobile number; `+86`, spaces and dashes are accepted and removed. */
  phone: string;
}

/** Only where the server sends codes to its log (development): the code, so the sign-in works without a phone. */
export interface ResidentCodeResult {
  devCode: string;
}

export interface ResidentLoginInput {
  phone: string;
  /** The six-digit one-time code. */
  code: string;
}

/** 满意 / 基本满意 / 不满意, as residents say it, on the 1–5 evaluation score (满意率 counts scores ≥ 4). */
export const RESIDENT_RATINGS = { satisfied: 5, basically_satisfied: 4, dissatisfied: 1 } as const;
export type ResidentRating = keyof typeof RESIDENT_RATINGS;
export const RESIDENT_RATING_KEYS = Object.keys(RESIDENT_RATINGS) as ResidentRating[];

/** The rating a score reads as. */
export function ratingOfScore(score: number): ResidentRating {
  return score >= RESIDENT_RATINGS.satisfied
    ? 'satisfied'
    : score >= RESIDENT_RATINGS.basically_satisfied
      ? 'basically_satisfied'
      : 'dissatisfied';
}

/** A resident unhappy (score ≤ 2) within this many days of the close asks the dispatcher to reopen. */
export const REOPEN_REQUEST_DAYS = 7;
export const REOPEN_REQUEST_MAX_SCORE = 2;
/** A request for information pauses the handle clock until answered, or for at most this many working days. */
export const INFO_REQUEST_WORKING_DAYS = 3;

/** One 小类 as residents pick it: a plain name, an icon key, and its 大类 for grouping. */
export interface ResidentCategoryView {
  id: number;
  name: string;
  icon: string;
  group: string;
  photoRequired: boolean;
}

/** The plain-language steps of a resident's timeline, from the audit trail (see RESIDENT_STEP_OF). */
export const RESIDENT_STEPS = [
  'submitted',
  'accepted',
  'dispatched',
  'processing',
  'info_requested',
  'info_answered',
  'resolved',
  'closed',
  'rejected',
  'merged',
  'evaluated',
  'reopen_requested',
] as const;
export type ResidentStep = (typeof RESIDENT_STEPS)[number];

export interface ResidentTimelineEntry {
  step: ResidentStep;
  at: string;
  /** 已派遣至 X: the department's name on `dispatched`. */
  departmentName: string | null;
  /** The question of `info_requested`, the reason of `rejected`, the closing note of `resolved`; staff-only notes are not shown. */
  note: string | null;
}

export interface ResidentPhoto {
  id: number;
  url: string;
}

export interface ResidentIssueSummary {
  id: number;
  number: string;
  categoryId: number;
  categoryName: string;
  status: IssueStatus;
  /** The latest plain step (已受理 / 已派遣至 X / 处理中 / 已办结 …). */
  step: ResidentStep;
  reportedAt: string;
  /** When it should be done: the overall SLA clock's due time, while it runs. */
  expectedAt: string | null;
  departmentName: string | null;
  address: string | null;
  /** Residents who joined as "me too". */
  meTooCount: number;
  /** True when the caller joined this issue as "me too" rather than reporting it. */
  joined: boolean;
  version: number;
}

export interface ResidentIssueDetail extends ResidentIssueSummary {
  description: string;
  lat: number | null;
  lng: number | null;
  timeline: ResidentTimelineEntry[];
  /** The photos of the report, and those of the resolution (shown side by side). */
  beforePhotos: ResidentPhoto[];
  afterPhotos: ResidentPhoto[];
  /** The open request for information waiting for the caller's answer (reporters only). */
  infoRequest: { id: number; question: string; askedAt: string; lapsesAt: string } | null;
  evaluation: { score: number; rating: ResidentRating; comment: string | null; at: string } | null;
  /** Whether the caller may evaluate now (the reporter, once closed, not yet evaluated). */
  canEvaluate: boolean;
  canAnswer: boolean;
  reopenRequest: { id: number; status: 'pending' | 'reopened' | 'declined'; newIssueId: number | null } | null;
}

export interface ResidentEvaluateInput {
  version: number;
  rating: ResidentRating;
  comment?: string;
}

/** An open issue near where a resident is about to report: enough to recognise it, nothing personal. */
export interface ResidentNearbyIssue {
  id: number;
  categoryName: string;
  status: IssueStatus;
  reportedAt: string;
  distanceM: number;
  meTooCount: number;
}

export interface ResidentJoinInput {
  /** Where the resident is: the issue must be within the nearby radius of it. */
  lat: number;
  lng: number;
}

/** Who sees and decides residents' reopen requests (in their scope). */
export const REOPEN_DECIDERS = ['dispatcher', 'admin'] as const satisfies readonly Role[];

export interface ReopenRequestView {
  id: number;
  issueId: number;
  issueNumber: string;
  issueTitle: string;
  score: number;
  reason: string | null;
  status: 'pending' | 'reopened' | 'declined';
  createdAt: string;
  closedAt: string | null;
  decidedById: number | null;
  decisionNote: string | null;
  newIssueId: number | null;
}

export interface DecideReopenInput {
  reopen: boolean;
  note?: string;
}

/** How far a resident may be from an open issue to join it as "me too" (and how far /r looks for them). */
export const ME_TOO_RADIUS_M = 300;

/** The plain step each audit event shows as; null: not shown to residents (staff-internal). */
export const RESIDENT_STEP_OF_EVENT: Readonly<Record<IssueAction, ResidentStep | null>> = {
  report: 'submitted',
  accept: 'accepted',
  dispatch: 'dispatched',
  sign: 'processing',
  reopen: 'processing',
  resolve_on_site: 'resolved',
  resolve: 'resolved',
  verify: 'closed',
  reject: 'rejected',
  merge: 'merged',
  request_info: 'info_requested',
  provide_info: 'info_answered',
  evaluate: 'evaluated',
  return: null,
  suspend: null,
  resume: null,
  request_extension: null,
  decide_extension: null,
  supervise: null,
  reclassify: null,
  request_hold: null,
  decline_hold: null,
  assign: null,
  escalate: null,
};

/** The steps whose note residents see (the question asked, why it was refused, what was done). */
export const RESIDENT_STEPS_WITH_NOTE: readonly ResidentStep[] = ['info_requested', 'rejected', 'resolved'];

/** The plain step an issue is at, from its status. */
export const RESIDENT_STEP_OF_STATUS: Readonly<Record<IssueStatus, ResidentStep>> = {
  reported: 'submitted',
  accepted: 'accepted',
  dispatched: 'dispatched',
  in_progress: 'processing',
  suspended: 'processing',
  resolved: 'resolved',
  closed: 'closed',
  rejected: 'rejected',
  merged: 'merged',
};
