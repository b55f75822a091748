import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { roleMayTake, type AttachmentView, type IssueDetail, type IssueEventView, type IssueSource } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AttachmentStorage } from '../attachments/attachment-storage.service';
import { CategoriesService } from '../categories/categories.service';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { DomainEventsPublisher } from '../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PreparedStatements } from '../database/prepared';
import { RegionsService, type GridPlace } from '../regions/regions.service';
import { CLOCK_RECORD } from '../sla/clock-rows';
import { SlaClocksService } from '../sla/sla-clocks.service';
import type { ReportIssueDto } from './dto/report-issue.dto';
import { attachmentUrl, IssueQueriesService, ISSUE_SELECT } from './issue-queries.service';
import type { Issue } from './issue.entity';

export interface ReportResult {
  issueId: number;
  /** False when an Idempotency-Key replayed an earlier report. */
  created: boolean;
  /** The new issue as the reporter sees it (built from what the insert returned, not read again). */
  detail?: IssueDetail;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/** 上报: creates an issue, exactly once per Idempotency-Key, with its photos and first audit event. */
@Injectable()
export class IssueReportService {
  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly categories: CategoriesService,
    private readonly storage: AttachmentStorage,
    private readonly events: DomainEventsPublisher,
    private readonly clock: ClockService,
    private readonly queries: IssueQueriesService,
    private readonly prepared: PreparedStatements,
    private readonly sla: SlaClocksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(actor: Actor, input: ReportIssueDto, rawPhotos: Buffer[], idempotencyKey: string | undefined): Promise<ReportResult> {
    if (!roleMayTake(actor.role, 'report')) throw new AppException('FORBIDDEN_ROLE', `A ${actor.role} cannot report issues`);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppException('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8–128 printable ASCII characters');
    }
    const place = this.placeOf(actor, input);
    const category = this.categories.requireLeaf(input.categoryId);
    const photos = rawPhotos.map((bytes, i) => this.storage.check(bytes, i));
    if (category.photoRequiredOnReport && photos.length === 0) {
      throw new AppException('PHOTO_REQUIRED', `Reports of ${category.name} need at least one photo`);
    }
    const source = this.sourceOf(actor, input.source);
    const requestHash = hashRequest(
      input,
      photos.map((p) => p.sha256),
    );

    // A retry carrying photos is answered before they are written to disk again.
    if (idempotencyKey !== undefined && photos.length > 0) {
      const replay = await this.findReplay(actor.id, idempotencyKey, requestHash);
      if (replay) return replay;
    }

    const stored = await this.storage.store(photos);
    try {
      const now = this.clock.now();
      const title = input.title ?? `${category.name} · ${input.address ?? this.regions.get(place.gridId)?.name ?? ''}`.slice(0, 200);
      const eventData = {
        source,
        priority: input.priority ?? 'normal',
        categoryId: category.id,
        gridId: place.gridId,
        ...(stored.length ? { photos: stored.length } : {}),
      };
      // The SLA clocks (accept, overall) are planned in memory, so they go in with the same statement.
      const priority = input.priority ?? 'normal';
      const plan = this.sla.planReport({ categoryId: category.id, priority }, now);
      // One statement, so one atomic round trip: the issue, its report event, its photos and its clocks.
      const rows = await this.prepared.query<Issue & { eventId: string; attachmentIds: number[] | null; clockIds: Record<string, number> }>(
        'report-issue',
        `WITH issue AS (
           INSERT INTO issues (number, title, description, category_id, priority, status, source,
                               grid_id, community_id, street_id, district_id, lat, lng, address,
                               reporter_id, idempotency_key, request_hash, device_time, reported_at, updated_at, sla_due_at)
           VALUES ('GL-' || to_char($17::timestamptz AT TIME ZONE $18, 'YYYYMMDD') || '-' || lpad(nextval('issue_number_seq')::text, 6, '0'),
                   $1, $2, $3, $4, 'reported', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $24)
           ON CONFLICT (reporter_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
           RETURNING *
         ), event AS (
           INSERT INTO issue_events (issue_id, type, from_status, to_status, actor_id, data, at)
           SELECT id, 'report', NULL, 'reported', $13, $19, $17 FROM issue
           RETURNING id, issue_id
         ), photos AS (
           INSERT INTO attachments (issue_id, event_id, kind, mime_type, size_bytes, sha256, storage_key, uploaded_by, created_at)
           SELECT e.issue_id, e.id, 'before', m, s, h, k, $13, $17
             FROM event e, unnest($20::text[], $21::int[], $22::text[], $23::text[]) WITH ORDINALITY AS t(m, s, h, k, n)
            ORDER BY n
           RETURNING id
         ), clocks AS (
           INSERT INTO sla_clocks (issue_id, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
                                   warn_at, due_at, escalate_at)
           SELECT issue.id, r.stage, r.policy_id, r.calendar_id, r.unit, r.target, r.target_ms, r.warn_fraction, r.started_at, r.running_since,
                  r.warn_at, r.due_at, r.escalate_at
             FROM issue, jsonb_to_recordset($25::jsonb) AS r(${CLOCK_RECORD})
           RETURNING id, stage, warn_at
         ), timers AS (
           INSERT INTO sla_timers (clock_id, level, fire_at) SELECT id, 'warning', warn_at FROM clocks
         )
         SELECT ${ISSUE_SELECT}, (SELECT id FROM event) AS "eventId", (SELECT array_agg(id ORDER BY id) FROM photos) AS "attachmentIds",
                (SELECT jsonb_object_agg(stage, id) FROM clocks) AS "clockIds"
           FROM issue i`,
        [
          title,
          input.description,
          category.id,
          input.priority ?? 'normal',
          source,
          place.gridId,
          place.communityId,
          place.streetId,
          place.districtId,
          input.lat ?? null,
          input.lng ?? null,
          input.address ?? null,
          actor.id,
          idempotencyKey ?? null,
          idempotencyKey === undefined ? null : requestHash,
          input.deviceTime ?? null,
          now,
          this.config.timeZone,
          JSON.stringify(eventData),
          stored.map((p) => p.mimeType),
          stored.map((p) => p.bytes.length),
          stored.map((p) => p.sha256),
          stored.map((p) => p.storageKey),
          plan.dueAt,
          plan.records,
        ],
      );
      const row = rows[0];
      if (!row) {
        // The key was used before (or by a concurrent request that committed first): a replay.
        await this.storage.discard(stored);
        return (await this.findReplay(actor.id, idempotencyKey!, requestHash))!;
      }
      const { eventId, attachmentIds, clockIds, ...issue } = row;
      const slaEvents = this.sla.reportEvents(issue, plan, clockIds);
      this.events.publish('issue.transitioned', {
        issueId: issue.id,
        number: issue.number,
        action: 'report',
        fromStatus: null,
        toStatus: 'reported',
        version: 1,
        actorId: actor.id,
        ...place,
        departmentId: null,
        previousDepartmentId: null,
        categoryId: category.id,
        at: now.toISOString(),
      });
      this.sla.publish(slaEvents);
      const attachments: AttachmentView[] = stored.map((p, i) => {
        const id = attachmentIds![i]!;
        return { id, kind: 'before', mimeType: p.mimeType, sizeBytes: p.bytes.length, sha256: p.sha256, url: attachmentUrl(id) };
      });
      const event: IssueEventView = {
        id: eventId,
        type: 'report',
        fromStatus: null,
        toStatus: 'reported',
        actorId: actor.id,
        actorName: actor.displayName,
        note: null,
        data: eventData,
        at: now.toISOString(),
        attachments,
      };
      const slaClocks = this.sla.toViews(plan.clocks.map((c) => ({ ...c, id: clockIds[c.stage] ?? null })));
      const detail = this.queries.toDetail(actor, issue, { timeline: [event], attachments, extensions: [], slaClocks });
      return { issueId: issue.id, created: true, detail };
    } catch (err) {
      await this.storage.discard(stored);
      throw err;
    }
  }

  private async findReplay(reporterId: number, key: string, requestHash: string): Promise<ReportResult | null> {
    const rows: { id: number; request_hash: string }[] = await this.db.query(
      'SELECT id, request_hash FROM issues WHERE reporter_id = $1 AND idempotency_key = $2',
      [reporterId, key],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.request_hash !== requestHash) {
      throw new AppException('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different report', { issueId: row.id });
    }
    return { issueId: row.id, created: false };
  }

  /** The grid of the report, from gridId or the location, and the reporter's right to report there. */
  private placeOf(actor: Actor, input: ReportIssueDto): GridPlace {
    let gridId = input.gridId;
    if (gridId === undefined) {
      const grid = this.regions.gridAt(input.lat!, input.lng!);
      if (!grid) throw new AppException('LOCATION_NOT_IN_ANY_GRID', 'The location lies outside every grid; choose the grid by hand');
      gridId = grid.id;
    }
    const place = this.regions.placeOfGrid(gridId);
    if (!place) throw new AppException('UNKNOWN_REFERENCE', `Grid ${gridId} does not exist`, { field: 'gridId' });
    const mayReport = actor.role === 'grid_worker' ? actor.gridIds.includes(gridId) : this.regions.isWithinAny(gridId, actor.regionIds);
    if (!mayReport) throw new AppException('GRID_OUT_OF_SCOPE', `You cannot report in grid ${gridId}: it is outside your scope`);
    return place;
  }

  private sourceOf(actor: Actor, requested: IssueSource | undefined): IssueSource {
    if (actor.role === 'grid_worker') {
      if (requested !== undefined && requested !== 'grid_worker') {
        throw new AppException('VALIDATION_FAILED', 'Grid workers report with source grid_worker', { field: 'source' });
      }
      return 'grid_worker';
    }
    if (requested === 'grid_worker' || requested === 'open311') {
      throw new AppException('VALIDATION_FAILED', `A dispatcher cannot report with source ${requested}`, { field: 'source' });
    }
    return requested ?? 'dispatcher';
  }
}

/** A stable digest of what was asked for: the same key with a different request is refused. */
function hashRequest(input: ReportIssueDto, photoHashes: string[]): string {
  const fields = Object.entries(input)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify({ fields, photoHashes })).digest('hex');
}
