import type { ServiceCenterLevel, ServiceCenterView, ServiceCoverage } from '@gridline/shared';
import type { WallChartOption } from '../echarts';

/** Where the region map lays out its shapes; the service layer's geo component uses the same box so both align. */
export const MAP_LAYOUT: { layoutCenter: [string, string]; layoutSize: string; aspectScale: number } = {
  layoutCenter: ['56%', '52%'],
  layoutSize: '92%',
  aspectScale: 0.86,
};

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * A circle of `radiusM` metres around a point, as `n` [lng, lat] vertices (closed), by the same
 * equirectangular approximation the server's coverage uses (ADR 0034), so what the wall draws is
 * what the figure counts.
 */
export function circlePoints(lng: number, lat: number, radiusM: number, n = 48): [number, number][] {
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.cos((lat * Math.PI) / 180);
  const out: [number, number][] = [];
  for (let k = 0; k <= n; k++) {
    const a = (2 * Math.PI * k) / n;
    out.push([lng + dLng * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return out;
}

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** Centres whose circle reaches the box (the map shows only the region's shapes). */
export function centersNear(centers: readonly ServiceCenterView[], box: BBox | null): ServiceCenterView[] {
  if (!box) return [...centers];
  return centers.filter((c) => {
    const r = (c.radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
    const rLng = r / Math.cos((c.lat * Math.PI) / 180);
    return c.lng + rLng >= box.minLng && c.lng - rLng <= box.maxLng && c.lat + r >= box.minLat && c.lat - r <= box.maxLat;
  });
}

export const LEVEL_SIZE: Record<ServiceCenterLevel, number> = { district: 16, street: 13, community: 10, station: 7 };
const CIRCLE_FILL = 'rgba(57, 255, 170, 0.10)';
const CIRCLE_STROKE = 'rgba(57, 255, 170, 0.65)';
const CENTRE_COLOUR = '#39ffaa';
const BLANK_COLOUR = '#ff5a5a';

export interface ServiceLayerLabels {
  center: (c: ServiceCenterView) => string;
  blank: (g: ServiceCoverage['uncovered'][number]) => string;
}

interface RenderApi {
  value: (dim: number) => number;
  coord: (point: [number, number]) => number[];
}

/**
 * The service-centre layer over the region map: each centre's 15-minute circle (a geographic
 * circle projected vertex by vertex), the centres by level, and the uncovered grids (空白点) in red.
 * Series ids start with `service-` so tests and the map component find them.
 */
export function serviceLayerOption(
  mapName: string,
  centers: readonly ServiceCenterView[],
  coverage: ServiceCoverage | null,
  labels: ServiceLayerLabels,
): Pick<WallChartOption, 'geo' | 'series'> {
  const byIndex = [...centers];
  const blanks = coverage?.uncovered ?? [];
  const layer: Record<string, unknown> = {
    geo: {
      map: mapName,
      nameProperty: 'key',
      ...MAP_LAYOUT,
      roam: false,
      silent: true,
      label: { show: false },
      itemStyle: { areaColor: 'transparent', borderColor: 'transparent' },
      emphasis: { disabled: true },
    },
    series: [
      {
        id: 'service-circles',
        type: 'custom',
        coordinateSystem: 'geo',
        geoIndex: 0,
        silent: true,
        z: 4,
        data: byIndex.map((c) => [c.lng, c.lat, c.radiusM]),
        renderItem: (_params: unknown, api: unknown) => {
          const a = api as RenderApi;
          const points = circlePoints(a.value(0), a.value(1), a.value(2)).map((p) => a.coord(p));
          return { type: 'polygon', shape: { points }, style: { fill: CIRCLE_FILL, stroke: CIRCLE_STROKE, lineWidth: 1 } };
        },
      },
      {
        id: 'service-centers',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        z: 5,
        symbol: 'pin',
        itemStyle: { color: CENTRE_COLOUR },
        tooltip: { formatter: (p: unknown) => labels.center(byIndex[(p as { dataIndex: number }).dataIndex]!) },
        data: byIndex.map((c) => ({ name: c.name, value: [c.lng, c.lat], symbolSize: LEVEL_SIZE[c.level] * 1.6 })),
      },
      {
        id: 'service-blanks',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        z: 5,
        symbol: 'diamond',
        symbolSize: 9,
        itemStyle: { color: BLANK_COLOUR, borderColor: '#2a0000', borderWidth: 1 },
        tooltip: { formatter: (p: unknown) => labels.blank(blanks[(p as { dataIndex: number }).dataIndex]!) },
        data: blanks.map((g) => ({ name: g.name, value: [g.lng, g.lat] })),
      },
    ],
  };
  // renderItem's api is typed loosely above; the shape is ECharts' own (checked by the unit tests)
  return layer as Pick<WallChartOption, 'geo' | 'series'>;
}

/** The region map with the service layer on top (same map, same layout). */
export function withServiceLayer(base: WallChartOption, layer: Pick<WallChartOption, 'geo' | 'series'>): WallChartOption {
  const series = Array.isArray(base.series) ? base.series : base.series ? [base.series] : [];
  const extra = Array.isArray(layer.series) ? layer.series : layer.series ? [layer.series] : [];
  return { ...base, geo: layer.geo, series: [...series, ...extra] };
}

/** "62%" for the coverage badge (null coverage: no grids). */
export function coverageText(coverage: ServiceCoverage | null): string {
  return coverage?.coverage == null ? '—' : `${Math.round(coverage.coverage * 1000) / 10}%`;
}
