import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TERMINAL_STATUSES, type IssueSource, type IssueStatus } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Open311Value } from './open311-format';
import { Open311Services } from './open311-services';
import { formatW3c, parseW3c } from './w3c-datetime';

/** The longest window GET requests searches, and the most requests it returns. */
export const MAX_WINDOW_DAYS = 90;
export const MAX_RESULTS = 1000;
const DAY_MS = 86_400_000;
/** service_request_id is the issue number (GL-YYYYMMDD-NNNNNN): public, stable, and not a row count. */
const REQUEST_ID = /^GL-\d{8}-\d{6,}$/;
const MAX_IDS = 100;

interface RequestRow {
  number: string;
  status: IssueStatus;
  source: IssueSource;
  description: string;
  categoryCode: string;
  categoryName: string;
  departmentName: string | null;
  reportedAt: Date;
  updatedAt: Date;
  expectedAt: Date | null;
  address: string | null;
  gridCode: string;
  lat: number | null;
  lng: number | null;
  closingNote: string | null;
  mergedInto: string | null;
  mediaUrl: string | null;
}

/**
 * Public fields only, never the reporter (the users table is not even joined). The description
 * and media_url are the reporter's own words and pictures: published for requests that came in
 * through Open311 (their clients write for publication), withheld for the others, whose text
 * staff type from calls and visits (ADR 0028).
 */
const SELECT = `
  SELECT i.number, i.status, i.source, i.description, c.code AS "categoryCode", c.name AS "categoryName",
         d.name AS "departmentName", i.reported_at AS "reportedAt", i.updated_at AS "updatedAt",
         (SELECT k.due_at FROM sla_clocks k WHERE k.issue_id = i.id AND k.stage = 'overall' ORDER BY k.id DESC LIMIT 1) AS "expectedAt",
         i.address, g.code AS "gridCode", i.lat, i.lng,
         CASE WHEN i.status = ANY($1::text[]) THEN
           (SELECT e.note FROM issue_events e WHERE e.issue_id = i.id AND e.to_status = i.status ORDER BY e.id DESC LIMIT 1) END AS "closingNote",
         (SELECT m.number FROM issues m WHERE m.id = i.merged_into_id) AS "mergedInto",
         CASE WHEN i.source = 'open311' THEN
           (SELECT e.data->>'mediaUrl' FROM issue_events e WHERE e.issue_id = i.id AND e.type = 'report' ORDER BY e.id LIMIT 1) END AS "mediaUrl"
    FROM issues i
    JOIN categories c ON c.id = i.category_id
    JOIN regions g ON g.id = i.grid_id
    LEFT JOIN departments d ON d.id = i.department_id`;

type Query = Record<string, unknown>;

/** GET requests and GET requests/{id}: issues as GeoReport v2 service requests. */
@Injectable()
export class Open311RequestsQuery {
  constructor(
    private readonly db: DataSource,
    private readonly services: Open311Services,
    private readonly clock: ClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async one(id: string): Promise<Record<string, Open311Value>> {
    const rows: RequestRow[] = REQUEST_ID.test(id) ? await this.db.query(`${SELECT} WHERE i.number = $2`, [TERMINAL_STATUSES, id]) : [];
    const row = rows[0];
    if (!row) throw new AppException('ISSUE_NOT_FOUND', `No service request "${id.slice(0, 64)}"`);
    return this.toRequest(row);
  }

  async list(query: Query): Promise<Record<string, Open311Value>[]> {
    const params: unknown[] = [TERMINAL_STATUSES];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    const ids = optional(query, 'service_request_id');
    if (ids !== undefined) {
      // The ids name the requests: every other filter is ignored, as GeoReport v2 says.
      const list = ids.split(',').map((s) => s.trim());
      if (list.length > MAX_IDS || list.some((s) => !REQUEST_ID.test(s))) {
        throw new AppException(
          'VALIDATION_FAILED',
          `service_request_id must be up to ${MAX_IDS} comma-separated ids such as GL-20261205-000001`,
          {
            field: 'service_request_id',
          },
        );
      }
      where.push(`i.number = ANY(${p(list)})`);
    } else {
      const codes = optional(query, 'service_code');
      if (codes !== undefined) {
        const categoryIds = codes.split(',').map((code) => {
          try {
            return this.services.require(code.trim()).id;
          } catch {
            throw new AppException('VALIDATION_FAILED', `Unknown service_code "${code.trim().slice(0, 64)}"`, { field: 'service_code' });
          }
        });
        where.push(`i.category_id = ANY(${p(categoryIds)})`);
      }
      const status = optional(query, 'status');
      if (status !== undefined) {
        const wanted = new Set(status.split(',').map((s) => s.trim()));
        if ([...wanted].some((s) => s !== 'open' && s !== 'closed')) {
          throw new AppException('VALIDATION_FAILED', 'status must be open, closed or open,closed', { field: 'status' });
        }
        // $1 holds the terminal statuses: closed means one of them, open none of them.
        if (wanted.size === 1) where.push(wanted.has('closed') ? 'i.status = ANY($1::text[])' : 'i.status <> ALL($1::text[])');
      }
      const { start, end } = this.window(query);
      where.push(`i.reported_at >= ${p(start)} AND i.reported_at <= ${p(end)}`);
    }
    const rows: RequestRow[] = await this.db.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY i.reported_at DESC, i.id DESC LIMIT ${MAX_RESULTS}`,
      params,
    );
    return rows.map((r) => this.toRequest(r));
  }

  /** start_date/end_date: at most 90 days apart; the last 90 days when neither is given. */
  private window(query: Query): { start: Date; end: Date } {
    const rawStart = optional(query, 'start_date');
    const rawEnd = optional(query, 'end_date');
    const startGiven = rawStart === undefined ? undefined : parseW3c('start_date', rawStart);
    const endGiven = rawEnd === undefined ? undefined : parseW3c('end_date', rawEnd);
    const end = endGiven ?? (startGiven ? new Date(startGiven.getTime() + MAX_WINDOW_DAYS * DAY_MS) : this.clock.now());
    const start = startGiven ?? new Date(end.getTime() - MAX_WINDOW_DAYS * DAY_MS);
    if (start > end) throw new AppException('VALIDATION_FAILED', 'start_date is after end_date', { field: 'start_date' });
    if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
      throw new AppException('VALIDATION_FAILED', `start_date and end_date may not span more than ${MAX_WINDOW_DAYS} days`, {
        field: 'end_date',
      });
    }
    return { start, end };
  }

  private toRequest(r: RequestRow): Record<string, Open311Value> {
    const closed = TERMINAL_STATUSES.includes(r.status);
    const tz = this.config.timeZone;
    const published = r.source === 'open311';
    return {
      service_request_id: r.number,
      status: closed ? 'closed' : 'open',
      status_notes: closed ? statusNotes(r) : null,
      service_name: r.categoryName,
      service_code: r.categoryCode,
      description: published ? r.description : null,
      agency_responsible: r.departmentName,
      service_notice: null,
      requested_datetime: formatW3c(r.reportedAt, tz),
      updated_datetime: formatW3c(r.updatedAt, tz),
      expected_datetime: r.expectedAt ? formatW3c(r.expectedAt, tz) : null,
      address: r.address,
      address_id: r.gridCode,
      zipcode: null,
      lat: r.lat,
      long: r.lng,
      media_url: published ? r.mediaUrl : null,
    };
  }
}

/** Why the request is closed: the note of the action that closed it, or what happened when it has none. */
function statusNotes(r: RequestRow): string {
  if (r.closingNote) return r.closingNote;
  switch (r.status) {
    case 'merged':
      return `已合并至 ${r.mergedInto ?? ''} Merged into ${r.mergedInto ?? 'another request'}`;
    case 'rejected':
      return '不予受理 Not accepted';
    default:
      return '已办结 Resolved and verified';
  }
}

/** A query parameter given at most once, as a string; 400 when repeated. */
export function optional(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new AppException('VALIDATION_FAILED', `${name} may be given only once`, { field: name });
  return v;
}
