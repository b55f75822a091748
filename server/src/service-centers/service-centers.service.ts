import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ServiceCenterLevel, ServiceCenterView, ServiceCoverage } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { ScopeService } from '../scope/scope.service';
import { COVERAGE_SQL, type CoverageRow } from './coverage.sql';

export interface ServiceCenterRow {
  id: number;
  code: string;
  name: string;
  level: ServiceCenterLevel;
  region_id: number;
  lat: number;
  lng: number;
  opening_hours: string;
  services: string[];
  radius_m: number;
  active: boolean;
}

export const CENTER_COLUMNS = 'id, code, name, level, region_id, lat, lng, opening_hours, services, radius_m, active';

export const centerView = (r: ServiceCenterRow): ServiceCenterView => ({
  id: r.id,
  code: r.code,
  name: r.name,
  level: r.level,
  regionId: r.region_id,
  lat: r.lat,
  lng: r.lng,
  openingHours: r.opening_hours,
  services: r.services,
  radiusM: r.radius_m,
  active: r.active,
});

/** Reads of service centres: the list (public facilities: any signed-in user) and coverage (a region in the caller's scope). */
@Injectable()
export class ServiceCentersService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async list(q: { regionId?: number; level?: ServiceCenterLevel; includeInactive?: boolean }): Promise<ServiceCenterView[]> {
    const rows = (await this.db.query(
      `SELECT ${CENTER_COLUMNS} FROM service_centers s
        WHERE ($1::int IS NULL OR s.region_id IN (SELECT id FROM regions WHERE $1::int = ANY (path)))
          AND ($2::text IS NULL OR s.level = $2) AND ($3::boolean OR s.active)
        ORDER BY CASE s.level WHEN 'district' THEN 0 WHEN 'street' THEN 1 WHEN 'community' THEN 2 ELSE 3 END, s.code`,
      [q.regionId ?? null, q.level ?? null, q.includeInactive ?? false],
    )) as ServiceCenterRow[];
    return rows.map(centerView);
  }

  async coverage(actor: Actor, regionId: number | undefined): Promise<ServiceCoverage> {
    const scoped = this.scope.stats(actor, { regionId });
    const rows = (await this.db.query(COVERAGE_SQL, [scoped.regionId])) as CoverageRow[];
    const placed = rows.filter((r) => !r.noPolygon);
    const covered = placed.filter((r) => r.covered).length;
    return {
      regionId: scoped.regionId,
      grids: placed.length,
      covered,
      coverage: placed.length ? covered / placed.length : null,
      gridsWithoutPolygon: rows.length - placed.length,
      uncovered: placed
        .filter((r) => !r.covered)
        .map((r) => ({
          gridId: r.gridId,
          code: r.code,
          name: r.name,
          lat: r.lat!,
          lng: r.lng!,
          nearestCenterId: r.nearestCenterId,
          nearestDistanceM: r.nearestDistanceM === null ? null : Math.round(r.nearestDistanceM),
        })),
    };
  }
}
