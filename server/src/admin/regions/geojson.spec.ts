import { geometryWithin, parseGeometry, parseGridCollection } from './geojson';

const square = (x: number, y: number, s = 1) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ],
  ],
});

describe('parseGeometry', () => {
  it('accepts Polygon and MultiPolygon and drops a third dimension', () => {
    expect(parseGeometry(square(0, 0))).toEqual(square(0, 0));
    const withAltitude = { type: 'Polygon', coordinates: [square(0, 0).coordinates[0]!.map(([x, y]) => [x, y, 12])] };
    expect(parseGeometry(withAltitude)).toEqual(square(0, 0));
    expect(parseGeometry({ type: 'MultiPolygon', coordinates: [square(0, 0).coordinates, square(2, 2).coordinates] })).toMatchObject({
      type: 'MultiPolygon',
    });
  });

  it.each([
    ['an open ring', { type: 'Polygon', coordinates: [square(0, 0).coordinates[0]!.slice(0, 4)] }, /closed/],
    [
      'too few positions',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      /at least 4/,
    ],
    [
      'a bow tie',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 2],
            [2, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      },
      /cross/,
    ],
    [
      'no area',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [2, 0],
            [0, 0],
          ],
        ],
      },
      /area/,
    ],
    ['latitude 91', square(0, 90.5), /latitude/],
    [
      'NaN',
      {
        type: 'Polygon',
        coordinates: [
          [
            [NaN, 0],
            [1, 0],
            [1, 1],
            [NaN, 0],
          ],
        ],
      },
      /\[longitude, latitude\]|finite/,
    ],
    [
      'a LineString',
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      /Polygon or MultiPolygon/,
    ],
  ])('refuses %s', (_name, geometry, message) => {
    expect(parseGeometry(geometry)).toMatch(message);
  });
});

describe('geometryWithin', () => {
  it('counts vertices on the edge as inside (grids tile their community)', () => {
    expect(geometryWithin(square(0, 0) as never, square(0, 0, 2) as never)).toBe(true);
    expect(geometryWithin(square(1.5, 1.5) as never, square(0, 0, 2) as never)).toBe(false);
  });
});

describe('parseGridCollection', () => {
  it('collects every problem, not just the first', () => {
    const { problems } = parseGridCollection({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'A', name: 'a', parentCode: 'C' }, geometry: square(0, 0) },
        { type: 'Feature', properties: { code: 'A', name: 'a', parentCode: 'C' }, geometry: square(0, 0) },
        { type: 'Feature', properties: { code: 'B', name: '', parentCode: 'C' }, geometry: null },
      ],
    });
    expect(problems.map((p) => [p.feature, p.problem])).toEqual([
      [1, 'DUPLICATE_CODE'],
      [2, 'PROPERTIES_INVALID'],
      [2, 'GEOMETRY_INVALID'],
    ]);
  });
});
