import {
  DEFAULT_SERVICE_RADIUS_M,
  SERVICE_CENTER_IMPORT_MAX,
  SERVICE_CENTER_LEVELS,
  SERVICE_RADIUS_MAX_M,
  SERVICE_RADIUS_MIN_M,
  type ServiceCenterImportProblem,
  type ServiceCenterLevel,
} from '@gridline/shared';

/** A centre read from a GeoJSON Point feature, before its region code is resolved. */
export interface ImportedCenter {
  index: number;
  code: string;
  name: string;
  level: ServiceCenterLevel;
  regionCode: string;
  lat: number;
  lng: number;
  openingHours: string;
  services: string[];
  radiusM: number;
}

const CODE = /^[A-Za-z0-9_.-]{1,32}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim().length > 0 && v.length <= max ? v : null);

/**
 * Reads a FeatureCollection of Point features (`[lng, lat]`, WGS 84) with properties `code`, `name`,
 * `level`, `regionCode`, and optionally `openingHours`, `services` (strings) and `radiusM`. Every
 * problem is listed (feature index and message), so one dry run shows them all.
 */
export function parseCenterFeatures(geojson: unknown): { centers: ImportedCenter[]; problems: ServiceCenterImportProblem[] } {
  const problems: ServiceCenterImportProblem[] = [];
  if (!isObject(geojson) || geojson.type !== 'FeatureCollection' || !Array.isArray(geojson.features)) {
    return { centers: [], problems: [{ index: -1, message: 'expected a GeoJSON FeatureCollection' }] };
  }
  if (geojson.features.length === 0) return { centers: [], problems: [{ index: -1, message: 'the collection has no features' }] };
  if (geojson.features.length > SERVICE_CENTER_IMPORT_MAX) {
    return { centers: [], problems: [{ index: -1, message: `at most ${SERVICE_CENTER_IMPORT_MAX} features per import` }] };
  }
  const centers: ImportedCenter[] = [];
  const seen = new Set<string>();
  geojson.features.forEach((f: unknown, index) => {
    const fail = (message: string) => problems.push({ index, message });
    if (!isObject(f) || f.type !== 'Feature' || !isObject(f.geometry) || !isObject(f.properties))
      return fail('expected a Feature with geometry and properties');
    const g = f.geometry;
    const p = f.properties;
    if (g.type !== 'Point' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) return fail('geometry must be a Point');
    const [lng, lat] = g.coordinates as unknown[];
    if (typeof lng !== 'number' || typeof lat !== 'number' || !(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) {
      return fail('coordinates must be [lng, lat] in degrees');
    }
    const code = typeof p.code === 'string' && CODE.test(p.code) ? p.code : null;
    if (!code) return fail('properties.code must be 1–32 letters, digits, "_", "." or "-"');
    if (seen.has(code)) return fail(`code ${code} appears twice`);
    seen.add(code);
    const name = text(p.name, 100);
    if (!name) return fail('properties.name must be 1–100 characters');
    if (!(SERVICE_CENTER_LEVELS as readonly unknown[]).includes(p.level))
      return fail(`properties.level must be one of ${SERVICE_CENTER_LEVELS.join(', ')}`);
    const regionCode = text(p.regionCode, 32);
    if (!regionCode) return fail('properties.regionCode is required');
    const openingHours = p.openingHours === undefined ? '' : text(p.openingHours, 200);
    if (openingHours === null) return fail('properties.openingHours must be 1–200 characters');
    const services = p.services === undefined ? [] : p.services;
    if (!Array.isArray(services) || services.length > 50 || !services.every((s) => text(s, 50) !== null)) {
      return fail('properties.services must be at most 50 strings of 1–50 characters');
    }
    const radiusM = p.radiusM === undefined ? DEFAULT_SERVICE_RADIUS_M : p.radiusM;
    if (typeof radiusM !== 'number' || !Number.isInteger(radiusM) || radiusM < SERVICE_RADIUS_MIN_M || radiusM > SERVICE_RADIUS_MAX_M) {
      return fail(`properties.radiusM must be an integer from ${SERVICE_RADIUS_MIN_M} to ${SERVICE_RADIUS_MAX_M}`);
    }
    centers.push({
      index,
      code,
      name,
      level: p.level as ServiceCenterLevel,
      regionCode,
      lat,
      lng,
      openingHours,
      services: services as string[],
      radiusM,
    });
  });
  return { centers, problems };
}
