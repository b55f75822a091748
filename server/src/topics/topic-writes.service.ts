import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  DEFAULT_TOPIC_THRESHOLD,
  TOPIC_REPLY_DAYS_AHEAD_MAX,
  canTopic,
  type AssignTopicInput,
  type DomainEventType,
  type TopicAction,
  type TopicStatus,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { EventRelay } from '../events/event-relay.service';
import { insertOutbox, type OutboxEvent } from '../events/outbox-sql';
import { RegionsService } from '../regions/regions.service';
import { standardDayMs } from '../sla/calendar';
import { SlaConfigService } from '../sla/sla-config.service';
import { planReply, mayAnswerTopics } from './reply-clock';
import { answersFor, canSeeTopic } from './topic-access';
import { TOPIC_COLUMNS, topicEventData, type TopicRow } from './topic-rows';
import { ResidentCommunities } from './resident-communities.service';

/** A topic event: its trail entry (topic_events.type) and its domain event type. */
type TopicChange = 'opened' | 'cosigned' | 'threshold_reached' | 'assigned' | 'answered' | 'evaluated';
const DOMAIN_TYPE: Record<TopicChange, DomainEventType> = {
  opened: 'topic.opened',
  cosigned: 'topic.cosigned',
  threshold_reached: 'topic.threshold_reached',
  assigned: 'topic.assigned',
  answered: 'topic.answered',
  evaluated: 'topic.evaluated',
};

const DAY_MS = 86_400_000;

/**
 * Every write to a topic: one transaction that locks the topic row, checks role, scope and state,
 * updates it (status, counters, version), appends its trail and writes its domain events to the
 * outbox — then wakes the relay after the commit. The topic row lock serialises co-signs, so the
 * threshold is crossed by exactly one of them however many arrive at once.
 */
@Injectable()
export class TopicWritesService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly relay: EventRelay,
    private readonly regions: RegionsService,
    private readonly sla: SlaConfigService,
    private readonly residents: ResidentCommunities,
  ) {}

  async open(actor: Actor, input: { title: string; description: string; communityId: number }): Promise<number> {
    const community = this.regions.get(input.communityId);
    if (community?.level !== 'community' || !this.regions.isOpen(community)) {
      throw new AppException('COMMUNITY_INVALID', `Region ${input.communityId} is not an open community`, { field: 'communityId' });
    }
    const home = await this.residents.communityOf(actor.id);
    requireResidentOf(home, input.communityId);
    return this.write(async (tx, now) => {
      const [setting] = (await tx.query('SELECT topic_threshold FROM regions WHERE id = $1', [input.communityId])) as {
        topic_threshold: number | null;
      }[];
      const threshold = setting?.topic_threshold ?? DEFAULT_TOPIC_THRESHOLD;
      const reached = threshold <= 1;
      const [topic] = (await tx.query(
        `INSERT INTO topics (community_id, street_id, district_id, title, description, status, opened_by, threshold, cosign_count,
                             reached_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10) RETURNING ${TOPIC_COLUMNS}`,
        [
          input.communityId,
          this.levelId(community.path, 'street'),
          this.levelId(community.path, 'district'),
          input.title,
          input.description,
          reached ? 'review' : 'open',
          actor.id,
          threshold,
          reached ? now : null,
          now,
        ],
      )) as TopicRow[];
      // The one who opens it is its first co-signer.
      await tx.query('INSERT INTO topic_cosigns (topic_id, user_id, created_at) VALUES ($1, $2, $3)', [topic!.id, actor.id, now]);
      await this.record(tx, topic!, reached ? ['opened', 'threshold_reached'] : ['opened'], actor.id, null, now);
      return topic!.id;
    });
  }

  /** Co-signs once; `created` false when the resident had co-signed already (nothing written). */
  async cosign(actor: Actor, topicId: number): Promise<boolean> {
    const home = await this.residents.communityOf(actor.id);
    return this.write(async (tx, now) => {
      const topic = await this.lock(tx, topicId);
      requireResidentOf(home, topic.community_id);
      const [mine] = (await tx.query('SELECT 1 AS x FROM topic_cosigns WHERE topic_id = $1 AND user_id = $2', [
        topicId,
        actor.id,
      ])) as unknown[];
      if (mine) return false;
      requireState(topic.status, 'cosign');
      await tx.query('INSERT INTO topic_cosigns (topic_id, user_id, created_at) VALUES ($1, $2, $3)', [topicId, actor.id, now]);
      const crosses = topic.status === 'open' && topic.cosign_count + 1 >= topic.threshold;
      const after = await this.update(
        tx,
        topicId,
        `cosign_count = cosign_count + 1${crosses ? `, status = 'review', reached_at = $2` : ''}`,
        crosses ? [now] : [],
        now,
      );
      await this.record(tx, after, crosses ? ['cosigned', 'threshold_reached'] : ['cosigned'], actor.id, null, now);
      return true;
    });
  }

  async assign(actor: Actor, topicId: number, input: AssignTopicInput): Promise<void> {
    if ((input.assigneeUserId === undefined) === (input.departmentId === undefined)) {
      throw new AppException('VALIDATION_FAILED', 'Give exactly one of assigneeUserId and departmentId');
    }
    if ((input.dueAt === undefined) === (input.workDays === undefined)) {
      throw new AppException('VALIDATION_FAILED', 'Give exactly one of dueAt and workDays');
    }
    await this.write(async (tx, now) => {
      const topic = await this.lock(tx, topicId);
      if (!canSeeTopic(actor, topic, null, this.regions)) throw notFound(topicId);
      requireState(topic.status, 'assign');
      await this.checkAssignee(tx, input);
      const calendar = this.sla.allCalendars().find((c) => c.isDefault) ?? this.sla.calendar(0);
      const measure = this.sla.measure({ unit: 'work_minutes', calendarId: calendar.id });
      let due: { workDays: number; dayMs: number } | { dueAt: number };
      if (input.dueAt !== undefined) {
        const dueAt = Date.parse(input.dueAt);
        if (!(dueAt > now.getTime()) || dueAt > now.getTime() + TOPIC_REPLY_DAYS_AHEAD_MAX * DAY_MS) {
          throw new AppException(
            'TOPIC_DUE_INVALID',
            `The reply due date must lie after now and within ${TOPIC_REPLY_DAYS_AHEAD_MAX} days`,
            {
              field: 'dueAt',
            },
          );
        }
        due = { dueAt };
      } else {
        due = { workDays: input.workDays!, dayMs: standardDayMs(calendar) };
      }
      const plan = planReply(now.getTime(), due, measure);
      const after = await this.update(
        tx,
        topicId,
        `status = 'assigned', assignee_user_id = $2, assignee_department_id = $3, assigned_by = $4, assigned_at = $5,
         reply_warn_at = $6, reply_due_at = $7`,
        [input.assigneeUserId ?? null, input.departmentId ?? null, actor.id, now, new Date(plan.warnAt), new Date(plan.dueAt)],
        now,
      );
      await tx.query(
        `INSERT INTO topic_timers (topic_id, level, fire_at) VALUES ($1, 'warning', $2), ($1, 'breach', $3)
         ON CONFLICT (topic_id, level) DO UPDATE SET fire_at = EXCLUDED.fire_at`,
        [topicId, new Date(plan.warnAt), new Date(plan.dueAt)],
      );
      await this.record(tx, after, ['assigned'], actor.id, { note: input.note ?? null, dueAt: new Date(plan.dueAt).toISOString() }, now);
    });
  }

  async answer(actor: Actor, topicId: number, answer: string): Promise<void> {
    await this.write(async (tx, now) => {
      const topic = await this.lock(tx, topicId);
      if (!answersFor(actor, topic)) {
        if (!canSeeTopic(actor, topic, null, this.regions)) throw notFound(topicId);
        throw new AppException('FORBIDDEN_RELATION', 'Only the leader or department the topic is assigned to answers it');
      }
      requireState(topic.status, 'answer');
      const after = await this.update(
        tx,
        topicId,
        `status = 'answered', answer = $2, answered_by = $3, answered_at = $4`,
        [answer, actor.id, now],
        now,
      );
      // The reply clock stops: its pending rungs go (a firing already claimed by a sweep checks the status).
      await tx.query('DELETE FROM topic_timers WHERE topic_id = $1', [topicId]);
      await this.record(tx, after, ['answered'], actor.id, { onTime: now.getTime() <= (topic.reply_due_at?.getTime() ?? Infinity) }, now);
    });
  }

  async evaluate(actor: Actor, topicId: number, score: number, comment: string | undefined): Promise<void> {
    await this.write(async (tx, now) => {
      const topic = await this.lock(tx, topicId);
      requireState(topic.status, 'evaluate');
      const [mine] = (await tx.query('SELECT 1 AS x FROM topic_cosigns WHERE topic_id = $1 AND user_id = $2', [
        topicId,
        actor.id,
      ])) as unknown[];
      if (!mine) throw new AppException('NOT_A_COSIGNER', 'Only the residents who co-signed the topic evaluate its answer');
      const inserted = (await tx.query(
        `INSERT INTO topic_evaluations (topic_id, user_id, score, comment, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING topic_id`,
        [topicId, actor.id, score, comment ?? null, now],
      )) as unknown[];
      if (!inserted.length) throw new AppException('ALREADY_EVALUATED', 'You have evaluated this answer already');
      const after = await this.update(
        tx,
        topicId,
        'evaluation_count = evaluation_count + 1, evaluation_sum = evaluation_sum + $2',
        [score],
        now,
      );
      await this.record(tx, after, ['evaluated'], actor.id, null, now);
    });
  }

  private async write<T>(work: (tx: EntityManager, now: Date) => Promise<T>): Promise<T> {
    const result = await this.db.transaction((tx) => work(tx, this.clock.now()));
    this.relay.committed();
    return result;
  }

  private async lock(tx: EntityManager, id: number): Promise<TopicRow> {
    const [row] = (await tx.query(`SELECT ${TOPIC_COLUMNS} FROM topics WHERE id = $1 FOR UPDATE`, [id])) as TopicRow[];
    if (!row) throw notFound(id);
    return row;
  }

  /** Applies `set` ($1 is the id, then `params`), bumps the version and returns the row after. */
  private async update(tx: EntityManager, id: number, set: string, params: unknown[], now: Date): Promise<TopicRow> {
    // as a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count], a SELECT with rows
    const [row] = (await tx.query(
      `WITH u AS (UPDATE topics SET ${set}, version = version + 1, updated_at = $${params.length + 2} WHERE id = $1 RETURNING ${TOPIC_COLUMNS})
       SELECT * FROM u`,
      [id, ...params, now],
    )) as TopicRow[];
    return row!;
  }

  /** The trail entries and the domain events of a change, numbered on from the topic's event counter. */
  private async record(tx: EntityManager, topic: TopicRow, changes: TopicChange[], actorId: number, note: object | null, now: Date) {
    const events: OutboxEvent[] = changes.map((c, k) => ({
      type: DOMAIN_TYPE[c],
      occurredAt: now,
      // residents' ids never leave in an event: only staff appear as the actor
      data: topicEventData(topic, topic.event_seq + k + 1, c === 'assigned' || c === 'answered' ? actorId : null),
    }));
    await tx.query(
      `INSERT INTO topic_events (topic_id, type, actor_id, data, at)
       SELECT $1, t, $2, $3::jsonb, $4 FROM unnest($5::text[]) WITH ORDINALITY AS c(t, n) ORDER BY n`,
      [topic.id, actorId, JSON.stringify(note ?? {}), now, changes],
    );
    await tx.query('UPDATE topics SET event_seq = event_seq + $2 WHERE id = $1', [topic.id, changes.length]);
    await insertOutbox(tx, events);
  }

  private async checkAssignee(tx: EntityManager, input: AssignTopicInput): Promise<void> {
    if (input.assigneeUserId !== undefined) {
      const [user] = (await tx.query('SELECT role, active FROM users WHERE id = $1', [input.assigneeUserId])) as {
        role: Actor['role'];
        active: boolean;
      }[];
      if (!user?.active || !mayAnswerTopics(user.role)) {
        throw new AppException('TOPIC_ASSIGNEE_INVALID', `User ${input.assigneeUserId} is not an active leader or staff member`, {
          field: 'assigneeUserId',
        });
      }
    } else {
      const [dept] = (await tx.query('SELECT active FROM departments WHERE id = $1', [input.departmentId])) as { active: boolean }[];
      if (!dept?.active) {
        throw new AppException('TOPIC_ASSIGNEE_INVALID', `Department ${input.departmentId} does not exist or is inactive`, {
          field: 'departmentId',
        });
      }
    }
  }

  private levelId(path: readonly number[], level: 'street' | 'district'): number | null {
    return path.find((id) => this.regions.get(id)?.level === level) ?? null;
  }
}

const notFound = (id: number) => new AppException('TOPIC_NOT_FOUND', `Topic ${id} not found`);

function requireResidentOf(home: number | null, communityId: number): void {
  if (home === null)
    throw new AppException('RESIDENT_COMMUNITY_REQUIRED', 'Say which community you live in first (PUT /api/v1/resident/community)');
  if (home !== communityId) throw new AppException('NOT_COMMUNITY_RESIDENT', 'Only residents of the topic’s community take part in it');
}

function requireState(status: TopicStatus, action: TopicAction): void {
  if (!canTopic(status, action))
    throw new AppException('TOPIC_ACTION_NOT_ALLOWED', `A topic that is ${status} cannot be given "${action}"`, { status });
}
