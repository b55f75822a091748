import type { TopicEventData, TopicStatus } from '@gridline/shared';

/** A topics row as selected by TOPIC_COLUMNS. */
export interface TopicRow {
  id: number;
  community_id: number;
  street_id: number | null;
  district_id: number | null;
  title: string;
  description: string;
  status: TopicStatus;
  opened_by: number;
  threshold: number;
  cosign_count: number;
  reached_at: Date | null;
  assignee_user_id: number | null;
  assignee_department_id: number | null;
  assigned_at: Date | null;
  reply_warn_at: Date | null;
  reply_due_at: Date | null;
  answer: string | null;
  answered_at: Date | null;
  evaluation_count: number;
  evaluation_sum: number;
  version: number;
  event_seq: number;
  created_at: Date;
}

export const TOPIC_COLUMNS = `id, community_id, street_id, district_id, title, description, status, opened_by, threshold, cosign_count,
  reached_at, assignee_user_id, assignee_department_id, assigned_at, reply_warn_at, reply_due_at, answer, answered_at,
  evaluation_count, evaluation_sum, version, event_seq, created_at`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The data of every topic.* event, from the topic row after the change. One builder, and its SQL
 * twin below for the reply sweep (one statement), over the same field → column table.
 */
export function topicEventData(t: TopicRow, seq: number, actorId: number | null): TopicEventData {
  return {
    topicId: t.id,
    seq,
    status: t.status,
    version: t.version,
    communityId: t.community_id,
    streetId: t.street_id,
    districtId: t.district_id,
    cosignCount: t.cosign_count,
    threshold: t.threshold,
    departmentId: t.assignee_department_id,
    assigneeUserId: t.assignee_user_id,
    replyDueAt: iso(t.reply_due_at),
    evaluationCount: t.evaluation_count,
    actorId,
  };
}

/** topicEventData as SQL over topic alias `t` (a topics row, or a CTE with its column names). */
export function topicEventDataSql(t: string, seqSql: string): string {
  return `jsonb_build_object('topicId', ${t}.id, 'seq', ${seqSql}, 'status', ${t}.status, 'version', ${t}.version,
    'communityId', ${t}.community_id, 'streetId', ${t}.street_id, 'districtId', ${t}.district_id, 'cosignCount', ${t}.cosign_count,
    'threshold', ${t}.threshold, 'departmentId', ${t}.assignee_department_id, 'assigneeUserId', ${t}.assignee_user_id,
    'replyDueAt', to_char(${t}.reply_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'evaluationCount', ${t}.evaluation_count, 'actorId', NULL)`;
}
