import { Injectable } from '@nestjs/common';
import type { GeoJsonGeometry, GeoJsonImportProblem, ImportGridsResult } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { AdminChanges, type AdminTx } from '../core/admin-changes.service';
import { geometryWithin, parseGridCollection, type GridFeature } from './geojson';

interface ExistingRegion {
  id: number;
  parent_id: number | null;
  level: string;
  code: string;
  name: string;
  active: boolean;
  path: number[];
  polygon: GeoJsonGeometry | null;
}

interface Plan {
  result: ImportGridsResult;
  creates: { feature: GridFeature; parent: ExistingRegion }[];
  updates: { feature: GridFeature; before: ExistingRegion }[];
}

const snapshot = (r: Pick<ExistingRegion, 'parent_id' | 'code' | 'name' | 'active' | 'polygon'>) => ({
  parentId: r.parent_id,
  level: 'grid',
  code: r.code,
  name: r.name,
  active: r.active,
  polygon: r.polygon,
});

/**
 * Grids from a GeoJSON FeatureCollection, all or nothing: every feature is checked (shape,
 * geometry, unique code, known community, inside it) before anything is written, and the
 * writes happen in one transaction with one audit row per grid created or changed. A dry run
 * takes the same path up to the writes, under the same locks, and rolls back.
 */
@Injectable()
export class GridImportService {
  constructor(private readonly changes: AdminChanges) {}

  async import(actor: Actor, geojson: unknown, dryRun: boolean): Promise<ImportGridsResult> {
    const { features, problems } = parseGridCollection(geojson);
    if (problems.length) throw invalid(problems);
    const DRY_RUN = Symbol('dry run');
    let planned: ImportGridsResult | null = null;
    try {
      return await this.changes.apply(actor, ['regions'], async (tx) => {
        // One import at a time: two imports of the same codes would otherwise both "create" them.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('gridline.grid-import'))`);
        const plan = await this.plan(tx, features);
        if (dryRun) {
          planned = { ...plan.result, dryRun: true };
          throw DRY_RUN; // roll back: a dry run writes nothing, not even an audit row
        }
        await this.write(tx, plan);
        return plan.result;
      });
    } catch (err) {
      if (err === DRY_RUN && planned) return planned;
      throw err;
    }
  }

  private async plan(tx: AdminTx, features: GridFeature[]): Promise<Plan> {
    const codes = [...new Set(features.flatMap((f) => [f.code, f.parentCode]))];
    const rows = await tx.query<ExistingRegion>(
      `SELECT id, parent_id, level, code, name, active, path, polygon FROM regions WHERE code = ANY($1) FOR UPDATE`,
      [codes],
    );
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const problems: GeoJsonImportProblem[] = [];
    const plan: Plan = { result: { dryRun: false, created: [], updated: [], unchanged: [] }, creates: [], updates: [] };
    for (const f of features) {
      const parent = byCode.get(f.parentCode);
      if (!parent || parent.level !== 'community') {
        const why = parent ? `is a ${parent.level}, not a community` : 'does not exist';
        problems.push({ feature: f.index, code: f.code, problem: 'PARENT_UNKNOWN', message: `parentCode ${f.parentCode} ${why}` });
        continue;
      }
      if (parent.polygon && !geometryWithin(f.geometry, parent.polygon)) {
        const message = `grid ${f.code} is not inside its community ${parent.code}`;
        problems.push({ feature: f.index, code: f.code, problem: 'OUTSIDE_PARENT', message });
        continue;
      }
      const existing = byCode.get(f.code);
      if (existing && (existing.level !== 'grid' || existing.parent_id !== parent.id)) {
        const where =
          existing.level !== 'grid' ? `a ${existing.level}` : `a grid of ${byId.get(existing.parent_id ?? 0)?.code ?? 'another community'}`;
        const message = `code ${f.code} already belongs to ${where}; grids are not moved by import`;
        problems.push({ feature: f.index, code: f.code, problem: 'CODE_CONFLICT', message });
        continue;
      }
      const summary = { code: f.code, name: f.name, parentCode: parent.code };
      if (!existing) {
        plan.creates.push({ feature: f, parent });
        plan.result.created.push(summary);
        continue;
      }
      const changed: ('name' | 'polygon')[] = [];
      if (existing.name !== f.name) changed.push('name');
      if (JSON.stringify(existing.polygon) !== JSON.stringify(f.geometry)) changed.push('polygon');
      if (changed.length === 0) plan.result.unchanged.push(f.code);
      else {
        plan.updates.push({ feature: f, before: existing });
        plan.result.updated.push({ ...summary, changed });
      }
    }
    if (problems.length) throw invalid(problems);
    return plan;
  }

  private async write(tx: AdminTx, plan: Plan): Promise<void> {
    for (const { feature: f, parent } of plan.creates) {
      const [{ id }] = (await tx.query(`SELECT nextval(pg_get_serial_sequence('regions', 'id'))::int AS id`)) as [{ id: number }];
      await tx.query(`INSERT INTO regions (id, parent_id, level, code, name, path, polygon) VALUES ($1, $2, 'grid', $3, $4, $5, $6)`, [
        id,
        parent.id,
        f.code,
        f.name,
        [...parent.path, id],
        JSON.stringify(f.geometry),
      ]);
      const after = snapshot({ parent_id: parent.id, code: f.code, name: f.name, active: true, polygon: f.geometry });
      await tx.audit({ entityType: 'region', entityId: id, action: 'import', before: null, after });
    }
    for (const { feature: f, before } of plan.updates) {
      await tx.query(`UPDATE regions SET name = $2, polygon = $3 WHERE id = $1`, [before.id, f.name, JSON.stringify(f.geometry)]);
      const after = snapshot({ ...before, name: f.name, polygon: f.geometry });
      await tx.audit({ entityType: 'region', entityId: before.id, action: 'import', before: snapshot(before), after });
    }
  }
}

function invalid(problems: GeoJsonImportProblem[]): AppException {
  const shown = problems.slice(0, 100);
  const first = shown[0]!;
  const where = first.feature === null ? '' : `feature ${first.feature}${first.code ? ` (${first.code})` : ''}: `;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
  return new AppException('GEOJSON_INVALID', `${where}${first.message}${more}`, {
    field: 'geojson',
    problems: shown,
    total: problems.length,
  });
}
