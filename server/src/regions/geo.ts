import type { GeoJsonGeometry } from '@gridline/shared';

/** The polygons of a Polygon or MultiPolygon, each as its rings (the first is the outer one). */
export function polygonsOf(geometry: GeoJsonGeometry): [number, number][][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Ray casting on one ring; points on an edge may fall either side, grids tile without gaps. */
export function ringContains(ring: readonly [number, number][], lng: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside one of the parts' outer rings and none of that part's holes. */
export function polygonContains(geometry: GeoJsonGeometry, lng: number, lat: number): boolean {
  return polygonsOf(geometry).some(
    ([outer = [], ...holes]) => ringContains(outer, lng, lat) && !holes.some((hole) => ringContains(hole, lng, lat)),
  );
}

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export function bboxOf(geometry: GeoJsonGeometry): BBox {
  const points = polygonsOf(geometry).flatMap((rings) => rings[0] ?? []);
  return {
    minLng: Math.min(...points.map((p) => p[0])),
    minLat: Math.min(...points.map((p) => p[1])),
    maxLng: Math.max(...points.map((p) => p[0])),
    maxLat: Math.max(...points.map((p) => p[1])),
  };
}
