import type { RegionView } from '@gridline/shared';
import { http } from '@/api/http';

/** The whole region tree with polygons, once per wall: a district is a few hundred small rectangles. */
export function fetchRegionTree(): Promise<RegionView[]> {
  return http.get<RegionView[]>('/regions', { query: { withPolygon: true } });
}
