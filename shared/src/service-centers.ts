/** 党群服务中心 / 站: service centres and stations with their 15-minute circle, and grid coverage. */

export const SERVICE_CENTER_LEVELS = ['district', 'street', 'community', 'station'] as const;
export type ServiceCenterLevel = (typeof SERVICE_CENTER_LEVELS)[number];

/** The 15-minute walk, as a circle (metres). */
export const DEFAULT_SERVICE_RADIUS_M = 1000;
export const SERVICE_RADIUS_MIN_M = 50;
export const SERVICE_RADIUS_MAX_M = 20_000;
export const SERVICE_CENTER_IMPORT_MAX = 2000;

export interface ServiceCenterView {
  id: number;
  code: string;
  name: string;
  level: ServiceCenterLevel;
  regionId: number;
  lat: number;
  lng: number;
  openingHours: string;
  services: string[];
  radiusM: number;
  active: boolean;
}

export interface ServiceCenterInput {
  code: string;
  name: string;
  level: ServiceCenterLevel;
  regionId: number;
  lat: number;
  lng: number;
  openingHours?: string;
  services?: string[];
  radiusM?: number;
  active?: boolean;
}

export type UpdateServiceCenterInput = Partial<ServiceCenterInput>;

/** A grid outside every circle (空白点), with the nearest centre for planning. */
export interface UncoveredGrid {
  gridId: number;
  code: string;
  name: string;
  /** The grid's centroid. */
  lat: number;
  lng: number;
  nearestCenterId: number | null;
  nearestDistanceM: number | null;
}

/** `GET /service-centers/coverage?regionId=`: grids of the subtree whose centroid lies in some circle. */
export interface ServiceCoverage {
  regionId: number;
  /** Grids with a polygon (those without one cannot be placed and are counted apart). */
  grids: number;
  covered: number;
  /** covered / grids, 0–1 (null when there are no grids). */
  coverage: number | null;
  gridsWithoutPolygon: number;
  uncovered: UncoveredGrid[];
}

export interface ServiceCenterImportInput {
  dryRun?: boolean;
  /** A FeatureCollection of Point features; properties code, name, level, regionCode, openingHours?, services?, radiusM?. */
  geojson: unknown;
}

export interface ServiceCenterImportProblem {
  index: number;
  message: string;
}

export interface ServiceCenterImportResult {
  dryRun: boolean;
  created: string[];
  updated: string[];
  unchanged: string[];
}
