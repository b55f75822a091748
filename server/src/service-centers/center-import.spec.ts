import { parseCenterFeatures } from './center-import';

const point = (props: Record<string, unknown>, coordinates: unknown = [121.55, 29.87]) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties: props,
});

describe('parseCenterFeatures', () => {
  it('reads points with defaults for the optional properties', () => {
    const { centers, problems } = parseCenterFeatures({
      type: 'FeatureCollection',
      features: [point({ code: 'C1', name: '中心', level: 'community', regionCode: 'S01-C01' })],
    });
    expect(problems).toEqual([]);
    expect(centers).toEqual([
      {
        index: 0,
        code: 'C1',
        name: '中心',
        level: 'community',
        regionCode: 'S01-C01',
        lat: 29.87,
        lng: 121.55,
        openingHours: '',
        services: [],
        radiusM: 1000,
      },
    ]);
  });

  it('lists every bad feature with its index', () => {
    const { centers, problems } = parseCenterFeatures({
      type: 'FeatureCollection',
      features: [
        point({ code: 'C1', name: 'a', level: 'community', regionCode: 'X' }, [200, 10]),
        point({ code: 'C2', name: 'b', level: 'castle', regionCode: 'X' }),
        point({ code: 'C3', name: 'c', level: 'station', regionCode: 'X', radiusM: 10 }),
        point({ code: 'C4', name: 'd', level: 'station', regionCode: 'X' }),
        point({ code: 'C4', name: 'e', level: 'station', regionCode: 'X' }),
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: {} },
      ],
    });
    expect(centers.map((c) => c.code)).toEqual(['C4']);
    expect(problems.map((p) => p.index)).toEqual([0, 1, 2, 4, 5]);
  });

  it('refuses what is not a FeatureCollection', () => {
    expect(parseCenterFeatures({ type: 'Feature' }).problems).toHaveLength(1);
    expect(parseCenterFeatures(null).problems).toHaveLength(1);
  });
});
