import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ACTION_PHOTO_KIND,
  allowedActions,
  canTransition,
  nextStatus,
  roleMayTake,
  type AttachmentKind,
  type IssueStatus,
  type IssueTransitionAction,
  type IssueTransitionData,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AttachmentStorage, type StoredPhoto } from '../attachments/attachment-storage.service';
import type { UploadedPhoto } from '../attachments/upload-reader';
import { CategoriesService } from '../categories/categories.service';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { DepartmentsService } from '../departments/departments.service';
import { supervisionRaisedData, transitionedData, type RaisedSupervision } from '../events/event-payloads';
import { EventRelay } from '../events/event-relay.service';
import { countEventsSql } from '../events/issue-event-counter';
import { insertOutbox, type OutboxEvent } from '../events/outbox-sql';
import { ScopeService } from '../scope/scope.service';
import { SlaClocksService } from '../sla/sla-clocks.service';
import { ACTION_EFFECTS, approvedMinutes, type ActionRecord, type EffectContext } from './action-effects';
import type { AnyActionInput } from './dto/action.dto';
import { Issue } from './issue.entity';
import { insertAttachments, insertEvent } from './issue-writes';
import { ROW_CHANGES, ROW_COLUMN, type RowChanges } from './row-changes';

/** One committed change, as the rows written with it need it. */
interface Change {
  actor: Actor;
  issue: Issue;
  action: IssueTransitionAction;
  toStatus: IssueStatus;
  record: ActionRecord;
  /** The audit event's data: the action's record, the photo count and the SLA summary. */
  data: Record<string, unknown>;
  photos: { kind: AttachmentKind | undefined; stored: StoredPhoto[] };
  /** The issue after the step. */
  changed: Issue;
  /** The domain event of the step, for the outbox. */
  event: IssueTransitionData;
  now: Date;
}

/**
 * The one transactional path for every action on an existing issue:
 * role → lock → scope → version → table → relations → effect → update → audit + outbox → commit → wake the relay.
 */
@Injectable()
export class IssueTransitionsService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly categories: CategoriesService,
    private readonly departments: DepartmentsService,
    private readonly storage: AttachmentStorage,
    private readonly relay: EventRelay,
    private readonly clock: ClockService,
    private readonly sla: SlaClocksService,
  ) {}

  async apply(
    actor: Actor,
    issueId: number,
    action: IssueTransitionAction,
    input: AnyActionInput,
    uploads: UploadedPhoto[],
  ): Promise<IssueTransitionData> {
    if (!roleMayTake(actor.role, action)) throw new AppException('FORBIDDEN_ROLE', `A ${actor.role} cannot ${action}`);
    const photoKind = ACTION_PHOTO_KIND[action];
    if (uploads.length > 0 && !photoKind) throw new AppException('VALIDATION_FAILED', `${action} takes no photos`, { field: 'photos' });
    const photos = uploads.map((upload, i) => this.storage.check(upload, i));
    const stored = await this.storage.keep(photos);
    try {
      const published = await this.db.transaction(async (tx) => {
        const issue = await this.lockVisible(tx, actor, issueId, input.version);
        const now = this.clock.now();
        const record = await this.effectOf(action, { tx, actor, issue, input, photos: stored, now, ...this.effectDeps() });
        const set = ROW_CHANGES[action]({ data: record.data, at: now });
        const toStatus = nextStatus(issue.status, action);
        const seq = await this.update(tx, issue, toStatus, set, now, eventsOf(action));
        const changed: Issue = { ...issue, ...set, status: toStatus, version: issue.version + 1 };
        const slaEvents = await this.sla.onTransition(tx, changed, action, toStatus, now, { extendMinutes: approvedMinutes(record) });
        const data = {
          ...record.data,
          ...(stored.length ? { photos: stored.length } : {}),
          ...(slaEvents.summary ? { sla: slaEvents.summary } : {}),
        };
        const event = transitionedData(issue, changed, seq, action, actor.id, slaEvents.summary);
        await this.writeRecords(tx, {
          actor,
          issue,
          changed,
          action,
          toStatus,
          record,
          data,
          photos: { kind: photoKind, stored },
          event,
          now,
        });
        return event;
      });
      this.relay.committed();
      return published;
    } catch (err) {
      await this.storage.discard(stored);
      throw err;
    }
  }

  /** The issue, locked for this transaction; 404 when the actor may not see it, 409 when they saw an older version. */
  private async lockVisible(tx: EntityManager, actor: Actor, issueId: number, version: number): Promise<Issue> {
    const issue = await tx.getRepository(Issue).findOne({ where: { id: issueId }, lock: { mode: 'pessimistic_write' } });
    if (!issue || !this.scope.canSee(actor, issue)) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
    if (version !== issue.version) {
      throw new AppException('ISSUE_VERSION_CONFLICT', 'The issue changed since you loaded it; reload and try again', {
        currentVersion: issue.version,
      });
    }
    return issue;
  }

  /** The workflow table (status), then the actor's relations to the issue; then the action's own effect. */
  private async effectOf(action: IssueTransitionAction, c: EffectContext<AnyActionInput>): Promise<ActionRecord> {
    const relations = this.scope.relations(c.actor, c.issue);
    if (!canTransition(c.issue.status, action)) {
      throw new AppException('ISSUE_ACTION_NOT_ALLOWED', `Cannot ${action} an issue that is ${c.issue.status}`, {
        status: c.issue.status,
        allowedActions: allowedActions(c.issue.status, c.actor.role, relations),
      });
    }
    if (!allowedActions(c.issue.status, c.actor.role, relations).includes(action)) {
      throw new AppException('FORBIDDEN_RELATION', `You may not ${action} this issue`);
    }
    // The DTO validated the input for this action (dto/action.dto.ts).
    const effect = ACTION_EFFECTS[action] as (c: EffectContext<AnyActionInput>) => ActionRecord | Promise<ActionRecord>;
    return effect(c);
  }

  private effectDeps(): Pick<EffectContext<unknown>, 'departments' | 'categories' | 'scope' | 'sla'> {
    return { departments: this.departments, categories: this.categories, scope: this.scope, sla: this.sla };
  }

  /** Writes the step and counts `events` more events of the issue; returns the number of the first. */
  private async update(
    tx: EntityManager,
    issue: Issue,
    toStatus: IssueStatus,
    set: RowChanges,
    now: Date,
    events: number,
  ): Promise<number> {
    const params: unknown[] = [issue.id, issue.version, toStatus, now, events];
    const sets = Object.entries(set).map(([field, value]) => {
      params.push(value);
      return `${ROW_COLUMN[field as keyof RowChanges]} = $${params.length}`;
    });
    // One statement: the step, and the issue's event counter moved by as many (issue-event-counter.ts).
    const result: [{ last_seq: number }[], number] = await tx.query(
      `WITH counted AS (${countEventsSql('VALUES ($1::int, $5::int)')})
       UPDATE issues SET status = $3, version = version + 1, updated_at = $4${sets.map((s) => `, ${s}`).join('')}
        WHERE id = $1 AND version = $2 RETURNING (SELECT last_seq FROM counted)`,
      params,
    );
    if (result[1] !== 1) throw new AppException('ISSUE_VERSION_CONFLICT', 'The issue changed since you loaded it; reload and try again');
    return result[0][0]!.last_seq - events + 1;
  }

  /**
   * The rows every transition writes with its change, in the same transaction: the audit event,
   * its photos and the domain events (the step's, then a 督办's raised by hand). A row to write with
   * every committed transition goes here.
   */
  private async writeRecords(tx: EntityManager, c: Change): Promise<void> {
    const eventId = await insertEvent(tx, {
      issueId: c.issue.id,
      type: c.action,
      fromStatus: c.issue.status,
      toStatus: c.toStatus,
      actorId: c.actor.id,
      note: c.record.note,
      data: c.data,
      at: c.now,
    });
    if (c.photos.kind) await insertAttachments(tx, c.issue.id, eventId, c.photos.kind, c.photos.stored, c.actor.id, c.now);
    const events: OutboxEvent[] = [{ type: 'issue.transitioned', occurredAt: c.now, data: c.event }];
    if (c.action === 'supervise') {
      const [sup] = (await tx.query(
        `SELECT id, level, region_id AS "regionId", clock_id AS "clockId", by_user_id AS "byUserId" FROM supervisions WHERE id = $1`,
        [c.record.data.supervisionId],
      )) as RaisedSupervision[];
      events.push({ type: 'supervision.raised', occurredAt: c.now, data: supervisionRaisedData(c.changed, c.event.seq + 1, sup!) });
    }
    await insertOutbox(tx, events);
  }
}

/** How many domain events an action writes: its step, and a 督办 for `supervise` (see writeRecords). */
const eventsOf = (action: IssueTransitionAction): number => (action === 'supervise' ? 2 : 1);
