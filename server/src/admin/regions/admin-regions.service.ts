import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CHILD_LEVEL, type AdminRegionDetail, type AdminRegionView, type GeoJsonGeometry, type RegionLevel } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { AdminChanges, type AdminTx } from '../core/admin-changes.service';
import { changedFields } from '../core/admin-controller';
import { parseGeometry } from './geojson';
import type { CreateRegionDto, UpdateRegionDto } from './region.dto';

interface RegionRow {
  id: number;
  parent_id: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  active: boolean;
  path: number[];
  polygon: GeoJsonGeometry | null;
}

/** The audited snapshot of a region, polygon included, so the trail alone can tell what a grid looked like. */
function snapshot(r: RegionRow) {
  return { parentId: r.parent_id, level: r.level, code: r.code, name: r.name, active: r.active, polygon: r.polygon };
}

export function toRegionView(r: RegionRow): AdminRegionView {
  return {
    id: r.id,
    parentId: r.parent_id,
    level: r.level,
    code: r.code,
    name: r.name,
    active: r.active,
    path: r.path,
    hasPolygon: r.polygon !== null,
  };
}

const COLUMNS = 'id, parent_id, level, code, name, active, path, polygon';

/** The level a region of `level` may hang under (null: it may be a root). */
export function checkParentLevel(level: RegionLevel, parent: { level: RegionLevel } | null): void {
  if (parent === null) {
    if (level === 'city' || level === 'district') return;
    throw new AppException('HIERARCHY_INVALID', `A ${level} needs a parent region`, { field: 'parentId' });
  }
  if (CHILD_LEVEL[parent.level] !== level) {
    const expected = CHILD_LEVEL[parent.level];
    const message = expected ? `Under a ${parent.level} only a ${expected} may be created, not a ${level}` : 'A grid has no children';
    throw new AppException('HIERARCHY_INVALID', message, { field: 'level' });
  }
}

function geometryOrThrow(raw: unknown): GeoJsonGeometry | null {
  if (raw === null || raw === undefined) return null;
  const geometry = parseGeometry(raw);
  if (typeof geometry === 'string') {
    throw new AppException('GEOJSON_INVALID', `polygon: ${geometry}`, {
      field: 'polygon',
      problems: [{ feature: null, code: null, problem: 'GEOMETRY_INVALID', message: geometry }],
    });
  }
  return geometry;
}

/** Regions: the tree, create, rename/recode/redraw, (de)activate, delete when unused. */
@Injectable()
export class AdminRegionsService {
  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
  ) {}

  async list(): Promise<AdminRegionView[]> {
    const rows: RegionRow[] = await this.db.query(`SELECT ${COLUMNS} FROM regions ORDER BY path`);
    return rows.map(toRegionView);
  }

  async detail(id: number): Promise<AdminRegionDetail> {
    const rows: RegionRow[] = await this.db.query(`SELECT ${COLUMNS} FROM regions WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) throw new AppException('NOT_FOUND', `Region ${id} does not exist`);
    return { ...toRegionView(row), polygon: row.polygon, usage: await this.usage(this.db, row) };
  }

  async create(actor: Actor, input: CreateRegionDto): Promise<AdminRegionView> {
    const polygon = geometryOrThrow(input.polygon);
    return this.changes.apply(actor, ['regions'], async (tx) => {
      const parent = input.parentId ? await this.lock(tx, input.parentId, 'parentId') : null;
      checkParentLevel(input.level, parent);
      await this.checkCodeFree(tx, input.code, null);
      const [{ id }] = (await tx.query(`SELECT nextval(pg_get_serial_sequence('regions', 'id'))::int AS id`)) as [{ id: number }];
      const rows = await tx.query<RegionRow>(
        `INSERT INTO regions (id, parent_id, level, code, name, path, polygon)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [id, parent?.id ?? null, input.level, input.code, input.name, [...(parent?.path ?? []), id], polygon],
      );
      const created = rows[0]!;
      await tx.audit({ entityType: 'region', entityId: id, action: 'create', before: null, after: snapshot(created) });
      return toRegionView(created);
    });
  }

  async update(actor: Actor, id: number, input: UpdateRegionDto): Promise<AdminRegionView> {
    const polygon = input.polygon === undefined ? undefined : geometryOrThrow(input.polygon);
    return this.changes.apply(actor, ['regions'], async (tx) => {
      const before = await this.lock(tx, id, 'id');
      if (input.code !== undefined && input.code !== before.code) await this.checkCodeFree(tx, input.code, id);
      const next: RegionRow = {
        ...before,
        code: input.code ?? before.code,
        name: input.name ?? before.name,
        active: input.active ?? before.active,
        polygon: polygon === undefined ? before.polygon : polygon,
      };
      if (changedFields(snapshot(before), snapshot(next)).length === 0) return toRegionView(before);
      await tx.query(`UPDATE regions SET code = $2, name = $3, active = $4, polygon = $5 WHERE id = $1`, [
        id,
        next.code,
        next.name,
        next.active,
        next.polygon === null ? null : JSON.stringify(next.polygon),
      ]);
      const action = before.active !== next.active ? (next.active ? 'activate' : 'deactivate') : 'update';
      await tx.audit({ entityType: 'region', entityId: id, action, before: snapshot(before), after: snapshot(next) });
      return toRegionView(next);
    });
  }

  /** Only a region nothing points at: no children, no issues, no users, no duties. Otherwise deactivate it. */
  async remove(actor: Actor, id: number): Promise<void> {
    await this.changes.apply(actor, ['regions'], async (tx) => {
      const before = await this.lock(tx, id, 'id');
      const usage = await this.usage(tx.manager, before);
      const used = Object.entries(usage).filter(([, n]) => n > 0);
      if (used.length > 0) {
        const what = used.map(([k, n]) => `${n} ${k}`).join(', ');
        throw new AppException('REGION_IN_USE', `Region ${before.code} is still in use (${what}); deactivate it instead`, { usage });
      }
      await tx.query('DELETE FROM regions WHERE id = $1', [id]);
      await tx.audit({ entityType: 'region', entityId: id, action: 'delete', before: snapshot(before), after: null });
    });
  }

  /** The region, locked for the rest of the change. */
  async lock(tx: AdminTx, id: number, field: string): Promise<RegionRow> {
    const rows = await tx.query<RegionRow>(`SELECT ${COLUMNS} FROM regions WHERE id = $1 FOR UPDATE`, [id]);
    const row = rows[0];
    if (row) return row;
    if (field === 'id') throw new AppException('NOT_FOUND', `Region ${id} does not exist`);
    throw new AppException('UNKNOWN_REFERENCE', `Region ${id} does not exist`, { field });
  }

  private async checkCodeFree(tx: AdminTx, code: string, exceptId: number | null): Promise<void> {
    const rows = await tx.query('SELECT 1 FROM regions WHERE code = $1 AND id IS DISTINCT FROM $2', [code, exceptId]);
    if (rows.length) throw new AppException('CODE_TAKEN', `Another region already has the code ${code}`, { field: 'code' });
  }

  private async usage(q: { query: DataSource['query'] }, r: RegionRow): Promise<AdminRegionDetail['usage']> {
    const issueColumn = { grid: 'grid_id', community: 'community_id', street: 'street_id', district: 'district_id' } as const;
    const issuesSql =
      r.level === 'city'
        ? `SELECT count(*)::int FROM issues i JOIN regions d ON d.id = i.district_id WHERE $1 = ANY(d.path)`
        : `SELECT count(*)::int FROM (SELECT 1 FROM issues WHERE ${issueColumn[r.level]} = $1 LIMIT 100000) x`;
    const rows: AdminRegionDetail['usage'][] = await q.query(
      `SELECT (SELECT count(*)::int FROM regions WHERE parent_id = $1) AS children,
              (${issuesSql}) AS issues,
              (SELECT count(*)::int FROM users WHERE region_id = $1 OR $1 = ANY(grid_ids)) AS users,
              (SELECT count(*)::int FROM department_duties WHERE region_id = $1) AS duties`,
      [r.id],
    );
    return rows[0]!;
  }
}
