import { boxAround, distanceM } from './distance';

describe('distance', () => {
  it('measures about 111 km per degree of latitude and 0 for the same point', () => {
    expect(distanceM(30, 120, 31, 120)).toBeGreaterThan(111_000);
    expect(distanceM(30, 120, 31, 120)).toBeLessThan(111_400);
    expect(distanceM(30.2, 120.1, 30.2, 120.1)).toBe(0);
  });

  it('puts every point of the circle inside the box', () => {
    const box = boxAround(30.25, 120.2, 100);
    for (let deg = 0; deg < 360; deg += 15) {
      const lat = 30.25 + (Math.sin((deg * Math.PI) / 180) * 100) / 111_195;
      const lng = 120.2 + (Math.cos((deg * Math.PI) / 180) * 100) / (111_195 * Math.cos((30.25 * Math.PI) / 180));
      expect(distanceM(30.25, 120.2, lat, lng)).toBeLessThan(100.5);
      expect(lat).toBeGreaterThanOrEqual(box.minLat);
      expect(lat).toBeLessThanOrEqual(box.maxLat);
      expect(lng).toBeGreaterThanOrEqual(box.minLng);
      expect(lng).toBeLessThanOrEqual(box.maxLng);
    }
  });
});
