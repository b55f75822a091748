/**
 * Coverage of a region's grids by the service centres' circles, in PostgreSQL without PostGIS
 * (ADR 0034). $1 = the region id (its subtree's open grids are counted).
 *
 * - centroid of each grid: the area-weighted centroid of its polygon's outer rings (shoelace, in
 *   degrees: the grids are small enough that the plane approximation is far below a metre;
 *   holes are ignored). A degenerate ring (no area) falls back to the mean of its vertices.
 * - distance: equirectangular, R·√((Δλ·cos φm)² + Δφ²) with R = 6,371,008.8 m (the mean Earth
 *   radius); under 0.1 % from the haversine distance at the few-kilometre scale of a 15-minute circle.
 * - a grid is covered when its centroid lies within radius_m of some active centre, anywhere
 *   (a centre across the region's border covers it too).
 */
export const COVERAGE_SQL = `
WITH grids AS (
  SELECT r.id, r.code, r.name, r.polygon
    FROM regions r
   WHERE r.level = 'grid' AND $1::int = ANY (r.path)
     AND NOT EXISTS (SELECT 1 FROM regions a WHERE a.id = ANY (r.path) AND NOT a.active)
), rings AS (
  SELECT g.id, k.poly, k.ring
    FROM grids g
    CROSS JOIN LATERAL (
      SELECT 1::bigint AS poly, g.polygon->'coordinates'->0 AS ring WHERE g.polygon->>'type' = 'Polygon'
      UNION ALL
      SELECT p.ord, p.coords->0 FROM jsonb_array_elements(CASE WHEN g.polygon->>'type' = 'MultiPolygon' THEN g.polygon->'coordinates' ELSE '[]' END)
        WITH ORDINALITY AS p(coords, ord)
    ) k
   WHERE jsonb_typeof(k.ring) = 'array'
), raw AS (
  SELECT r.id, r.poly, v.n, (v.pt->>0)::float8 AS x, (v.pt->>1)::float8 AS y
    FROM rings r CROSS JOIN LATERAL jsonb_array_elements(r.ring) WITH ORDINALITY AS v(pt, n)
), pts AS (
  -- relative to the grid's first vertex: the shoelace products stay small, so no digits cancel
  SELECT id, poly, n, x - first_value(x) OVER g AS x, y - first_value(y) OVER g AS y, first_value(x) OVER g AS ox, first_value(y) OVER g AS oy
    FROM raw WINDOW g AS (PARTITION BY id ORDER BY poly, n)
), edges AS (
  SELECT id, poly, x, y, ox, oy, lead(x) OVER w AS x2, lead(y) OVER w AS y2 FROM pts WINDOW w AS (PARTITION BY id, poly ORDER BY n)
), polys AS (
  SELECT id, poly, sum(x * y2 - x2 * y) AS a2, sum((x + x2) * (x * y2 - x2 * y)) AS cx6, sum((y + y2) * (x * y2 - x2 * y)) AS cy6,
         avg(x) AS mx, avg(y) AS my, min(ox) AS ox, min(oy) AS oy
    FROM edges WHERE x2 IS NOT NULL GROUP BY id, poly
), centroids AS (
  SELECT id,
         min(ox) + CASE WHEN sum(abs(a2)) > 1e-18 THEN sum(CASE WHEN abs(a2) > 1e-18 THEN abs(a2) * cx6 / (3 * a2) ELSE 0 END) / sum(abs(a2)) ELSE avg(mx) END AS lng,
         min(oy) + CASE WHEN sum(abs(a2)) > 1e-18 THEN sum(CASE WHEN abs(a2) > 1e-18 THEN abs(a2) * cy6 / (3 * a2) ELSE 0 END) / sum(abs(a2)) ELSE avg(my) END AS lat
    FROM polys GROUP BY id
), dist AS (
  SELECT c.id, s.id AS center_id, s.radius_m,
         6371008.8 * sqrt(power(radians(s.lng - c.lng) * cos(radians((s.lat + c.lat) / 2)), 2) + power(radians(s.lat - c.lat), 2)) AS d
    FROM centroids c CROSS JOIN service_centers s
   WHERE s.active
), nearest AS (
  SELECT DISTINCT ON (id) id, center_id, d FROM dist ORDER BY id, d, center_id
), covered AS (
  SELECT id, bool_or(d <= radius_m) AS covered FROM dist GROUP BY id
)
SELECT g.id AS "gridId", g.code, g.name, c.lat, c.lng, COALESCE(cv.covered, false) AS covered,
       n.center_id AS "nearestCenterId", n.d AS "nearestDistanceM", (c.id IS NULL) AS "noPolygon"
  FROM grids g
  LEFT JOIN centroids c ON c.id = g.id
  LEFT JOIN nearest n ON n.id = g.id
  LEFT JOIN covered cv ON cv.id = g.id
 ORDER BY g.code`;

export interface CoverageRow {
  gridId: number;
  code: string;
  name: string;
  lat: number | null;
  lng: number | null;
  covered: boolean;
  nearestCenterId: number | null;
  nearestDistanceM: number | null;
  noPolygon: boolean;
}
