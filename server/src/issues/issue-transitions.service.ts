import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ACTION_PHOTO_KIND,
  allowedActions,
  canTransition,
  nextStatus,
  roleMayTake,
  type ActionInputs,
  type IssueStatus,
  type IssueTransitionAction,
  type IssueTransitionedEvent,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AttachmentStorage, type StoredPhoto } from '../attachments/attachment-storage.service';
import { CategoriesService } from '../categories/categories.service';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { DomainEventsPublisher } from '../common/domain-events';
import { DepartmentsService } from '../departments/departments.service';
import { SlaClocksService, type PendingSlaEvents } from '../sla/sla-clocks.service';
import type { AnyActionInput } from './dto/action.dto';
import { IssueAccess } from './issue-access';
import { Issue } from './issue.entity';
import { insertAttachments, insertEvent } from './issue-writes';

/** What an action changes besides status and version, and what it records in the audit event. */
interface Effect {
  set: Partial<Record<keyof typeof COLUMN, unknown>>;
  note: string | null;
  data: Record<string, unknown>;
}

const COLUMN = {
  categoryId: 'category_id',
  priority: 'priority',
  departmentId: 'department_id',
  assigneeId: 'assignee_id',
  mergedIntoId: 'merged_into_id',
  acceptedAt: 'accepted_at',
  dispatchedAt: 'dispatched_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
} as const;

/**
 * The one transactional path for every action on an existing issue:
 * role → lock → scope → version → table → relations → effect → update → audit → commit → publish.
 */
@Injectable()
export class IssueTransitionsService {
  constructor(
    private readonly db: DataSource,
    private readonly access: IssueAccess,
    private readonly categories: CategoriesService,
    private readonly departments: DepartmentsService,
    private readonly storage: AttachmentStorage,
    private readonly events: DomainEventsPublisher,
    private readonly clock: ClockService,
    private readonly sla: SlaClocksService,
  ) {}

  async apply(
    actor: Actor,
    issueId: number,
    action: IssueTransitionAction,
    input: AnyActionInput,
    rawPhotos: Buffer[],
  ): Promise<IssueTransitionedEvent> {
    if (!roleMayTake(actor.role, action)) throw new AppException('FORBIDDEN_ROLE', `A ${actor.role} cannot ${action}`);
    const photoKind = ACTION_PHOTO_KIND[action];
    if (rawPhotos.length > 0 && !photoKind) throw new AppException('VALIDATION_FAILED', `${action} takes no photos`, { field: 'photos' });
    const photos = rawPhotos.map((bytes, i) => this.storage.check(bytes, i));
    const stored = await this.storage.store(photos);
    try {
      let slaEvents: PendingSlaEvents | null = null;
      const published = await this.db.transaction(async (tx) => {
        const issue = await tx.getRepository(Issue).findOne({ where: { id: issueId }, lock: { mode: 'pessimistic_write' } });
        if (!issue || !this.access.canSee(actor, issue)) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
        if (input.version !== issue.version) {
          throw new AppException('ISSUE_VERSION_CONFLICT', 'The issue changed since you loaded it; reload and try again', {
            currentVersion: issue.version,
          });
        }
        const relations = this.access.relations(actor, issue);
        if (!canTransition(issue.status, action)) {
          throw new AppException('ISSUE_ACTION_NOT_ALLOWED', `Cannot ${action} an issue that is ${issue.status}`, {
            status: issue.status,
            allowedActions: allowedActions(issue.status, actor.role, relations),
          });
        }
        if (!allowedActions(issue.status, actor.role, relations).includes(action)) {
          throw new AppException('FORBIDDEN_RELATION', `You may not ${action} this issue`);
        }
        const now = this.clock.now();
        const effect = await this.effectOf(tx, actor, issue, action, input, stored, now);
        const toStatus = nextStatus(issue.status, action);
        await this.update(tx, issue, toStatus, effect, now);
        const departmentId = 'departmentId' in effect.set ? (effect.set.departmentId as number | null) : issue.departmentId;
        const changed = { ...issue, ...effect.set, departmentId } as Issue;
        slaEvents = await this.sla.onTransition(tx, changed, action, toStatus, now, { extendMinutes: approvedMinutes(effect) });
        const data = {
          ...effect.data,
          ...(stored.length ? { photos: stored.length } : {}),
          ...(slaEvents.summary ? { sla: slaEvents.summary } : {}),
        };
        const eventId = await insertEvent(tx, {
          issueId,
          type: action,
          fromStatus: issue.status,
          toStatus,
          actorId: actor.id,
          note: effect.note,
          data,
          at: now,
        });
        if (photoKind) await insertAttachments(tx, issueId, eventId, photoKind, stored, actor.id, now);
        const event: IssueTransitionedEvent = {
          issueId,
          number: issue.number,
          action,
          fromStatus: issue.status,
          toStatus,
          version: issue.version + 1,
          actorId: actor.id,
          gridId: issue.gridId,
          communityId: issue.communityId,
          streetId: issue.streetId,
          districtId: issue.districtId,
          departmentId,
          previousDepartmentId: issue.departmentId,
          categoryId: changed.categoryId,
          at: now.toISOString(),
        };
        return event;
      });
      this.events.publish('issue.transitioned', published);
      this.sla.publish(slaEvents);
      return published;
    } catch (err) {
      await this.storage.discard(stored);
      throw err;
    }
  }

  private async update(tx: EntityManager, issue: Issue, toStatus: IssueStatus, effect: Effect, now: Date): Promise<void> {
    const params: unknown[] = [issue.id, issue.version, toStatus, now];
    const sets = Object.entries(effect.set).map(([field, value]) => {
      params.push(value);
      return `${COLUMN[field as keyof typeof COLUMN]} = $${params.length}`;
    });
    const result: [unknown[], number] = await tx.query(
      `UPDATE issues SET status = $3, version = version + 1, updated_at = $4${sets.map((s) => `, ${s}`).join('')}
        WHERE id = $1 AND version = $2`,
      params,
    );
    if (result[1] !== 1) throw new AppException('ISSUE_VERSION_CONFLICT', 'The issue changed since you loaded it; reload and try again');
  }

  private async effectOf(
    tx: EntityManager,
    actor: Actor,
    issue: Issue,
    action: IssueTransitionAction,
    input: AnyActionInput,
    photos: StoredPhoto[],
    now: Date,
  ): Promise<Effect> {
    const none = (note: string | null = null): Effect => ({ set: {}, note, data: {} });
    switch (action) {
      case 'resolve_on_site': {
        const { note } = input as ActionInputs['resolve_on_site'];
        if (photos.length === 0) throw new AppException('PHOTO_REQUIRED', 'Resolving on the spot needs an after-photo');
        return { set: { resolvedAt: now }, note, data: { onSite: true } };
      }
      case 'accept':
        return { set: { acceptedAt: now }, note: (input as ActionInputs['accept']).note ?? null, data: {} };
      case 'reject':
        return none((input as ActionInputs['reject']).reason);
      case 'merge': {
        const { primaryIssueId, note } = input as ActionInputs['merge'];
        await this.checkMergeTarget(tx, actor, issue, primaryIssueId);
        return { set: { mergedIntoId: primaryIssueId }, note: note ?? null, data: { primaryIssueId } };
      }
      case 'dispatch': {
        const { departmentId, note } = input as ActionInputs['dispatch'];
        this.departments.require(departmentId);
        const suggestedDepartmentId = this.departments.suggest(issue.categoryId, issue.gridId);
        return {
          set: { departmentId, assigneeId: null, dispatchedAt: now },
          note: note ?? null,
          data: { departmentId, suggestedDepartmentId },
        };
      }
      case 'sign': {
        const { assigneeId, note } = input as ActionInputs['sign'];
        const assignee = await this.checkAssignee(tx, actor, issue, assigneeId ?? actor.id);
        return { set: { assigneeId: assignee }, note: note ?? null, data: { assigneeId: assignee } };
      }
      case 'return': {
        const { reason } = input as ActionInputs['return'];
        return { set: { departmentId: null, assigneeId: null }, note: reason, data: { departmentId: issue.departmentId } };
      }
      case 'suspend':
        return none((input as ActionInputs['suspend']).reason);
      case 'resume':
        return none((input as ActionInputs['resume']).note ?? null);
      case 'resolve': {
        const { note } = input as ActionInputs['resolve'];
        const category = this.categories.get(issue.categoryId);
        if (category?.photoRequiredOnResolve && photos.length === 0) {
          throw new AppException('PHOTO_REQUIRED', `Resolving ${category.name} needs an after-photo`);
        }
        return { set: { resolvedAt: now }, note, data: {} };
      }
      case 'verify':
        return { set: { closedAt: now }, note: (input as ActionInputs['verify']).note ?? null, data: {} };
      case 'reopen':
        return { set: { resolvedAt: null }, note: (input as ActionInputs['reopen']).reason, data: {} };
      case 'request_extension': {
        const { minutes, reason } = input as ActionInputs['request_extension'];
        const pending: unknown[] = await tx.query(`SELECT 1 FROM extension_requests WHERE issue_id = $1 AND status = 'pending'`, [
          issue.id,
        ]);
        if (pending.length)
          throw new AppException('EXTENSION_ALREADY_PENDING', 'An extension request for this issue is already waiting for a decision');
        const rows: { id: number }[] = await tx.query(
          'INSERT INTO extension_requests (issue_id, minutes, reason, requested_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [issue.id, minutes, reason, actor.id, now],
        );
        return { set: {}, note: reason, data: { extensionRequestId: rows[0]!.id, minutes } };
      }
      case 'decide_extension': {
        const { approve, note } = input as ActionInputs['decide_extension'];
        const rows: [{ id: number; minutes: number }[], number] = await tx.query(
          `UPDATE extension_requests SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5
            WHERE issue_id = $1 AND status = 'pending' RETURNING id, minutes`,
          [issue.id, approve ? 'approved' : 'denied', actor.id, now, note ?? null],
        );
        const decided = rows[0][0];
        if (!decided) throw new AppException('EXTENSION_NOT_PENDING', 'There is no extension request waiting for a decision');
        return { set: {}, note: note ?? null, data: { extensionRequestId: decided.id, approve, minutes: decided.minutes } };
      }
      case 'supervise': {
        const { note } = input as ActionInputs['supervise'];
        const rows: { id: number }[] = await tx.query(
          'INSERT INTO supervisions (issue_id, level, region_id, by_user_id, reason, created_at) VALUES ($1, 1, $2, $3, $4, $5) RETURNING id',
          [issue.id, actor.regionId, actor.id, note, now],
        );
        return { set: {}, note, data: { supervisionId: rows[0]!.id, level: 1 } };
      }
      case 'reclassify': {
        const { categoryId, priority, note } = input as ActionInputs['reclassify'];
        if (categoryId === undefined && priority === undefined) {
          throw new AppException('VALIDATION_FAILED', 'Reclassify needs categoryId, priority or both', { field: 'categoryId' });
        }
        if (categoryId !== undefined) this.categories.requireLeaf(categoryId);
        const set: Effect['set'] = {};
        if (categoryId !== undefined) set.categoryId = categoryId;
        if (priority !== undefined) set.priority = priority;
        return {
          set,
          note: note ?? null,
          data: {
            from: { categoryId: issue.categoryId, priority: issue.priority },
            to: { categoryId: categoryId ?? issue.categoryId, priority: priority ?? issue.priority },
          },
        };
      }
      case 'evaluate': {
        const { score, comment } = input as ActionInputs['evaluate'];
        const rows: { id: number }[] = await tx.query(
          `INSERT INTO evaluations (issue_id, by_user_id, score, comment, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (issue_id, by_user_id) DO NOTHING RETURNING id`,
          [issue.id, actor.id, score, comment ?? null, now],
        );
        if (!rows[0]) throw new AppException('ALREADY_EVALUATED', 'You have already evaluated this issue');
        return { set: {}, note: comment ?? null, data: { evaluationId: rows[0].id, score } };
      }
    }
  }

  /** The primary of a merge: another issue the dispatcher can see, itself not merged away. */
  private async checkMergeTarget(tx: EntityManager, actor: Actor, issue: Issue, primaryIssueId: number): Promise<void> {
    if (primaryIssueId === issue.id) throw new AppException('MERGE_TARGET_INVALID', 'An issue cannot be merged into itself');
    const primary = await tx.getRepository(Issue).findOneBy({ id: primaryIssueId });
    if (!primary || !this.access.canSee(actor, primary))
      throw new AppException('MERGE_TARGET_INVALID', `Issue ${primaryIssueId} not found`);
    if (primary.status === 'merged' || primary.status === 'rejected') {
      throw new AppException('MERGE_TARGET_INVALID', `Issue ${primaryIssueId} is ${primary.status} and cannot take duplicates`);
    }
  }

  /** Who works the task: a lead or staff member of the issue's department; staff sign for themselves. */
  private async checkAssignee(tx: EntityManager, actor: Actor, issue: Issue, assigneeId: number): Promise<number> {
    if (actor.role === 'dept_staff' && !actor.userIds.includes(assigneeId)) {
      throw new AppException('FORBIDDEN_RELATION', 'Department staff sign tasks for themselves');
    }
    // The actor already holds the department relation, own or as AB 岗 backup of an away colleague.
    if (assigneeId === actor.id) return assigneeId;
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM users WHERE id = $1 AND active AND role IN ('dept_lead', 'dept_staff') AND department_id = $2`,
      [assigneeId, issue.departmentId],
    );
    if (!rows.length)
      throw new AppException('UNKNOWN_REFERENCE', `User ${assigneeId} is not in this issue's department`, { field: 'assigneeId' });
    return assigneeId;
  }
}

/** The minutes an approved extension grants, for the SLA clocks. */
function approvedMinutes(effect: Effect): number | undefined {
  return effect.data.approve === true && typeof effect.data.minutes === 'number' ? effect.data.minutes : undefined;
}
