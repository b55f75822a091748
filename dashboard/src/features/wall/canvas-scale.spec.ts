import { describe, expect, it } from '@jest/globals';
import { chartPixelRatio, fitScale } from './canvas-scale';

describe('fitScale', () => {
  it('fits the 1920×1080 design into the viewport without cropping', () => {
    expect(fitScale(1920, 1080)).toBe(1);
    expect(fitScale(3840, 2160)).toBe(2);
    expect(fitScale(1536, 864)).toBe(0.8); // 1920×1080 at 125% OS scaling
    expect(fitScale(1920, 1200)).toBe(1); // wider than tall: width decides, letterboxed
    expect(fitScale(2560, 1080)).toBe(1); // ultrawide: height decides
  });
});

describe('chartPixelRatio', () => {
  it('renders charts at the scaled-up resolution so they stay sharp', () => {
    expect(chartPixelRatio(1, 2)).toBe(2); // 4K panel at 100%
    expect(chartPixelRatio(1.25, 0.8)).toBe(1.25); // 125% OS scaling: the screen ratio already covers it
    expect(chartPixelRatio(2, 1)).toBe(2);
    expect(chartPixelRatio(1.5, 1.5)).toBe(2.25);
  });

  it('never goes below the screen ratio nor above 4', () => {
    expect(chartPixelRatio(1, 0.5)).toBe(1);
    expect(chartPixelRatio(2, 3)).toBe(4);
    expect(chartPixelRatio(0, 1)).toBe(1);
  });
});
