import type { PoolWallSummary, RegionView, ServiceCenterView, ServiceCoverage } from '@gridline/shared';
import { http } from '@/api/http';

/** The whole region tree with polygons, once per wall: a district is a few hundred small rectangles. */
export function fetchRegionTree(): Promise<RegionView[]> {
  return http.get<RegionView[]>('/regions', { query: { withPolygon: true } });
}

/** The active service centres (public facilities), for the map's service layer. */
export function fetchServiceCenters(): Promise<ServiceCenterView[]> {
  return http.get<ServiceCenterView[]>('/service-centers');
}

/** Coverage of a region's grids by the centres' 15-minute circles (ADR 0034). */
export function fetchCoverage(regionId: number): Promise<ServiceCoverage> {
  return http.get<ServiceCoverage>('/service-centers/coverage', { query: { regionId } });
}

/** The service pool of a region subtree (点单·派单·接单): figures today and in all, hours, the latest claims. */
export function fetchPoolSummary(regionId: number): Promise<PoolWallSummary> {
  return http.get<PoolWallSummary>('/pool/summary', { query: { regionId } });
}
