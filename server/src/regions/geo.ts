import type { GeoJsonPolygon } from './region.entity';

/** Ray casting on the outer ring; points on an edge may fall either side, grids tile without gaps. */
export function polygonContains(polygon: GeoJsonPolygon, lng: number, lat: number): boolean {
  const ring = polygon.coordinates[0] ?? [];
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export function bboxOf(polygon: GeoJsonPolygon): BBox {
  const ring = polygon.coordinates[0] ?? [];
  return {
    minLng: Math.min(...ring.map((p) => p[0])),
    minLat: Math.min(...ring.map((p) => p[1])),
    maxLng: Math.max(...ring.map((p) => p[0])),
    maxLat: Math.max(...ring.map((p) => p[1])),
  };
}
