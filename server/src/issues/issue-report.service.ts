import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { roleMayTake, type IssueSource, type IssueTransitionedEvent } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AttachmentStorage } from '../attachments/attachment-storage.service';
import { CategoriesService } from '../categories/categories.service';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { DomainEventsPublisher } from '../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RegionsService, type GridPlace } from '../regions/regions.service';
import type { ReportIssueDto } from './dto/report-issue.dto';
import { insertAttachments, insertEvent } from './issue-writes';

export interface ReportResult {
  issueId: number;
  /** False when an Idempotency-Key replayed an earlier report. */
  created: boolean;
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
    const requestHash = hashRequest(input, photos.map((p) => p.sha256));

    if (idempotencyKey !== undefined) {
      const replay = await this.findReplay(this.db.manager, actor.id, idempotencyKey, requestHash);
      if (replay) return replay;
    }

    const stored = await this.storage.store(photos);
    try {
      const outcome = await this.db.transaction(async (tx): Promise<ReportResult | IssueTransitionedEvent> => {
        const now = this.clock.now();
        const title = input.title ?? `${category.name} · ${input.address ?? this.regions.get(place.gridId)?.name ?? ''}`.slice(0, 200);
        const rows: { id: number; number: string }[] = await tx.query(
          `INSERT INTO issues (number, title, description, category_id, priority, status, source,
                               grid_id, community_id, street_id, district_id, lat, lng, address,
                               reporter_id, idempotency_key, request_hash, device_time, reported_at, updated_at)
           VALUES ('GL-' || to_char($17::timestamptz AT TIME ZONE $18, 'YYYYMMDD') || '-' || lpad(nextval('issue_number_seq')::text, 6, '0'),
                   $1, $2, $3, $4, 'reported', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
           ON CONFLICT (reporter_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
           RETURNING id, number`,
          [
            title, input.description, category.id, input.priority ?? 'normal', source,
            place.gridId, place.communityId, place.streetId, place.districtId, input.lat ?? null, input.lng ?? null, input.address ?? null,
            actor.id, idempotencyKey ?? null, idempotencyKey === undefined ? null : requestHash, input.deviceTime ?? null, now, this.config.timeZone,
          ],
        );
        const row = rows[0];
        // A concurrent request with the same key committed first: this one becomes its replay.
        if (!row) return (await this.findReplay(tx, actor.id, idempotencyKey!, requestHash))!;
        const eventId = await insertEvent(tx, {
          issueId: row.id,
          type: 'report',
          fromStatus: null,
          toStatus: 'reported',
          actorId: actor.id,
          note: null,
          data: { source, priority: input.priority ?? 'normal', categoryId: category.id, gridId: place.gridId, photos: stored.length },
          at: now,
        });
        await insertAttachments(tx, row.id, eventId, 'before', stored, actor.id, now);
        return {
          issueId: row.id, number: row.number, action: 'report', fromStatus: null, toStatus: 'reported', version: 1, actorId: actor.id,
          ...place, departmentId: null, previousDepartmentId: null, categoryId: category.id, at: now.toISOString(),
        };
      });
      if ('created' in outcome) {
        await this.storage.discard(stored);
        return outcome;
      }
      this.events.publish('issue.transitioned', outcome);
      return { issueId: outcome.issueId, created: true };
    } catch (err) {
      await this.storage.discard(stored);
      throw err;
    }
  }

  private async findReplay(tx: EntityManager, reporterId: number, key: string, requestHash: string): Promise<ReportResult | null> {
    const rows: { id: number; request_hash: string }[] = await tx.query(
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
