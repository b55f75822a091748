import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PRIORITIES, type Priority } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ReportIssueDto } from '../issues/dto/report-issue.dto';
import { IssueReportService } from '../issues/issue-report.service';
import { RegionsService } from '../regions/regions.service';
import type { Open311Value } from './open311-format';
import type { Open311Client } from './open311-keys.service';
import { SERVICE_ATTRIBUTES, Open311Services, type ServiceAttributeCode } from './open311-services';
import { formatW3c } from './w3c-datetime';

/** A POST body after content-type parsing: form fields (strings, or lists when repeated) or a JSON object. */
export type Open311Body = Record<string, unknown>;

/**
 * Fields of a GeoReport v2 POST that describe the person. Accepted (clients send them) and
 * dropped: Gridline keeps no contact for an Open311 request, so none can leak (ADR 0028).
 */
const PERSONAL_FIELDS = ['email', 'first_name', 'last_name', 'phone', 'device_id', 'account_id'];
const KNOWN_FIELDS = new Set([
  'api_key',
  'jurisdiction_id',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'description',
  'media_url',
  'attribute',
  ...PERSONAL_FIELDS,
]);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** POST requests: checks the GeoReport v2 fields, places the request in a grid and reports it through the one intake. */
@Injectable()
export class Open311Create {
  constructor(
    private readonly reports: IssueReportService,
    private readonly services: Open311Services,
    private readonly regions: RegionsService,
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    client: Open311Client,
    body: Open311Body,
    idempotencyKey: string | undefined,
  ): Promise<{ created: boolean; response: Record<string, Open311Value> }> {
    const unknown = Object.keys(body).filter((k) => !KNOWN_FIELDS.has(k) && !/^attribute\[[^\]]*\](\[\])?$/.test(k));
    if (unknown.length > 0) throw invalid(unknown[0]!, `Unknown field ${unknown[0]!.slice(0, 64)}`);
    const serviceCode = text(body, 'service_code', 64);
    if (serviceCode === undefined) throw invalid('service_code', 'service_code is required');
    let category;
    try {
      category = this.services.require(serviceCode);
    } catch {
      throw invalid('service_code', `Unknown service_code "${serviceCode}"`);
    }
    const attributes = readAttributes(body);
    const input = new ReportIssueDto();
    input.categoryId = category.id;
    input.description = text(body, 'description', 5000) ?? category.name;
    const address = text(body, 'address_string', 300);
    if (address !== undefined) input.address = address;
    if (attributes.priority !== undefined) input.priority = attributes.priority;
    if (attributes.title !== undefined) input.title = attributes.title;
    Object.assign(input, this.locate(body));
    const mediaUrl = readMediaUrl(body);

    const result = await this.reports.reportFromOpen311(client, input, mediaUrl === undefined ? {} : { mediaUrl }, idempotencyKey);
    const rows: { number: string; due: Date | null }[] = await this.db.query(
      `SELECT i.number, (SELECT k.due_at FROM sla_clocks k WHERE k.issue_id = i.id AND k.stage = 'overall' ORDER BY k.id DESC LIMIT 1) AS due
         FROM issues i WHERE i.id = $1`,
      [result.issueId],
    );
    const row = rows[0]!;
    const due = row.due ? formatW3c(row.due, this.config.timeZone) : null;
    return {
      created: result.created,
      response: {
        service_request_id: row.number,
        service_notice: due ? `已受理，预计 ${due} 前办结 Accepted; expected by ${due}` : '已受理 Accepted',
        account_id: null,
      },
    };
  }

  /** The grid: from lat/long (the point must lie in a grid), or address_id (a grid code). */
  private locate(body: Open311Body): Pick<ReportIssueDto, 'gridId' | 'lat' | 'lng'> {
    const rawLat = text(body, 'lat', 40);
    const rawLong = text(body, 'long', 40);
    const addressId = text(body, 'address_id', 64);
    if (rawLat !== undefined || rawLong !== undefined) {
      if (rawLat === undefined || rawLong === undefined) throw invalid('lat', 'lat and long go together');
      const lat = coordinate('lat', rawLat, 90);
      const lng = coordinate('long', rawLong, 180);
      const grid = this.regions.gridAt(lat, lng);
      if (!grid) {
        const nearest = this.regions.nearestGrid(lat, lng);
        const hint = nearest ? `; the nearest grid is ${nearest.name} (address_id ${nearest.code}), ${nearest.distanceM} m away` : '';
        throw new AppException('LOCATION_NOT_IN_ANY_GRID', `The location ${lat},${lng} lies outside every grid${hint}`, {
          nearestGrid: nearest ?? null,
        });
      }
      return { gridId: grid.id, lat, lng };
    }
    if (addressId !== undefined) {
      const grid = this.regions.all().find((r) => r.level === 'grid' && r.code === addressId);
      const place = grid ? this.regions.placeOfGrid(grid.id) : undefined;
      if (!grid || !place) throw invalid('address_id', `Unknown address_id "${addressId}": it must be the code of a grid`);
      return { gridId: grid.id };
    }
    throw invalid(
      'lat',
      text(body, 'address_string', 300) === undefined
        ? 'A location is required: lat and long, or address_id'
        : 'address_string alone cannot be placed (there is no geocoder): send lat and long, or address_id (a grid code), with it',
    );
  }
}

const invalid = (field: string, message: string) => new AppException('VALIDATION_FAILED', message, { field });

/** A single text field: trimmed, 1..max characters, or undefined when absent or empty. */
function text(body: Open311Body, name: string, max: number): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof s !== 'string') throw invalid(name, `${name} must be given once, as text`);
  const t = s.trim();
  if (t.length > max) throw invalid(name, `${name} must be at most ${max} characters`);
  return t === '' ? undefined : t;
}

function coordinate(name: 'lat' | 'long', raw: string, limit: number): number {
  const n = Number(raw);
  if (!NUMBER.test(raw) || !Number.isFinite(n) || Math.abs(n) > limit) {
    throw invalid(name, `${name} must be a number between -${limit} and ${limit}`);
  }
  return n;
}

function readMediaUrl(body: Open311Body): string | undefined {
  const raw = text(body, 'media_url', 2000);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('media_url', 'media_url must be an http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('media_url', 'media_url must be an http or https URL');
  return url.toString();
}

/** `attribute[code]=value` (form) or `"attribute": { "code": "value" }` (JSON), checked against the service definition. */
function readAttributes(body: Open311Body): { priority?: Priority; title?: string } {
  const given: Record<string, unknown> = {};
  const nested = body.attribute;
  if (nested !== undefined) {
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) throw invalid('attribute', 'attribute must be an object');
    Object.assign(given, nested);
  }
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(k);
    if (m) given[m[1]!] = v;
  }
  const out: { priority?: Priority; title?: string } = {};
  for (const [code, value] of Object.entries(given)) {
    if (!(code in SERVICE_ATTRIBUTES)) throw invalid(`attribute[${code.slice(0, 32)}]`, `Unknown attribute ${code.slice(0, 32)}`);
    const attr = code as ServiceAttributeCode;
    if (typeof value !== 'string') throw invalid(`attribute[${attr}]`, `attribute[${attr}] must be given once, as text`);
    if (attr === 'priority') {
      if (!(PRIORITIES as readonly string[]).includes(value))
        throw invalid('attribute[priority]', `attribute[priority] must be one of ${PRIORITIES.join(', ')}`);
      out.priority = value as Priority;
    } else {
      const t = value.trim();
      if (t.length < 1 || t.length > 200) throw invalid('attribute[title]', 'attribute[title] must be 1–200 characters');
      out.title = t;
    }
  }
  return out;
}
