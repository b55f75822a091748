/**
 * 联名点题 / 双向约谈 — co-signed topics: a resident opens a topic in their community, residents of
 * that community co-sign it; at the community's threshold it enters the review queue (会审), the
 * dispatcher assigns it to a leader or a department with a reply due date, the answer is published
 * and the co-signers evaluate it.
 */

export const TOPIC_STATUSES = ['open', 'review', 'assigned', 'answered'] as const;
export type TopicStatus = (typeof TOPIC_STATUSES)[number];

/** Co-signatures a topic needs when its community sets no threshold of its own. */
export const DEFAULT_TOPIC_THRESHOLD = 10;
export const TOPIC_THRESHOLD_MAX = 100_000;
export const TOPIC_TITLE_MAX = 100;
export const TOPIC_DESCRIPTION_MAX = 4000;
export const TOPIC_ANSWER_MAX = 8000;
export const TOPIC_COMMENT_MAX = 2000;
/** Reply due date: at most this many working days, or this far ahead as a date. */
export const TOPIC_REPLY_WORK_DAYS_MAX = 60;
export const TOPIC_REPLY_DAYS_AHEAD_MAX = 366;
/** The reply clock warns (黄牌) at this share of the working time between assignment and due date. */
export const TOPIC_REPLY_WARN_FRACTION = 0.75;

/** What may happen to a topic in each state (co-sign stays open until the answer). */
export const TOPIC_ACTIONS_BY_STATUS: Record<TopicStatus, readonly TopicAction[]> = {
  open: ['cosign'],
  review: ['cosign', 'assign'],
  assigned: ['cosign', 'answer'],
  answered: ['evaluate'],
};
export type TopicAction = 'cosign' | 'assign' | 'answer' | 'evaluate';

export const canTopic = (status: TopicStatus, action: TopicAction): boolean => TOPIC_ACTIONS_BY_STATUS[status].includes(action);

export interface OpenTopicInput {
  title: string;
  description: string;
  communityId: number;
}

export interface AssignTopicInput {
  /** A leader (a staff user) … */
  assigneeUserId?: number;
  /** … or a department: exactly one of the two. */
  departmentId?: number;
  /** The reply due date (ISO 8601) … */
  dueAt?: string;
  /** … or working days on the default SLA calendar: exactly one of the two. */
  workDays?: number;
  note?: string;
}

export interface AnswerTopicInput {
  answer: string;
}

export interface EvaluateTopicInput {
  score: number;
  comment?: string;
}

export interface TopicTimelineEntry {
  type: 'opened' | 'threshold_reached' | 'assigned' | 'reply_warning' | 'reply_breached' | 'answered';
  at: string;
}

/** The reply clock of an assigned topic. */
export interface TopicReplyClock {
  assignedAt: string;
  dueAt: string;
  warnAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  answeredAt: string | null;
  /** Answered by the due date (null while not answered). */
  onTime: boolean | null;
  /** Overdue now (not answered and past the due date), by the server's clock. */
  overdue: boolean;
}

/**
 * A topic as anyone may see it (the public progress page): counts, never who co-signed or
 * evaluated. The assignee is an office (a department, or a leader's display name).
 */
export interface TopicView {
  id: number;
  title: string;
  description: string;
  communityId: number;
  communityName: string;
  status: TopicStatus;
  cosignCount: number;
  threshold: number;
  reachedAt: string | null;
  assignee: { kind: 'user'; userId: number; name: string } | { kind: 'department'; departmentId: number; name: string } | null;
  reply: TopicReplyClock | null;
  answer: string | null;
  evaluation: { count: number; average: number | null };
  timeline: TopicTimelineEntry[];
  createdAt: string;
  version: number;
}

/** One row of a topic list; `mine` only for residents: whether they co-signed and their score. */
export interface TopicSummary {
  id: number;
  title: string;
  communityId: number;
  communityName: string;
  status: TopicStatus;
  cosignCount: number;
  threshold: number;
  replyDueAt: string | null;
  overdue: boolean;
  answeredAt: string | null;
  evaluationAverage: number | null;
  createdAt: string;
  mine?: { cosigned: boolean; score: number | null };
}

export interface TopicPage {
  items: TopicSummary[];
  total: number;
}

/** The resident's own relation to one topic. */
export interface MyTopicState {
  cosigned: boolean;
  /** Whether the resident may co-sign it: a resident of its community, before the answer. */
  mayCosign: boolean;
  score: number | null;
  mayEvaluate: boolean;
}

/** The answer to a co-sign: `created` false when the resident had co-signed already (200, nothing written). */
export interface CosignResult {
  created: boolean;
  topic: TopicView;
}

export interface ResidentCommunityView {
  communityId: number | null;
  communityName: string | null;
}
