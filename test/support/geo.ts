import type { RegionView } from '@gridline/shared';
import type { ApiClient } from './api-client';

/** The centre of a grid's polygon (demo grids are rectangles), for GPS fixes inside it. */
export async function gridCentre(api: ApiClient, token: string, gridId: number): Promise<{ latitude: number; longitude: number }> {
  const regions = (
    await api.get<(RegionView & { polygon?: { coordinates: [number, number][][] } })[]>(
      '/api/v1/regions?level=grid&withPolygon=true',
      token,
    )
  ).body;
  const ring = regions.find((r) => r.id === gridId)?.polygon?.coordinates[0];
  if (!ring?.length) throw new Error(`grid ${gridId} has no polygon`);
  const lngs = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return { latitude: (Math.min(...lats) + Math.max(...lats)) / 2, longitude: (Math.min(...lngs) + Math.max(...lngs)) / 2 };
}
