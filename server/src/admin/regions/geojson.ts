import type { GeoJsonGeometry, GeoJsonImportProblem, GeoJsonProblemKind } from '@gridline/shared';
import { polygonsOf } from '../../regions/geo';

export const MAX_IMPORT_FEATURES = 5000;
export const MAX_RING_POINTS = 10_000;
export const REGION_CODE_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

type Position = [number, number];

/** A grid feature that passed the shape checks, its geometry normalised to 2-D positions. */
export interface GridFeature {
  index: number;
  code: string;
  name: string;
  parentCode: string;
  geometry: GeoJsonGeometry;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Twice the signed area of a ring (shoelace). */
function ringArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum;
}

function orientation(a: Position, b: Position, c: Position): number {
  const v = (b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1]);
  return Math.abs(v) < 1e-18 ? 0 : Math.sign(v);
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return p[0] <= Math.max(a[0], b[0]) && p[0] >= Math.min(a[0], b[0]) && p[1] <= Math.max(a[1], b[1]) && p[1] >= Math.min(a[1], b[1]);
}

function segmentsIntersect(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const o1 = orientation(p1, p2, q1);
  const o2 = orientation(p1, p2, q2);
  const o3 = orientation(q1, q2, p1);
  const o4 = orientation(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(p1, p2, q1)) ||
    (o2 === 0 && onSegment(p1, p2, q2)) ||
    (o3 === 0 && onSegment(q1, q2, p1)) ||
    (o4 === 0 && onSegment(q1, q2, p2))
  );
}

/**
 * Whether two non-adjacent edges of the closed ring cross or touch. A sweep over the edges
 * sorted by their west end compares only edges whose boxes overlap: near-linear for real outlines.
 */
function selfIntersects(ring: readonly Position[]): boolean {
  const n = ring.length - 1; // edges: i joins ring[i] and ring[i + 1]
  const edges = Array.from({ length: n }, (_, i) => {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    return { i, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]), minY: Math.min(a[1], b[1]), maxY: Math.max(a[1], b[1]) };
  }).sort((x, y) => x.minX - y.minX);
  for (let k = 0; k < n; k++) {
    const e = edges[k]!;
    for (let m = k + 1; m < n && edges[m]!.minX <= e.maxX; m++) {
      const f = edges[m]!;
      if (f.minY > e.maxY || f.maxY < e.minY) continue;
      const [i, j] = e.i < f.i ? [e.i, f.i] : [f.i, e.i];
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // neighbours share a vertex
      if (segmentsIntersect(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return true;
    }
  }
  return false;
}

/** A ring as 2-D positions, or the reason it is not a valid linear ring. */
function parseRing(raw: unknown): Position[] | string {
  if (!Array.isArray(raw) || raw.length < 4) return 'each ring needs at least 4 positions';
  if (raw.length > MAX_RING_POINTS) return `a ring may have at most ${MAX_RING_POINTS} positions`;
  const ring: Position[] = [];
  for (const p of raw) {
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
      return 'each position must be [longitude, latitude]';
    }
    const [lng, lat] = p as number[];
    if (!Number.isFinite(lng) || !Number.isFinite(lat) || lng! < -180 || lng! > 180 || lat! < -90 || lat! > 90) {
      return 'positions must be finite longitude (−180…180) and latitude (−90…90)';
    }
    ring.push([lng!, lat!]);
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) return 'each ring must be closed (first position = last position)';
  if (Math.abs(ringArea2(ring)) < 1e-14) return 'a ring must enclose an area';
  if (selfIntersects(ring)) return 'a ring must not cross itself';
  return ring;
}

function parsePolygon(raw: unknown): Position[][] | string {
  if (!Array.isArray(raw) || raw.length === 0) return 'a polygon needs at least its outer ring';
  const rings: Position[][] = [];
  for (const r of raw) {
    const ring = parseRing(r);
    if (typeof ring === 'string') return ring;
    rings.push(ring);
  }
  return rings;
}

/** A GeoJSON Polygon or MultiPolygon, checked ("valid-ish") and reduced to 2-D, or the reason it is not one. */
export function parseGeometry(raw: unknown): GeoJsonGeometry | string {
  if (!isObject(raw)) return 'geometry must be a GeoJSON Polygon or MultiPolygon';
  if (raw.type === 'Polygon') {
    const polygon = parsePolygon(raw.coordinates);
    return typeof polygon === 'string' ? polygon : { type: 'Polygon', coordinates: polygon };
  }
  if (raw.type === 'MultiPolygon') {
    if (!Array.isArray(raw.coordinates) || raw.coordinates.length === 0) return 'a MultiPolygon needs at least one polygon';
    const polygons: Position[][][] = [];
    for (const p of raw.coordinates) {
      const polygon = parsePolygon(p);
      if (typeof polygon === 'string') return polygon;
      polygons.push(polygon);
    }
    return { type: 'MultiPolygon', coordinates: polygons };
  }
  return `geometry type must be Polygon or MultiPolygon, not ${JSON.stringify(raw.type ?? null)}`;
}

const problem = (feature: number | null, code: string | null, kind: GeoJsonProblemKind, message: string): GeoJsonImportProblem => ({
  feature,
  code,
  problem: kind,
  message,
});

/**
 * The grid features of a FeatureCollection, each with `properties.code`, `name` and
 * `parentCode` (its community). Collects every problem rather than stopping at the first.
 */
export function parseGridCollection(input: unknown): { features: GridFeature[]; problems: GeoJsonImportProblem[] } {
  if (!isObject(input) || input.type !== 'FeatureCollection' || !Array.isArray(input.features)) {
    return { features: [], problems: [problem(null, null, 'NOT_A_FEATURE_COLLECTION', 'geojson must be a FeatureCollection')] };
  }
  if (input.features.length === 0) {
    return { features: [], problems: [problem(null, null, 'NOT_A_FEATURE_COLLECTION', 'The FeatureCollection has no features')] };
  }
  if (input.features.length > MAX_IMPORT_FEATURES) {
    const message = `At most ${MAX_IMPORT_FEATURES} features per import, got ${input.features.length}`;
    return { features: [], problems: [problem(null, null, 'TOO_MANY_FEATURES', message)] };
  }
  const features: GridFeature[] = [];
  const problems: GeoJsonImportProblem[] = [];
  const seen = new Map<string, number>();
  input.features.forEach((raw: unknown, index) => {
    const props = isObject(raw) && isObject(raw.properties) ? raw.properties : null;
    const code = typeof props?.code === 'string' ? props.code : null;
    if (!isObject(raw) || raw.type !== 'Feature' || !props) {
      problems.push(problem(index, code, 'PROPERTIES_INVALID', 'Each feature must be a GeoJSON Feature with properties'));
      return;
    }
    const name = typeof props.name === 'string' ? props.name.trim() : '';
    const parentCode = typeof props.parentCode === 'string' ? props.parentCode : '';
    const bad: string[] = [];
    if (code === null || !REGION_CODE_PATTERN.test(code)) bad.push('code must be 1–32 letters, digits, "_", "-" or "."');
    if (name.length < 1 || name.length > 64) bad.push('name must be 1–64 characters');
    if (!REGION_CODE_PATTERN.test(parentCode)) bad.push('parentCode must be the code of a community');
    if (bad.length) problems.push(problem(index, code, 'PROPERTIES_INVALID', bad.join('; ')));
    const geometry = parseGeometry(raw.geometry);
    if (typeof geometry === 'string') problems.push(problem(index, code, 'GEOMETRY_INVALID', geometry));
    if (code !== null) {
      const first = seen.get(code);
      if (first !== undefined) problems.push(problem(index, code, 'DUPLICATE_CODE', `code ${code} is also used by feature ${first}`));
      else seen.set(code, index);
    }
    if (!bad.length && typeof geometry !== 'string') features.push({ index, code: code!, name, parentCode, geometry });
  });
  return { features, problems };
}

/** Distance from p to segment ab, in degrees (only compared with a tiny tolerance). */
function distanceToSegment(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

function inRingOrOnEdge(ring: readonly Position[], p: Position, tolerance: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (distanceToSegment(p, a, b) <= tolerance) return true;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/**
 * Whether every vertex of `inner` lies inside or on the edge of `outer`'s outer rings: grids
 * share their edges with their community, so "on the edge" counts as inside (tolerance ~1 cm).
 */
export function geometryWithin(inner: GeoJsonGeometry, outer: GeoJsonGeometry, tolerance = 1e-7): boolean {
  const outerRings = polygonsOf(outer).map((rings) => rings[0] ?? []);
  return polygonsOf(inner).every((rings) => (rings[0] ?? []).every((p) => outerRings.some((ring) => inRingOrOnEdge(ring, p, tolerance))));
}
