import { distanceM } from '../workbench/distance';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { RegionView } from '@gridline/shared';
import { DataSource } from 'typeorm';
import { AppException } from '../common/app.exception';
import { Region } from './region.entity';
import { bboxOf, polygonContains, type BBox } from './geo';

export interface GridPlace {
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
}

/** The issue column that holds a region of each level (city has none: it spans districts). */
export const REGION_COLUMN = { district: 'district_id', street: 'street_id', community: 'community_id', grid: 'grid_id' } as const;

/**
 * The region tree, held in memory: it is configuration (hundreds of rows) read on every
 * request for scope checks. Call reload() after an admin changes regions.
 */
@Injectable()
export class RegionsService implements OnModuleInit {
  private byId = new Map<number, Region>();
  private grids: { region: Region; bbox: BBox }[] = [];

  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const rows = await this.db.getRepository(Region).find({ order: { id: 'ASC' } });
    this.byId = new Map(rows.map((r) => [r.id, r]));
    this.grids = rows
      .filter((r) => r.level === 'grid' && r.polygon && this.isOpen(r))
      .map((r) => ({ region: r, bbox: bboxOf(r.polygon!) }));
  }

  all(): Region[] {
    return [...this.byId.values()];
  }

  get(id: number): Region | undefined {
    return this.byId.get(id);
  }

  require(id: number): Region {
    const region = this.byId.get(id);
    if (!region) throw new AppException('UNKNOWN_REFERENCE', `Region ${id} does not exist`, { field: 'regionId' });
    return region;
  }

  /** Whether `regionId` is `rootId` or lies below it. */
  isWithin(regionId: number, rootId: number): boolean {
    return this.byId.get(regionId)?.path.includes(rootId) ?? false;
  }

  isWithinAny(regionId: number, rootIds: readonly number[]): boolean {
    return rootIds.some((root) => this.isWithin(regionId, root));
  }

  /** Whether the region and all its ancestors are active (an admin can close a whole street at once). */
  isOpen(region: Region): boolean {
    return region.path.every((id) => this.byId.get(id)?.active !== false);
  }

  /** The public view of a region (the polygon only on request). */
  view(region: Region, withPolygon = false): RegionView {
    const { id, parentId, level, code, name } = region;
    return { id, parentId, level, code, name, active: this.isOpen(region), ...(withPolygon ? { polygon: region.polygon } : {}) };
  }

  /** Where a new report in this grid belongs; undefined for unknown, non-grid or deactivated regions. */
  placeOfGrid(gridId: number): GridPlace | undefined {
    const grid = this.byId.get(gridId);
    if (grid?.level !== 'grid' || !this.isOpen(grid)) return undefined;
    const [, districtId, streetId, communityId] = this.levelIds(grid);
    if (districtId === undefined || streetId === undefined || communityId === undefined) return undefined;
    return { gridId, communityId, streetId, districtId };
  }

  /** The grid whose polygon holds the point, if any. */
  gridAt(lat: number, lng: number): Region | undefined {
    return this.grids.find(
      ({ region, bbox }) =>
        lng >= bbox.minLng && lng <= bbox.maxLng && lat >= bbox.minLat && lat <= bbox.maxLat && polygonContains(region.polygon!, lng, lat),
    )?.region;
  }

  /** The open grid closest to a point outside every grid (distance to its bounding box), to suggest instead. */
  nearestGrid(lat: number, lng: number): { id: number; code: string; name: string; distanceM: number } | undefined {
    let best: { id: number; code: string; name: string; distanceM: number } | undefined;
    for (const { region, bbox } of this.grids) {
      if (!this.isOpen(region)) continue;
      const clampedLat = Math.min(Math.max(lat, bbox.minLat), bbox.maxLat);
      const clampedLng = Math.min(Math.max(lng, bbox.minLng), bbox.maxLng);
      const d = Math.round(distanceM(lat, lng, clampedLat, clampedLng));
      if (!best || d < best.distanceM) best = { id: region.id, code: region.code, name: region.name, distanceM: d };
    }
    return best;
  }

  /** SQL condition "issue alias `i` lies in the subtree of one of these regions". */
  subtreeCondition(rootIds: readonly number[], params: unknown[]): string {
    const parts = rootIds.map((id) => {
      const region = this.require(id);
      if (region.level === 'city') {
        const districts = this.all()
          .filter((r) => r.level === 'district' && r.path.includes(id))
          .map((r) => r.id);
        params.push(districts);
        return `i.district_id = ANY($${params.length})`;
      }
      params.push(id);
      return `i.${REGION_COLUMN[region.level]} = $${params.length}`;
    });
    return parts.length ? `(${parts.join(' OR ')})` : 'false';
  }

  /** [city, district, street, community, grid] ids along the path, by level. */
  private levelIds(region: Region): (number | undefined)[] {
    const levels = ['city', 'district', 'street', 'community', 'grid'];
    const out: (number | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
    for (const id of region.path) {
      const r = this.byId.get(id);
      if (r) out[levels.indexOf(r.level)] = id;
    }
    return out;
  }
}
