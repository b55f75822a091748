import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  isResidentRole,
  normalizeMobile,
  roleMayTake,
  type IssueDetail,
  type IssueReceipt,
  type IssueSource,
  type SlaClockView,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AttachmentStorage, type StoredPhoto } from '../attachments/attachment-storage.service';
import type { UploadedPhoto } from '../attachments/upload-reader';
import { CategoriesService } from '../categories/categories.service';
import type { Category } from '../categories/category.entity';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { PreparedStatements } from '../database/prepared';
import { reportedDataBeforeInsert } from '../events/event-payloads';
import { EventRelay } from '../events/event-relay.service';
import { RegionsService, type GridPlace } from '../regions/regions.service';
import { ResidentsService } from '../residents/residents.service';
import { ScopeService } from '../scope/scope.service';
import { SlaClocksService } from '../sla/sla-clocks.service';
import type { ReportIssueDto } from './dto/report-issue.dto';
import { IssueQueriesService } from './issue-queries.service';
import type { Issue } from './issue.entity';
import { photoColumns, REPORT_STATEMENT, REPORT_STATEMENT_NAME, type ReportInsert, type ReportReturned } from './report-statement';
import { receiptOf, reportedParts } from './report-view';
import { reportingChannel, type ReportingPolicy } from './reporting-policy';

export interface ReportResult {
  issueId: number;
  /** False when an Idempotency-Key replayed an earlier report. */
  created: boolean;
  /** The new issue in short, when only that was asked for (a replay has none): what `Prefer: return=minimal` answers. */
  receipt?: IssueReceipt;
  /** The new issue as the reporter sees it (built from what the insert returned, not read again), unless only the receipt was asked for. */
  detail?: IssueDetail;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new AppException('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8–128 printable ASCII characters');
  }
}

/**
 * Who a report comes from: a signed-in user, or an Open311 client (an API key, no user). An
 * Idempotency-Key is scoped to exactly one of them.
 */
interface Reporter {
  reporterId: number | null;
  open311KeyId: number | null;
}

type CheckedPhoto = ReturnType<AttachmentStorage['check']>;

/** What the insert wrote and returned, for the reporter's view of the new issue. */
interface Inserted {
  insert: ReportInsert;
  eventData: Record<string, unknown>;
  stored: StoredPhoto[];
  row: Issue & Pick<ReportReturned, 'eventId' | 'attachmentIds' | 'residentName'>;
  slaClocks: SlaClockView[];
}

/**
 * 上报: creates an issue, exactly once per Idempotency-Key, with its photos, first audit event and
 * SLA clocks. Who may report with which source, where and with what: reporting-policy.ts; the
 * one statement that writes it all: report-statement.ts; the view it answers with: report-view.ts.
 */
@Injectable()
export class IssueReportService {
  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly categories: CategoriesService,
    private readonly storage: AttachmentStorage,
    private readonly relay: EventRelay,
    private readonly clock: ClockService,
    private readonly queries: IssueQueriesService,
    private readonly prepared: PreparedStatements,
    private readonly sla: SlaClocksService,
    private readonly scope: ScopeService,
    private readonly residents: ResidentsService,
  ) {}

  /**
   * `opts.residentId`: the resident contact of the issue (a hotline caller, residents.service.ts);
   * a resident's own report is linked to their contact row by itself. `opts.view: 'receipt'`: the
   * caller answers with the receipt only, so the detail view is not built.
   */
  async report(
    actor: Actor,
    input: ReportIssueDto,
    uploads: UploadedPhoto[],
    idempotencyKey: string | undefined,
    opts: { residentId?: number; view?: 'detail' | 'receipt' } = {},
  ): Promise<ReportResult> {
    if (!roleMayTake(actor.role, 'report')) throw new AppException('FORBIDDEN_ROLE', `A ${actor.role} cannot report issues`);
    checkIdempotencyKey(idempotencyKey);
    const { source, policy } = reportingChannel(actor.role, input.source);
    const place = this.placeOf(actor, input, policy);
    const category = this.categories.requireLeaf(input.categoryId);
    if (policy.categories === 'resident_list' && category.residentName === null) {
      throw new AppException('UNKNOWN_REFERENCE', `Category ${category.id} is not offered to residents`, { field: 'categoryId' });
    }
    const residentId = opts.residentId ?? (isResidentRole(actor.role) ? await this.residents.residentIdOfUser(actor.id) : null);
    const photos = uploads.map((upload, i) => this.storage.check(upload, i));
    if (photos.length === 0 && (policy.photos === 'always' || category.photoRequiredOnReport)) {
      throw new AppException('PHOTO_REQUIRED', `Reports of ${category.name} need at least one photo`);
    }
    const caller = callerOf(input, source);
    const reporter: Reporter = { reporterId: actor.id, open311KeyId: null };
    const result = await this.intake(reporter, input, {
      source,
      place,
      category,
      photos,
      idempotencyKey,
      eventData: {},
      caller,
      residentId,
    });
    if (!('inserted' in result)) return result;
    const { insert, eventData, stored, row, slaClocks } = result.inserted;
    if (opts.view === 'receipt') return { issueId: row.id, created: true, receipt: receiptOf(row) };
    const parts = reportedParts(actor, insert, eventData, stored, row, slaClocks);
    const contact = row.residentId !== null && caller ? { id: row.residentId, phone: caller.phone, name: row.residentName } : null;
    return { issueId: row.id, created: true, detail: this.queries.toDetail(actor, row, Object.assign({}, parts, { contact })) };
  }

  /**
   * A request from an Open311 client (an API key, not a user), always `source: open311`, placed
   * by the caller in a grid (any grid: the policy's placement), without photos: its picture is a
   * media_url, kept in the report event's data. The same statement as every other report.
   */
  async reportFromOpen311(
    client: { keyId: number },
    input: ReportIssueDto,
    extra: { mediaUrl?: string },
    idempotencyKey: string | undefined,
  ): Promise<ReportResult> {
    checkIdempotencyKey(idempotencyKey);
    const place = input.gridId === undefined ? undefined : this.regions.placeOfGrid(input.gridId);
    if (!place) throw new AppException('UNKNOWN_REFERENCE', `Grid ${input.gridId ?? '?'} does not exist`, { field: 'gridId' });
    const category = this.categories.requireLeaf(input.categoryId);
    if (category.photoRequiredOnReport && extra.mediaUrl === undefined) {
      throw new AppException('PHOTO_REQUIRED', `Reports of ${category.name} need a photo (media_url)`);
    }
    const reporter: Reporter = { reporterId: null, open311KeyId: client.keyId };
    const eventData = extra.mediaUrl === undefined ? {} : { mediaUrl: extra.mediaUrl };
    const result = await this.intake(reporter, Object.assign({}, input, { source: 'open311' as const }), {
      source: 'open311',
      place,
      category,
      photos: [],
      idempotencyKey,
      eventData,
      caller: null,
      residentId: null,
    });
    return 'inserted' in result ? { issueId: result.inserted.row.id, created: true } : result;
  }

  /** The one insert of a report (issue, report event, photos, SLA clocks) and its announcement; or the replay of a retry. */
  private async intake(
    reporter: Reporter,
    input: ReportIssueDto,
    opts: {
      source: IssueSource;
      place: GridPlace;
      category: Category;
      photos: CheckedPhoto[];
      idempotencyKey: string | undefined;
      /** Data of the report event beyond what every report records (e.g. an Open311 media_url). */
      eventData: Record<string, unknown>;
      /** The resident contact to keep with the issue (a hotline caller), phone normalised. */
      caller: { phone: string; name: string | null } | null;
      /** The resident contact already known (a resident's own report); a caller's is found or made by the statement. */
      residentId: number | null;
    },
  ): Promise<ReportResult | { inserted: Inserted }> {
    const { source, place, category, photos, idempotencyKey } = opts;
    const requestHash = hashRequest(
      { ...input, ...opts.eventData },
      photos.map((p) => p.sha256),
    );

    // A retry carrying photos is answered before they are decoded and stored again, and one with a
    // caller before the contact is written (a reused key with another caller writes nothing).
    if (idempotencyKey !== undefined && (photos.length > 0 || opts.caller)) {
      const replay = await this.findReplay(reporter, idempotencyKey, requestHash);
      if (replay) return replay;
    }

    const stored = await this.storage.keep(photos);
    try {
      const at = this.clock.now();
      const priority = input.priority ?? 'normal';
      const eventData = {
        source,
        priority,
        categoryId: category.id,
        gridId: place.gridId,
        ...(stored.length ? { photos: stored.length } : {}),
        ...opts.eventData,
      };
      // The SLA clocks (accept, overall) are planned in memory, so they go in with the same statement.
      const plan = this.sla.planReport({ categoryId: category.id, priority }, at);
      const title = input.title ?? `${category.name} · ${input.address ?? this.regions.get(place.gridId)?.name ?? ''}`.slice(0, 200);
      // The issue.reported event, but for the id and number the statement assigns.
      // `place` spread last, not first (here and in the insert below): an object spread and then
      // extended outlives the young generation in V8 (docs/adr/0063-no-spread-then-extend-on-hot-paths.md).
      const reported = reportedDataBeforeInsert(
        {
          status: 'reported',
          version: 1,
          title,
          categoryId: category.id,
          priority,
          source,
          departmentId: null,
          reporterId: reporter.reporterId,
          assigneeId: null,
          ...place,
        },
        reporter.reporterId,
        this.sla.reportSummary(plan),
      );
      const insert: ReportInsert = {
        title,
        description: input.description,
        categoryId: category.id,
        priority,
        source,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        address: input.address ?? null,
        reporterId: reporter.reporterId,
        open311KeyId: reporter.open311KeyId,
        residentId: opts.residentId,
        residentPhone: opts.caller?.phone ?? null,
        residentName: opts.caller?.name ?? null,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: idempotencyKey === undefined ? null : requestHash,
        deviceTime: input.deviceTime ?? null,
        at,
        timeZone: this.clock.timeZone,
        eventData: JSON.stringify(eventData),
        ...photoColumns(stored),
        slaDueAt: plan.dueAt,
        clocks: plan.records,
        reportedEvent: JSON.stringify(reported),
        ...place,
      };
      const [row] = await this.prepared.query<ReportReturned>(
        REPORT_STATEMENT_NAME,
        REPORT_STATEMENT.text,
        REPORT_STATEMENT.values(insert),
      );
      if (!row) {
        // The key was used before (or by a concurrent request that committed first): a replay.
        await this.storage.discard(stored);
        return (await this.findReplay(reporter, idempotencyKey!, requestHash))!;
      }
      const { clockIds, ...issueRow } = row;
      this.relay.committed();
      const slaClocks = this.sla.toViews(plan.clocks.map((c) => ({ ...c, id: clockIds[c.stage] ?? null })));
      return { inserted: { insert, eventData, stored, row: issueRow, slaClocks } };
    } catch (err) {
      await this.storage.discard(stored);
      throw err;
    }
  }

  private async findReplay(reporter: Reporter, key: string, requestHash: string): Promise<ReportResult | null> {
    const rows: { id: number; request_hash: string }[] =
      reporter.reporterId !== null
        ? await this.db.query(
            'SELECT id, request_hash FROM issues WHERE reporter_id = $1 AND open311_key_id IS NULL AND idempotency_key = $2',
            [reporter.reporterId, key],
          )
        : await this.db.query(
            'SELECT id, request_hash FROM issues WHERE reporter_id IS NULL AND open311_key_id = $1 AND idempotency_key = $2',
            [reporter.open311KeyId, key],
          );
    const row = rows[0];
    if (!row) return null;
    if (row.request_hash !== requestHash) {
      throw new AppException('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different report', { issueId: row.id });
    }
    return { issueId: row.id, created: false };
  }

  /** The grid of the report, from gridId or the location, and the reporter's right to report there. */
  private placeOf(actor: Actor, input: ReportIssueDto, policy: ReportingPolicy): GridPlace {
    let gridId = input.gridId;
    if (gridId === undefined) {
      const grid = this.regions.gridAt(input.lat!, input.lng!);
      if (!grid) {
        const nearest = this.regions.nearestGrid(input.lat!, input.lng!);
        throw new AppException(
          'LOCATION_NOT_IN_ANY_GRID',
          'The location lies outside every grid; choose the grid by hand',
          nearest ? { nearestGrid: nearest } : undefined,
        );
      }
      gridId = grid.id;
    }
    const place = this.regions.placeOfGrid(gridId);
    if (!place) throw new AppException('UNKNOWN_REFERENCE', `Grid ${gridId} does not exist`, { field: 'gridId' });
    if (policy.placement === 'reporter_scope' && !this.scope.mayReportIn(actor, gridId)) {
      throw new AppException('GRID_OUT_OF_SCOPE', `You cannot report in grid ${gridId}: it is outside your scope`);
    }
    return place;
  }
}

/** 来电人: only hotline reports carry one; the phone as stored (PHONE_INVALID when it is not a mainland mobile number). */
function callerOf(input: ReportIssueDto, source: IssueSource): { phone: string; name: string | null } | null {
  if (input.caller === undefined) return null;
  if (source !== 'hotline') {
    throw new AppException('VALIDATION_FAILED', 'Only hotline reports (source hotline) carry a caller', { field: 'caller' });
  }
  const phone = normalizeMobile(input.caller.phone);
  if (!phone) throw new AppException('PHONE_INVALID', 'caller.phone must be a mainland mobile number (11 digits, 13x–19x)');
  return { phone, name: input.caller.name?.trim() || null };
}

/** A stable digest of what was asked for: the same key with a different request is refused. */
function hashRequest(input: object, photoHashes: string[]): string {
  const fields = Object.entries(input)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify({ fields, photoHashes })).digest('hex');
}
