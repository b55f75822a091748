import { describe, expect, it } from '@jest/globals';
import type { ServiceCenterView, ServiceCoverage } from '@gridline/shared';
import { centersNear, circlePoints, coverageText, serviceLayerOption, withServiceLayer } from './service-layer';
import { regionMapOption } from './region-map';

const centre = (over: Partial<ServiceCenterView> = {}): ServiceCenterView => ({
  id: 1,
  code: 'C1',
  name: '幸福社区党群服务中心',
  level: 'community',
  regionId: 5,
  lat: 30,
  lng: 120,
  openingHours: '',
  services: [],
  radiusM: 1000,
  active: true,
  ...over,
});
const coverage: ServiceCoverage = {
  regionId: 2,
  grids: 4,
  covered: 3,
  coverage: 0.75,
  gridsWithoutPolygon: 0,
  uncovered: [{ gridId: 9, code: 'G9', name: '第9网格', lat: 30.05, lng: 120.05, nearestCenterId: 1, nearestDistanceM: 7000 }],
};
const labels = { center: (c: ServiceCenterView) => c.name, blank: (g: { name: string }) => `空白 ${g.name}` };
const seriesOf = (o: object) => (o as { series: Record<string, unknown>[] }).series;

describe('circlePoints', () => {
  it('draws a closed ring whose vertices lie radiusM from the centre (equirectangular)', () => {
    const ring = circlePoints(120, 30, 1000, 8);
    expect(ring).toHaveLength(9);
    expect(ring[0]).toEqual(ring[8]);
    const R = 6_371_008.8;
    for (const [lng, lat] of ring) {
      const x = (((lng - 120) * Math.PI) / 180) * Math.cos((30 * Math.PI) / 180) * R;
      const y = (((lat - 30) * Math.PI) / 180) * R;
      expect(Math.hypot(x, y)).toBeCloseTo(1000, 6);
    }
  });
});

describe('centersNear', () => {
  it('keeps centres whose circle reaches the box', () => {
    const box = { minLng: 120.1, minLat: 30, maxLng: 120.2, maxLat: 30.1 };
    const near = centre({ id: 2, lng: 120.095 }); // 0.005° ≈ 480 m west of the box: its 1 km circle reaches in
    const far = centre({ id: 3, lng: 120.0 });
    expect(centersNear([near, far], box).map((c) => c.id)).toEqual([2]);
    expect(centersNear([near, far], null)).toHaveLength(2);
  });
});

describe('serviceLayerOption', () => {
  const layer = serviceLayerOption('m', [centre(), centre({ id: 2, level: 'district', lng: 120.1 })], coverage, labels);

  it('lays its geo over the region map with the same layout', () => {
    const base = regionMapOption('m', [], { name: () => '', tooltip: () => '' });
    const map = seriesOf(base)[0]!;
    const geo = layer.geo as Record<string, unknown>;
    expect(geo.map).toBe('m');
    for (const key of ['layoutCenter', 'layoutSize', 'aspectScale']) expect(geo[key]).toEqual(map[key]);
  });

  it('draws circles, centres by level and blank spots', () => {
    const [circles, centres, blanks] = seriesOf(layer);
    expect(circles!.data).toEqual([
      [120, 30, 1000],
      [120.1, 30, 1000],
    ]);
    expect((centres!.data as { symbolSize: number }[]).map((d) => d.symbolSize)).toEqual([16, 25.6]);
    expect(blanks!.data).toEqual([{ name: '第9网格', value: [120.05, 30.05] }]);
  });

  it('renders each circle as a projected polygon', () => {
    const render = seriesOf(layer)[0]!.renderItem as (p: unknown, api: unknown) => { type: string; shape: { points: number[][] } };
    const values = [120, 30, 1000];
    const out = render({}, { value: (i: number) => values[i], coord: ([x, y]: [number, number]) => [x * 10, y * 10] });
    expect(out.type).toBe('polygon');
    expect(out.shape.points).toHaveLength(49);
    expect(out.shape.points[0]![0]).toBeGreaterThan(1200);
  });

  it('adds to the region map without replacing it', () => {
    const base = regionMapOption('m', [], { name: () => '', tooltip: () => '' });
    const merged = withServiceLayer(base, layer);
    expect(seriesOf(merged).map((s) => s.id)).toEqual(['regions', 'service-circles', 'service-centers', 'service-blanks']);
  });
});

describe('coverageText', () => {
  it('shows the share with one decimal, or a dash without grids', () => {
    expect(coverageText(coverage)).toBe('75%');
    expect(coverageText({ ...coverage, coverage: 2 / 3 })).toBe('66.7%');
    expect(coverageText(null)).toBe('—');
  });
});
