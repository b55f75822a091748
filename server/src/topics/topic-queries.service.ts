import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  canTopic,
  type MyTopicState,
  type TopicPage,
  type TopicStatus,
  type TopicSummary,
  type TopicTimelineEntry,
  type TopicView,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { RegionsService } from '../regions/regions.service';
import { topicVisibilitySql } from './topic-access';
import { TOPIC_COLUMNS, type TopicRow } from './topic-rows';
import { ResidentCommunities } from './resident-communities.service';

export interface TopicListQuery {
  status?: TopicStatus;
  communityId?: number;
  /** Past the reply due date and not answered. */
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const TIMELINE_TYPES = ['opened', 'threshold_reached', 'assigned', 'reply_warning', 'reply_breached', 'answered'];

/** Reads of topics: the public progress view (counts only), scoped lists, and a resident's own state. */
@Injectable()
export class TopicQueriesService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly regions: RegionsService,
    private readonly residents: ResidentCommunities,
  ) {}

  async view(id: number): Promise<TopicView> {
    const [row] = (await this.db.query(
      `SELECT ${TOPIC_COLUMNS.replace(/(\w+)/g, 't.$1')}, u.display_name AS assignee_user_name, d.name AS assignee_department_name,
              (SELECT fired_at FROM topic_firings f WHERE f.topic_id = t.id AND f.level = 'warning') AS warned_at,
              (SELECT fired_at FROM topic_firings f WHERE f.topic_id = t.id AND f.level = 'breach') AS breached_at,
              COALESCE((SELECT json_agg(json_build_object('type', e.type, 'at', e.at) ORDER BY e.id) FROM topic_events e
                         WHERE e.topic_id = t.id AND e.type = ANY($2)), '[]') AS timeline
         FROM topics t
         LEFT JOIN users u ON u.id = t.assignee_user_id
         LEFT JOIN departments d ON d.id = t.assignee_department_id
        WHERE t.id = $1`,
      [id, TIMELINE_TYPES],
    )) as (TopicRow & {
      assignee_user_name: string | null;
      assignee_department_name: string | null;
      warned_at: Date | null;
      breached_at: Date | null;
      timeline: { type: TopicTimelineEntry['type']; at: string }[];
    })[];
    if (!row) throw new AppException('TOPIC_NOT_FOUND', `Topic ${id} not found`);
    const now = this.clock.now().getTime();
    const assignee: TopicView['assignee'] =
      row.assignee_user_id !== null
        ? { kind: 'user', userId: row.assignee_user_id, name: row.assignee_user_name ?? '' }
        : row.assignee_department_id !== null
          ? { kind: 'department', departmentId: row.assignee_department_id, name: row.assignee_department_name ?? '' }
          : null;
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      communityId: row.community_id,
      communityName: this.regions.get(row.community_id)?.name ?? '',
      status: row.status,
      cosignCount: row.cosign_count,
      threshold: row.threshold,
      reachedAt: iso(row.reached_at),
      assignee,
      reply:
        row.assigned_at && row.reply_due_at && row.reply_warn_at
          ? {
              assignedAt: row.assigned_at.toISOString(),
              dueAt: row.reply_due_at.toISOString(),
              warnAt: row.reply_warn_at.toISOString(),
              warnedAt: iso(row.warned_at),
              breachedAt: iso(row.breached_at),
              answeredAt: iso(row.answered_at),
              onTime: row.answered_at ? row.answered_at.getTime() <= row.reply_due_at.getTime() : null,
              overdue: !row.answered_at && now > row.reply_due_at.getTime(),
            }
          : null,
      answer: row.answer,
      evaluation: {
        count: row.evaluation_count,
        average: row.evaluation_count ? Math.round((row.evaluation_sum / row.evaluation_count) * 100) / 100 : null,
      },
      timeline: row.timeline.map((e) => ({ type: e.type, at: new Date(e.at).toISOString() })),
      createdAt: row.created_at.toISOString(),
      version: row.version,
    };
  }

  async list(actor: Actor, q: TopicListQuery): Promise<TopicPage> {
    const resident = actor.role === 'resident';
    const home = resident ? await this.residents.communityOf(actor.id) : null;
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [topicVisibilitySql(actor, home, params, this.regions)];
    if (q.status) where.push(`t.status = ${p(q.status)}`);
    if (q.communityId !== undefined) where.push(`t.community_id = ${p(q.communityId)}`);
    if (q.overdue) where.push(`t.status = 'assigned' AND t.reply_due_at < ${p(this.clock.now())}`);
    const pageSize = q.pageSize ?? 20;
    const offset = ((q.page ?? 1) - 1) * pageSize;
    const me = p(actor.id);
    const rows = (await this.db.query(
      `SELECT t.id, t.title, t.community_id, t.status, t.cosign_count, t.threshold, t.reply_due_at, t.answered_at, t.created_at,
              t.evaluation_count, t.evaluation_sum, count(*) OVER ()::int AS total,
              EXISTS (SELECT 1 FROM topic_cosigns c WHERE c.topic_id = t.id AND c.user_id = ${me}) AS cosigned,
              (SELECT score FROM topic_evaluations v WHERE v.topic_id = t.id AND v.user_id = ${me}) AS score
         FROM topics t
        WHERE ${where.join(' AND ')}
        ORDER BY CASE t.status WHEN 'review' THEN 0 WHEN 'assigned' THEN 1 WHEN 'open' THEN 2 ELSE 3 END, t.reply_due_at NULLS LAST, t.id DESC
        LIMIT ${p(pageSize)} OFFSET ${p(offset)}`,
      params,
    )) as (Pick<
      TopicRow,
      | 'id'
      | 'title'
      | 'community_id'
      | 'status'
      | 'cosign_count'
      | 'threshold'
      | 'reply_due_at'
      | 'answered_at'
      | 'created_at'
      | 'evaluation_count'
      | 'evaluation_sum'
    > & { total: number; cosigned: boolean; score: number | null })[];
    const now = this.clock.now().getTime();
    const items = rows.map((r): TopicSummary => ({
      id: r.id,
      title: r.title,
      communityId: r.community_id,
      communityName: this.regions.get(r.community_id)?.name ?? '',
      status: r.status,
      cosignCount: r.cosign_count,
      threshold: r.threshold,
      replyDueAt: iso(r.reply_due_at),
      overdue: r.status === 'assigned' && r.reply_due_at !== null && r.reply_due_at.getTime() < now,
      answeredAt: iso(r.answered_at),
      evaluationAverage: r.evaluation_count ? Math.round((r.evaluation_sum / r.evaluation_count) * 100) / 100 : null,
      createdAt: r.created_at.toISOString(),
      ...(resident ? { mine: { cosigned: r.cosigned, score: r.score } } : {}),
    }));
    return { items, total: rows[0]?.total ?? 0 };
  }

  /** The resident's relation to a topic (any topic: the progress page is public; taking part needs its community). */
  async mine(actor: Actor, id: number): Promise<MyTopicState> {
    const home = await this.residents.communityOf(actor.id);
    const [row] = (await this.db.query(
      `SELECT t.status, t.community_id,
              EXISTS (SELECT 1 FROM topic_cosigns c WHERE c.topic_id = t.id AND c.user_id = $2) AS cosigned,
              (SELECT score FROM topic_evaluations v WHERE v.topic_id = t.id AND v.user_id = $2) AS score
         FROM topics t WHERE t.id = $1`,
      [id, actor.id],
    )) as { status: TopicStatus; community_id: number; cosigned: boolean; score: number | null }[];
    if (!row) throw new AppException('TOPIC_NOT_FOUND', `Topic ${id} not found`);
    return {
      cosigned: row.cosigned,
      mayCosign: !row.cosigned && home === row.community_id && canTopic(row.status, 'cosign'),
      score: row.score,
      mayEvaluate: row.cosigned && row.score === null && canTopic(row.status, 'evaluate'),
    };
  }
}
