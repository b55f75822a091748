import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NEARBY_DEFAULTS, OPEN_STATUSES, type NearbyIssue } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { ScopeService } from '../scope/scope.service';
import { SUMMARY_SELECT, toSummary, type SummaryFields } from '../issues/issue-queries.service';
import { bboxOf, type BBox } from '../regions/geo';
import { RegionsService } from '../regions/regions.service';
import type { NearbyIssuesQueryDto } from './dto/nearby-issues.query';
import { boxAround, distanceM } from './distance';

/** How many candidates the box may return before the exact distance filter (the box is a bit larger than the circle). */
const CANDIDATES_MAX = 200;

const intersects = (a: BBox, b: BBox) => a.minLng <= b.maxLng && a.maxLng >= b.minLng && a.minLat <= b.maxLat && a.maxLat >= b.minLat;

/**
 * Open issues near a point, in the caller's scope, so a grid worker can add to one instead of
 * reporting it again. Index-friendly: the grids whose polygons touch the search box come from
 * the in-memory region tree, so the query runs on `issues (grid_id, reported_at)`; the box on
 * lat/lng and then the exact distance cut it down to the circle.
 */
@Injectable()
export class NearbyIssuesService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly regions: RegionsService,
    private readonly clock: ClockService,
  ) {}

  /**
   * `within: 'all'` drops the caller's scope: for a resident about to report, who may join any open
   * issue close to where they stand (the caller shows them only what is not personal).
   */
  async find(actor: Actor, q: NearbyIssuesQueryDto, within: 'scope' | 'all' = 'scope'): Promise<NearbyIssue[]> {
    const hasPoint = q.lat !== undefined && q.lng !== undefined;
    if (!hasPoint && q.gridId === undefined) {
      throw new AppException('VALIDATION_FAILED', 'Give lat and lng, or gridId');
    }
    if ((q.lat === undefined) !== (q.lng === undefined)) {
      throw new AppException('VALIDATION_FAILED', 'lat and lng go together');
    }
    const params: unknown[] = [];
    const p = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const since = new Date(this.clock.now().getTime() - (q.days ?? NEARBY_DEFAULTS.days) * 86_400_000);
    const where = [
      within === 'all' ? 'true' : this.scope.visibilitySql(actor, params),
      `i.status = ANY(${p(OPEN_STATUSES)})`,
      `i.reported_at >= ${p(since)}`,
    ];
    if (q.categoryId !== undefined) where.push(`i.category_id = ${p(q.categoryId)}`);

    const radiusM = q.radiusM ?? NEARBY_DEFAULTS.radiusM;
    if (hasPoint) {
      const box = boxAround(q.lat!, q.lng!, radiusM);
      const grids = this.gridsTouching(box);
      if (grids.length === 0) return [];
      where.push(
        `i.grid_id = ANY(${p(grids)})`,
        `i.lat BETWEEN ${p(box.minLat)} AND ${p(box.maxLat)}`,
        `i.lng BETWEEN ${p(box.minLng)} AND ${p(box.maxLng)}`,
      );
    } else {
      where.push(`i.grid_id = ${p(q.gridId)}`);
    }
    const rows: (SummaryFields & { lat: number | null; lng: number | null })[] = await this.db.query(
      `SELECT ${SUMMARY_SELECT}, i.lat, i.lng FROM issues i WHERE ${where.join(' AND ')}
        ORDER BY i.reported_at DESC, i.id DESC LIMIT ${p(CANDIDATES_MAX)}`,
      params,
    );
    const found = rows.map((r) => ({
      ...toSummary(r, this.clock.now()),
      lat: r.lat,
      lng: r.lng,
      distanceM: hasPoint && r.lat !== null && r.lng !== null ? Math.round(distanceM(q.lat!, q.lng!, r.lat, r.lng)) : null,
    }));
    const near = hasPoint ? found.filter((r) => r.distanceM !== null && r.distanceM <= radiusM) : found;
    return near.sort((a, b) => (a.distanceM ?? 0) - (b.distanceM ?? 0)).slice(0, NEARBY_DEFAULTS.limit);
  }

  private gridsTouching(box: BBox): number[] {
    return this.regions
      .all()
      .filter((r) => r.level === 'grid' && r.polygon && intersects(bboxOf(r.polygon), box))
      .map((r) => r.id);
  }
}
