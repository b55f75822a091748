import { Injectable } from '@nestjs/common';
import { DEFAULT_SERVICE_RADIUS_M, type ServiceCenterImportResult, type ServiceCenterView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { RegionsService } from '../regions/regions.service';
import { AdminChanges, type AdminTx } from '../admin/core/admin-changes.service';
import { changedFields } from '../admin/core/admin-controller';
import { parseCenterFeatures, type ImportedCenter } from './center-import';
import type { CreateServiceCenterDto, UpdateServiceCenterDto } from './dto';
import { CENTER_COLUMNS, centerView, type ServiceCenterRow } from './service-centers.service';

type Fields = Omit<ServiceCenterView, 'id'>;
const fields = (v: ServiceCenterView): Fields => {
  const { id: _id, ...rest } = v;
  return rest;
};

/** Admin writes of service centres: create, update, delete, GeoJSON point import — each through AdminChanges (transaction + audit). */
@Injectable()
export class AdminServiceCentersService {
  constructor(
    private readonly changes: AdminChanges,
    private readonly regions: RegionsService,
  ) {}

  create(actor: Actor, input: CreateServiceCenterDto): Promise<ServiceCenterView> {
    this.regions.require(input.regionId);
    return this.changes.apply(actor, [], async (tx) => {
      await this.checkCodeFree(tx, input.code, null);
      const view = await this.insert(tx, {
        code: input.code,
        name: input.name,
        level: input.level,
        regionId: input.regionId,
        lat: input.lat,
        lng: input.lng,
        openingHours: input.openingHours ?? '',
        services: input.services ?? [],
        radiusM: input.radiusM ?? DEFAULT_SERVICE_RADIUS_M,
        active: input.active ?? true,
      });
      await tx.audit({ entityType: 'service_center', entityId: view.id, action: 'create', before: null, after: fields(view) });
      return view;
    });
  }

  update(actor: Actor, id: number, input: UpdateServiceCenterDto): Promise<ServiceCenterView> {
    if (input.regionId !== undefined) this.regions.require(input.regionId);
    return this.changes.apply(actor, [], async (tx) => {
      const before = await this.lock(tx, id);
      if (input.code !== undefined && input.code !== before.code) await this.checkCodeFree(tx, input.code, id);
      const next: ServiceCenterView = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
      if (changedFields(fields(before), fields(next)).length === 0) return before;
      await this.write(tx, id, fields(next));
      await tx.audit({ entityType: 'service_center', entityId: id, action: 'update', before: fields(before), after: fields(next) });
      return next;
    });
  }

  async remove(actor: Actor, id: number): Promise<void> {
    await this.changes.apply(actor, [], async (tx) => {
      const before = await this.lock(tx, id);
      await tx.query('DELETE FROM service_centers WHERE id = $1', [id]);
      await tx.audit({ entityType: 'service_center', entityId: id, action: 'delete', before: fields(before), after: null });
    });
  }

  /** All or nothing: every problem is listed and nothing is written; a dry run reports what would change. */
  async import(actor: Actor, geojson: unknown, dryRun: boolean): Promise<ServiceCenterImportResult> {
    const { centers, problems } = parseCenterFeatures(geojson);
    const regionIds = new Map(this.regions.all().map((r) => [r.code, r.id]));
    for (const c of centers)
      if (!regionIds.has(c.regionCode)) problems.push({ index: c.index, message: `region ${c.regionCode} does not exist` });
    if (problems.length) {
      problems.sort((a, b) => a.index - b.index);
      const first = problems[0]!;
      throw new AppException('GEOJSON_INVALID', `${first.index >= 0 ? `feature ${first.index}: ` : ''}${first.message}`, {
        field: 'geojson',
        problems: problems.slice(0, 50),
        total: problems.length,
      });
    }
    const plan = async (tx: AdminTx, write: boolean): Promise<ServiceCenterImportResult> => {
      const result: ServiceCenterImportResult = { dryRun: !write, created: [], updated: [], unchanged: [] };
      const existing = new Map(
        (
          await tx.query<ServiceCenterRow>(`SELECT ${CENTER_COLUMNS} FROM service_centers WHERE code = ANY($1) FOR UPDATE`, [
            centers.map((c) => c.code),
          ])
        ).map((r) => [r.code, centerView(r)]),
      );
      for (const c of centers) {
        const next = toFields(c, regionIds.get(c.regionCode)!, existing.get(c.code)?.active ?? true);
        const before = existing.get(c.code);
        if (!before) {
          result.created.push(c.code);
          if (write) {
            const view = await this.insert(tx, next);
            await tx.audit({ entityType: 'service_center', entityId: view.id, action: 'import', before: null, after: fields(view) });
          }
        } else if (changedFields(fields(before), next).length) {
          result.updated.push(c.code);
          if (write) {
            await this.write(tx, before.id, next);
            await tx.audit({ entityType: 'service_center', entityId: before.id, action: 'import', before: fields(before), after: next });
          }
        } else result.unchanged.push(c.code);
      }
      return result;
    };
    return this.changes.apply(actor, [], (tx) => plan(tx, !dryRun));
  }

  private async lock(tx: AdminTx, id: number): Promise<ServiceCenterView> {
    const [row] = await tx.query<ServiceCenterRow>(`SELECT ${CENTER_COLUMNS} FROM service_centers WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new AppException('SERVICE_CENTER_NOT_FOUND', `Service centre ${id} does not exist`);
    return centerView(row);
  }

  private async insert(tx: AdminTx, f: Fields): Promise<ServiceCenterView> {
    const [row] = await tx.query<ServiceCenterRow>(
      `INSERT INTO service_centers (code, name, level, region_id, lat, lng, opening_hours, services, radius_m, active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${CENTER_COLUMNS}`,
      [f.code, f.name, f.level, f.regionId, f.lat, f.lng, f.openingHours, f.services, f.radiusM, f.active, tx.now],
    );
    return centerView(row!);
  }

  private async write(tx: AdminTx, id: number, f: Fields): Promise<void> {
    await tx.query(
      `UPDATE service_centers SET code = $2, name = $3, level = $4, region_id = $5, lat = $6, lng = $7, opening_hours = $8, services = $9,
              radius_m = $10, active = $11, updated_at = $12 WHERE id = $1`,
      [id, f.code, f.name, f.level, f.regionId, f.lat, f.lng, f.openingHours, f.services, f.radiusM, f.active, tx.now],
    );
  }

  private async checkCodeFree(tx: AdminTx, code: string, exceptId: number | null): Promise<void> {
    const rows = await tx.query('SELECT 1 FROM service_centers WHERE code = $1 AND id IS DISTINCT FROM $2', [code, exceptId]);
    if (rows.length) throw new AppException('CODE_TAKEN', `Another service centre already has the code ${code}`, { field: 'code' });
  }
}

function toFields(c: ImportedCenter, regionId: number, active: boolean): Fields {
  return {
    code: c.code,
    name: c.name,
    level: c.level,
    regionId,
    lat: c.lat,
    lng: c.lng,
    openingHours: c.openingHours,
    services: c.services,
    radiusM: c.radiusM,
    active,
  };
}
