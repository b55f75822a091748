import type { DataSource, EntityManager } from 'typeorm';
import { DEMO_OPEN311_KEY } from '@gridline/shared';
import {
  DEMO_CATEGORIES,
  DEMO_DEPARTMENTS,
  buildDemoUsers,
  buildDepartmentDuties,
  type CategorySeed,
  type DepartmentSeed,
  type DutySeed,
  type UserSeed,
} from './demo-data';
import { generateGeography, type RegionSeed } from './demo-geography';
import { KEY_PREFIX_LENGTH, keyDigest } from '../open311/api-key';
import { seedDemoResidents } from './demo-residents';
import { seedDemoTopicsAndCenters } from './demo-topics';
import { seedDemoPool } from './demo-pool';
import {
  DEFAULT_HISTORY_ISSUES,
  generateHistory,
  type HistoryEvaluation,
  type HistoryEvent,
  type HistoryExtensionRequest,
  type HistoryIssue,
  type HistorySupervision,
} from './demo-history';
import { expandHolidaySchedule, type CalendarDay } from '../sla/holiday-schedule';
import { openBreachesInsertSql } from '../sla/open-breaches.sql';
import { DEMO_POLICIES, HOLIDAYS_2026, planDemoSla, type SeededClock, type SlaHistoryEvent } from './demo-sla';

export interface SeedSummary {
  skipped: boolean;
  regions: number;
  grids: number;
  departments: number;
  categories: number;
  users: number;
  issues: number;
  events: number;
  slaClocks?: number;
}

export interface SeedOptions {
  now: Date;
  /** Used for every demo user. */
  passwordHash: string;
  historyIssues?: number;
  /** The server's TIME_ZONE (AppConfig.timeZone). */
  timeZone: string;
}

const CHUNK = 1000;

/**
 * Seeds the demo district (regions, departments, categories, users and ~30 days of history)
 * into an empty database, in one transaction. Does nothing when regions already exist.
 */
export async function seedDemo(ds: DataSource, opts: SeedOptions): Promise<SeedSummary> {
  return ds.transaction(async (tx) => {
    // Two seeders racing on an empty database: the second waits here, then finds rows and skips.
    await tx.query('LOCK TABLE regions IN SHARE ROW EXCLUSIVE MODE');
    const existing = await countOf(tx, 'SELECT count(*)::int AS n FROM regions');
    if (existing > 0) return { skipped: true, ...(await currentCounts(tx)) };

    const geography = generateGeography();
    const users = buildDemoUsers(geography);
    const duties = buildDepartmentDuties(geography);
    const history = generateHistory({
      now: opts.now,
      geography,
      users,
      duties,
      issueCount: opts.historyIssues ?? DEFAULT_HISTORY_ISSUES,
      timeZone: opts.timeZone,
    });

    await insertRows(tx, 'regions', REGION_COLUMNS, geography.regions);
    await insertRows(tx, 'departments', DEPARTMENT_COLUMNS, DEMO_DEPARTMENTS);
    await insertRows(tx, 'categories', CATEGORY_COLUMNS, DEMO_CATEGORIES);
    await insertRows(tx, 'department_duties', DUTY_COLUMNS, duties);
    await insertRows(tx, 'users', userColumns(opts.passwordHash), users);
    // The Open311 key of the demo (never in production: prepareDatabase refuses to seed there).
    await tx.query(`INSERT INTO open311_keys (name, prefix, key_sha256, created_at) VALUES ($1, $2, $3, $4)`, [
      '演示客户端 Demo Open311 client',
      DEMO_OPEN311_KEY.slice(0, KEY_PREFIX_LENGTH),
      keyDigest(DEMO_OPEN311_KEY),
      opts.now,
    ]);
    // SLA: the 2026 holidays, the default policies (urgent 10 min to accept … normal 3 working days to handle), and clocks replayed from the history.
    const [calendar] = await tx.query<{ id: number; time_zone: string }[]>('SELECT id, time_zone FROM sla_calendars WHERE is_default');
    const calendarId = calendar!.id;
    const days = expandHolidaySchedule(HOLIDAYS_2026).map((d) => ({ ...d, calendarId }));
    await insertRows(tx, 'sla_calendar_days', CALENDAR_DAY_COLUMNS, days);
    await insertRows(tx, 'sla_policies', POLICY_COLUMNS, DEMO_POLICIES);
    const sla = planDemoSla(history.issues, history.events, opts.now, { id: calendarId, timeZone: calendar!.time_zone });
    const issues = history.issues.map((i) => ({ ...i, slaDueAt: sla.dueByIssue.get(i.id) ?? null }));
    // One trail per issue in time order (ids follow insertion order); SLA events sit after a transition at the same instant.
    const trail: EventRow[] = [...history.events, ...sla.events].sort((a, b) => a.issueId - b.issueId || a.at.getTime() - b.at.getTime());

    await insertRows(tx, 'issues', ISSUE_COLUMNS, issues);
    await insertRows(tx, 'issue_events', EVENT_COLUMNS, trail);
    await insertRows(tx, 'sla_clocks', CLOCK_COLUMNS, sla.clocks);
    await insertRows(tx, 'sla_timers', TIMER_COLUMNS, sla.timers);
    await insertRows(tx, 'sla_firings', FIRING_COLUMNS, sla.firings);
    await tx.query(
      openBreachesInsertSql(
        `SELECT f.clock_id, c.issue_id, i.grid_id, f.fired_at, f.level, c.stopped_at IS NULL, c.stage
           FROM sla_firings f JOIN sla_clocks c ON c.id = f.clock_id JOIN issues i ON i.id = c.issue_id`,
      ),
    );
    await insertRows(tx, 'extension_requests', EXTENSION_COLUMNS, history.extensionRequests);
    await insertRows(tx, 'supervisions', SUPERVISION_COLUMNS, history.supervisions);
    await insertRows(tx, 'evaluations', EVALUATION_COLUMNS, history.evaluations);

    // Explicit ids leave the identity sequences behind; move them past the seeded rows.
    for (const table of [
      'regions',
      'departments',
      'categories',
      'users',
      'issues',
      'extension_requests',
      'supervisions',
      'evaluations',
      'sla_clocks',
    ]) {
      await tx.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`);
    }
    // The automatic 督办 of the breaches and escalations the history went through.
    await tx.query(
      `INSERT INTO supervisions (issue_id, level, region_id, by_user_id, reason, created_at, clock_id)
       SELECT c.issue_id, CASE f.level WHEN 'breach' THEN 1 ELSE 2 END, CASE f.level WHEN 'breach' THEN i.street_id ELSE i.district_id END,
              NULL, 'SLA 超时自动督办 (' || c.stage || ')', f.fired_at, c.id
         FROM sla_firings f JOIN sla_clocks c ON c.id = f.clock_id JOIN issues i ON i.id = c.issue_id
        WHERE f.level IN ('breach', 'escalation_1')`,
    );
    if (history.issues.length > 0) await tx.query(`SELECT setval('issue_number_seq', $1)`, [history.issues.length]);
    // After the staff roster and its sequence: residents take the next user ids.
    const residents = await seedDemoResidents(tx, opts.now);
    // Service centres, neighbours of res1/res2 and their co-signed topics in every state.
    const neighbours = (await seedDemoTopicsAndCenters(tx, geography, opts.now)).residents;
    // Volunteers (resident accounts) and the service pool, after the residents who raised some of it.
    const volunteers = await seedDemoPool(tx, opts.now);

    return {
      skipped: false,
      regions: geography.regions.length,
      grids: geography.grids.length,
      departments: DEMO_DEPARTMENTS.length,
      categories: DEMO_CATEGORIES.length,
      users: users.length + residents + neighbours + volunteers,
      issues: history.issues.length,
      events: trail.length,
      slaClocks: sla.clocks.length,
    };
  });
}

async function countOf(tx: EntityManager, sql: string): Promise<number> {
  const rows: { n: number }[] = await tx.query(sql);
  return rows[0]?.n ?? 0;
}

async function currentCounts(tx: EntityManager): Promise<Omit<SeedSummary, 'skipped'>> {
  const count = (from: string) => countOf(tx, `SELECT count(*)::int AS n FROM ${from}`);
  return {
    regions: await count('regions'),
    grids: await count(`regions WHERE level = 'grid'`),
    departments: await count('departments'),
    categories: await count('categories'),
    users: await count('users'),
    issues: await count('issues'),
    events: await count('issue_events'),
  };
}

// ---------------------------------------------------------------------------------------------
// Bulk insert

interface Column<R> {
  name: string;
  /** The PostgreSQL type each parameter is cast to. */
  type: string;
  value: (row: R) => unknown;
}

const col = <R>(name: string, type: string, value: (row: R) => unknown): Column<R> => ({ name, type, value });
const json = (value: unknown): string => JSON.stringify(value);
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Multi-row INSERTs of at most CHUNK rows, every value a typed parameter. */
async function insertRows<R>(tx: EntityManager, table: string, columns: readonly Column<R>[], rows: readonly R[]): Promise<void> {
  const names = columns.map((c) => c.name).join(', ');
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const slots = columns.map((c) => {
        params.push(c.value(row));
        return `$${params.length}::${c.type}`;
      });
      return `(${slots.join(', ')})`;
    });
    await tx.query(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
}

const REGION_COLUMNS: Column<RegionSeed>[] = [
  col('id', 'int', (r) => r.id),
  col('parent_id', 'int', (r) => r.parentId),
  col('level', 'text', (r) => r.level),
  col('code', 'text', (r) => r.code),
  col('name', 'text', (r) => r.name),
  col('path', 'int[]', (r) => r.path),
  col('polygon', 'jsonb', (r) => json(r.polygon)),
];

const DEPARTMENT_COLUMNS: Column<DepartmentSeed>[] = [
  col('id', 'int', (d) => d.id),
  col('code', 'text', (d) => d.code),
  col('name', 'text', (d) => d.name),
];

const CATEGORY_COLUMNS: Column<CategorySeed>[] = [
  col('id', 'int', (c) => c.id),
  col('parent_id', 'int', (c) => c.parentId),
  col('code', 'text', (c) => c.code),
  col('name', 'text', (c) => c.name),
  col('default_department_id', 'int', (c) => c.defaultDepartmentId),
  col('photo_required_on_report', 'boolean', (c) => c.photoRequiredOnReport),
  col('photo_required_on_resolve', 'boolean', (c) => c.photoRequiredOnResolve),
  col('sort_order', 'int', (c) => c.sortOrder),
];

const DUTY_COLUMNS: Column<DutySeed>[] = [
  col('department_id', 'int', (d) => d.departmentId),
  col('category_id', 'int', (d) => d.categoryId),
  col('region_id', 'int', (d) => d.regionId),
];

const userColumns = (passwordHash: string): Column<UserSeed>[] => [
  col('id', 'int', (u) => u.id),
  col('username', 'text', (u) => u.username),
  col('display_name', 'text', (u) => u.displayName),
  col('password_hash', 'text', () => passwordHash),
  col('role', 'text', (u) => u.role),
  col('department_id', 'int', (u) => u.departmentId),
  col('region_id', 'int', (u) => u.regionId),
  col('grid_ids', 'int[]', (u) => u.gridIds),
];

const ISSUE_COLUMNS: Column<HistoryIssue & { slaDueAt: Date | null }>[] = [
  col('id', 'int', (i) => i.id),
  col('number', 'text', (i) => i.number),
  col('title', 'text', (i) => i.title),
  col('description', 'text', (i) => i.description),
  col('category_id', 'int', (i) => i.categoryId),
  col('priority', 'text', (i) => i.priority),
  col('status', 'text', (i) => i.status),
  col('source', 'text', (i) => i.source),
  col('grid_id', 'int', (i) => i.gridId),
  col('community_id', 'int', (i) => i.communityId),
  col('street_id', 'int', (i) => i.streetId),
  col('district_id', 'int', (i) => i.districtId),
  col('lat', 'float8', (i) => i.lat),
  col('lng', 'float8', (i) => i.lng),
  col('address', 'text', (i) => i.address),
  col('reporter_id', 'int', (i) => i.reporterId),
  col('department_id', 'int', (i) => i.departmentId),
  col('assignee_id', 'int', (i) => i.assigneeId),
  col('merged_into_id', 'int', (i) => i.mergedIntoId),
  col('version', 'int', (i) => i.version),
  col('reported_at', 'timestamptz', (i) => iso(i.reportedAt)),
  col('accepted_at', 'timestamptz', (i) => iso(i.acceptedAt)),
  col('dispatched_at', 'timestamptz', (i) => iso(i.dispatchedAt)),
  col('resolved_at', 'timestamptz', (i) => iso(i.resolvedAt)),
  col('closed_at', 'timestamptz', (i) => iso(i.closedAt)),
  col('updated_at', 'timestamptz', (i) => iso(i.updatedAt)),
  col('sla_due_at', 'timestamptz', (i) => iso(i.slaDueAt)),
];

// No id: issue_events.id is GENERATED ALWAYS, and rows go in per issue in chronological order.
type EventRow = HistoryEvent | SlaHistoryEvent;
const EVENT_COLUMNS: Column<EventRow>[] = [
  col('issue_id', 'int', (e) => e.issueId),
  col('type', 'text', (e) => e.type),
  col('from_status', 'text', (e) => e.fromStatus),
  col('to_status', 'text', (e) => e.toStatus),
  col('actor_id', 'int', (e) => e.actorId),
  col('note', 'text', (e) => e.note),
  col('data', 'jsonb', (e) => json(e.data)),
  col('at', 'timestamptz', (e) => iso(e.at)),
];

const EXTENSION_COLUMNS: Column<HistoryExtensionRequest>[] = [
  col('id', 'int', (x) => x.id),
  col('issue_id', 'int', (x) => x.issueId),
  col('minutes', 'int', (x) => x.minutes),
  col('reason', 'text', (x) => x.reason),
  col('status', 'text', (x) => x.status),
  col('requested_by', 'int', (x) => x.requestedBy),
  col('decided_by', 'int', (x) => x.decidedBy),
  col('decision_note', 'text', (x) => x.decisionNote),
  col('created_at', 'timestamptz', (x) => iso(x.createdAt)),
  col('decided_at', 'timestamptz', (x) => iso(x.decidedAt)),
];

const SUPERVISION_COLUMNS: Column<HistorySupervision>[] = [
  col('id', 'int', (s) => s.id),
  col('issue_id', 'int', (s) => s.issueId),
  col('level', 'int', (s) => s.level),
  col('region_id', 'int', (s) => s.regionId),
  col('by_user_id', 'int', (s) => s.byUserId),
  col('reason', 'text', (s) => s.reason),
  col('created_at', 'timestamptz', (s) => iso(s.createdAt)),
];

const EVALUATION_COLUMNS: Column<HistoryEvaluation>[] = [
  col('id', 'int', (e) => e.id),
  col('issue_id', 'int', (e) => e.issueId),
  col('by_user_id', 'int', (e) => e.byUserId),
  col('score', 'int', (e) => e.score),
  col('comment', 'text', (e) => e.comment),
  col('created_at', 'timestamptz', (e) => iso(e.createdAt)),
];

const CALENDAR_DAY_COLUMNS: Column<CalendarDay & { calendarId: number }>[] = [
  col('calendar_id', 'int', (d) => d.calendarId),
  col('day', 'date', (d) => d.day),
  col('kind', 'text', (d) => d.kind),
  col('name', 'text', (d) => d.name),
];

const POLICY_COLUMNS: Column<(typeof DEMO_POLICIES)[number]>[] = [
  col('priority', 'text', (x) => x.priority),
  col('stage', 'text', (x) => x.stage),
  col('unit', 'text', (x) => x.unit),
  col('target', 'int', (x) => x.target),
];

const at = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const CLOCK_COLUMNS: Column<SeededClock>[] = [
  col('id', 'bigint', (c) => c.id),
  col('issue_id', 'int', (c) => c.issueId),
  col('stage', 'text', (c) => c.stage),
  col('policy_id', 'int', () => null),
  col('calendar_id', 'int', (c) => c.calendarId),
  col('unit', 'text', (c) => c.unit),
  col('target', 'int', (c) => c.target),
  col('target_ms', 'bigint', (c) => c.targetMs),
  col('warn_fraction', 'real', (c) => c.warnFraction),
  col('started_at', 'timestamptz', (c) => at(c.startedAt)),
  col('running_since', 'timestamptz', (c) => at(c.runningSince)),
  col('used_ms', 'bigint', (c) => Math.round(c.usedMs)),
  col('extended_ms', 'bigint', (c) => Math.round(c.extendedMs)),
  col('paused_ms', 'bigint', (c) => Math.round(c.pausedMs)),
  col('paused_since', 'timestamptz', (c) => at(c.pausedSince)),
  col('warn_at', 'timestamptz', (c) => at(c.warnAt)),
  col('due_at', 'timestamptz', (c) => at(c.dueAt)),
  col('escalate_at', 'timestamptz', (c) => at(c.escalateAt)),
  col('stopped_at', 'timestamptz', (c) => at(c.stoppedAt)),
];

const TIMER_COLUMNS: Column<{ clockId: number; level: string; fireAt: Date }>[] = [
  col('clock_id', 'bigint', (x) => x.clockId),
  col('level', 'text', (x) => x.level),
  col('fire_at', 'timestamptz', (x) => iso(x.fireAt)),
];

const FIRING_COLUMNS: Column<{ clockId: number; level: string; firedAt: Date }>[] = [
  col('clock_id', 'bigint', (x) => x.clockId),
  col('level', 'text', (x) => x.level),
  col('fired_at', 'timestamptz', (x) => iso(x.firedAt)),
];
