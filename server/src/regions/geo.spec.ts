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
