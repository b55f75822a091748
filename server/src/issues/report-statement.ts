import type { IssueSource, Priority } from '@gridline/shared';
import type { StoredPhoto } from '../attachments/attachment-storage.service';
import { namedStatement } from '../database/named-params';
import type { GridPlace } from '../regions/regions.service';
import { CLOCK_RECORD } from '../sla/clock-rows';
import { ISSUE_SELECT } from './issue-queries.service';
import type { Issue } from './issue.entity';

/** Everything one report writes, by name: the issue, its first audit event, its photos, its SLA clocks and its domain event. */
export interface ReportInsert extends GridPlace {
  title: string;
  description: string;
  categoryId: number;
  priority: Priority;
  source: IssueSource;
  lat: number | null;
  lng: number | null;
  address: string | null;
  /** The reporting user; null for an Open311 request, which has its client's key instead. */
  reporterId: number | null;
  open311KeyId: number | null;
  /** The resident to call back (residents.service.ts) when already known: the reporting resident's own contact. */
  residentId: number | null;
  /** A hotline caller, normalised, kept once in `residents` by phone in this same statement; null for none. */
  residentPhone: string | null;
  residentName: string | null;
  idempotencyKey: string | null;
  /** Digest of the request, kept with the Idempotency-Key to tell a replay from a reuse. */
  requestHash: string | null;
  deviceTime: string | null;
  /** The report instant: reported_at, updated_at, the event's and the photos' time. */
  at: Date;
  /** TIME_ZONE: the day in the issue number GL-YYYYMMDD-…. */
  timeZone: string;
  /** The report event's `data`, as JSON text. */
  eventData: string;
  photoMimeTypes: string[];
  photoSizes: number[];
  photoSha256s: string[];
  photoStorageKeys: string[];
  photoThumbKeys: string[];
  photoWidths: number[];
  photoHeights: number[];
  slaDueAt: Date | null;
  /** The SLA clocks as jsonb_to_recordset input (SlaClocksService.planReport). */
  clocks: string;
  /** The issue.reported event's data but for issueId and number (reportedDataBeforeInsert), as JSON text. */
  reportedEvent: string;
}

/** What the statement returns: the issue row, and the ids of the rows written with it. */
export type ReportReturned = Issue & {
  eventId: string;
  attachmentIds: number[] | null;
  clockIds: Record<string, number>;
  /** The contact's name as stored (a name given before is kept when this report gives none). */
  residentName: string | null;
};

export const photoColumns = (photos: readonly StoredPhoto[]) => ({
  photoMimeTypes: photos.map((p) => p.mimeType),
  photoSizes: photos.map((p) => p.sizeBytes),
  photoSha256s: photos.map((p) => p.sha256),
  photoStorageKeys: photos.map((p) => p.storageKey),
  photoThumbKeys: photos.map((p) => p.thumbKey),
  photoWidths: photos.map((p) => p.width),
  photoHeights: photos.map((p) => p.height),
});

type Param = (name: keyof ReportInsert) => string;

/**
 * The resident contact, when the report has one: found by phone or created (the phone is stored
 * once), a name given now filling in or correcting the stored one — the rule of
 * ResidentsService.upsertContact, here so the contact commits with the issue or not at all.
 */
const residentRow = (p: Param) => `
  resident AS (
    INSERT INTO residents (phone, name, created_at, updated_at)
    SELECT ${p('residentPhone')}::text, ${p('residentName')}::text, ${p('at')}, ${p('at')} WHERE ${p('residentPhone')}::text IS NOT NULL
    ON CONFLICT (phone) DO UPDATE SET name = COALESCE(EXCLUDED.name, residents.name),
                                      updated_at = CASE WHEN EXCLUDED.name IS NULL THEN residents.updated_at ELSE EXCLUDED.updated_at END
    RETURNING id, name
  )`;

/**
 * The issue. ON CONFLICT on (caller, Idempotency-Key), the caller being a user or an Open311 key,
 * leaves it empty for a replay, and with it every row below, since they all select from it.
 */
const issueRow = (p: Param) => `
  issue AS (
    INSERT INTO issues (number, title, description, category_id, priority, status, source,
                        grid_id, community_id, street_id, district_id, lat, lng, address,
                        reporter_id, open311_key_id, resident_id, idempotency_key, request_hash, device_time, reported_at, updated_at, sla_due_at)
    VALUES ('GL-' || to_char(${p('at')}::timestamptz AT TIME ZONE ${p('timeZone')}, 'YYYYMMDD') || '-' || lpad(nextval('issue_number_seq')::text, 6, '0'),
            ${p('title')}, ${p('description')}, ${p('categoryId')}, ${p('priority')}, 'reported', ${p('source')},
            ${p('gridId')}, ${p('communityId')}, ${p('streetId')}, ${p('districtId')}, ${p('lat')}, ${p('lng')}, ${p('address')},
            ${p('reporterId')}, ${p('open311KeyId')}, COALESCE((SELECT id FROM resident), ${p('residentId')}::int), ${p('idempotencyKey')}, ${p('requestHash')}, ${p('deviceTime')}, ${p('at')}, ${p('at')}, ${p('slaDueAt')})
    ON CONFLICT (reporter_id, open311_key_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING *
  )`;

/**
 * The rows written with every report, in the same statement (one atomic round trip: intake
 * throughput depends on it). Each is a CTE selecting from `issue` (or from a CTE above it), so a
 * replay writes none of them. A row to add to every report is one more entry here.
 */
const ROWS_WITH_THE_ISSUE: ((p: Param) => string)[] = [
  // The first audit event.
  (p) => `
  event AS (
    INSERT INTO issue_events (issue_id, type, from_status, to_status, actor_id, data, at)
    SELECT id, 'report', NULL, 'reported', ${p('reporterId')}, ${p('eventData')}, ${p('at')} FROM issue
    RETURNING id, issue_id
  )`,
  // The photos, in upload order, attached to the event.
  (p) => `
  photos AS (
    INSERT INTO attachments (issue_id, event_id, kind, mime_type, size_bytes, sha256, storage_key, thumb_key, width, height,
                             uploaded_by, created_at)
    SELECT e.issue_id, e.id, 'before', m, s, h, k, tk, w, ht, ${p('reporterId')}, ${p('at')}
      FROM event e, unnest(${p('photoMimeTypes')}::text[], ${p('photoSizes')}::int[], ${p('photoSha256s')}::text[], ${p('photoStorageKeys')}::text[],
                           ${p('photoThumbKeys')}::text[], ${p('photoWidths')}::int[], ${p('photoHeights')}::int[])
           WITH ORDINALITY AS t(m, s, h, k, tk, w, ht, n)
     ORDER BY n
    RETURNING id
  )`,
  // The SLA clocks the report starts (accept, overall), planned in memory…
  (p) => `
  clocks AS (
    INSERT INTO sla_clocks (issue_id, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
                            warn_at, due_at, escalate_at)
    SELECT issue.id, r.stage, r.policy_id, r.calendar_id, r.unit, r.target, r.target_ms, r.warn_fraction, r.started_at, r.running_since,
           r.warn_at, r.due_at, r.escalate_at
      FROM issue, jsonb_to_recordset(${p('clocks')}::jsonb) AS r(${CLOCK_RECORD})
    RETURNING id, stage, warn_at
  )`,
  // …and their first timers.
  () => `
  timers AS (
    INSERT INTO sla_timers (clock_id, level, fire_at) SELECT id, 'warning', warn_at FROM clocks
  )`,
  // The domain event, for the relay (event 1 of the issue; its counter row appears with event 2: issue-event-counter.ts).
  (p) => `
  outbox AS (
    INSERT INTO event_outbox (type, occurred_at, data)
    -- the event as text (the outbox keeps json): the id and number, then the fields of reportedEvent (a JSON object, never empty)
    SELECT 'issue.reported', ${p('at')},
           ('{"issueId":' || id || ',"number":' || to_json(number)::text || ',' || substr(${p('reportedEvent')}::text, 2))::json FROM issue
  )`,
];

const RETURNING = `
  SELECT ${ISSUE_SELECT}, (SELECT id FROM event) AS "eventId", (SELECT array_agg(id ORDER BY id) FROM photos) AS "attachmentIds",
         (SELECT jsonb_object_agg(stage, id) FROM clocks) AS "clockIds", (SELECT name FROM resident) AS "residentName"
    FROM issue i`;

/** The report as one statement; a prepared statement, planned once per connection. */
export const REPORT_STATEMENT = namedStatement<ReportInsert>(
  (p) => `WITH ${[residentRow, issueRow, ...ROWS_WITH_THE_ISSUE].map((row) => row(p)).join(',')}${RETURNING}`,
);
export const REPORT_STATEMENT_NAME = 'report-issue';
