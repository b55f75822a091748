import { bboxOf, polygonContains } from './geo';
import type { GeoJsonPolygon } from './region.entity';

const square: GeoJsonPolygon = {
  type: 'Polygon',
  coordinates: [
    [
      [120, 30],
      [121, 30],
      [121, 31],
      [120, 31],
      [120, 30],
    ],
  ],
};
// An L shape: the square minus its top-right quarter.
const ell: GeoJsonPolygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
      [0, 0],
    ],
  ],
};

describe('polygonContains', () => {
  it('finds points inside and outside a square', () => {
    expect(polygonContains(square, 120.5, 30.5)).toBe(true);
    expect(polygonContains(square, 121.5, 30.5)).toBe(false);
    expect(polygonContains(square, 120.5, 29.9)).toBe(false);
  });

  it('respects concave shapes', () => {
    expect(polygonContains(ell, 0.5, 1.5)).toBe(true);
    expect(polygonContains(ell, 1.5, 0.5)).toBe(true);
    expect(polygonContains(ell, 1.5, 1.5)).toBe(false); // the missing quarter
  });

  it('computes the bounding box', () => {
    expect(bboxOf(ell)).toEqual({ minLng: 0, minLat: 0, maxLng: 2, maxLat: 2 });
  });
});

describe('MultiPolygon grids', () => {
  const far: GeoJsonPolygon = {
    type: 'Polygon',
    coordinates: [
      [
        [10, 10],
        [11, 10],
        [11, 11],
        [10, 11],
        [10, 10],
      ],
    ],
  };
  const multi = { type: 'MultiPolygon' as const, coordinates: [square.coordinates, far.coordinates] };

  it('contains points of every part, and the box spans them all', () => {
    expect(polygonContains(multi, 120.5, 30.5)).toBe(true);
    expect(polygonContains(multi, 10.5, 10.5)).toBe(true);
    expect(polygonContains(multi, 50, 20)).toBe(false);
    expect(bboxOf(multi)).toEqual({ minLng: 10, minLat: 10, maxLng: 121, maxLat: 31 });
  });

  it('leaves out holes', () => {
    const withHole = {
      type: 'Polygon' as const,
      coordinates: [square.coordinates[0]!, far.coordinates[0]!.map(([x, y]) => [x + 110.2, y + 20.2] as [number, number])],
    };
    expect(polygonContains(withHole, 120.5, 30.5)).toBe(false);
    expect(polygonContains(withHole, 120.1, 30.1)).toBe(true);
  });
});
