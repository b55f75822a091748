import { inject, provide, ref, type InjectionKey, type Ref } from 'vue';

/** The wall is designed on a 1920×1080 canvas and scaled to the screen. */
export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;
/** Canvas pixels above this ratio cost memory without getting sharper on any real screen. */
const MAX_CHART_PIXEL_RATIO = 4;

/** The scale that fits the design canvas into a viewport, letterboxed: min(scaleX, scaleY). */
export function fitScale(viewportWidth: number, viewportHeight: number): number {
  if (viewportWidth <= 0 || viewportHeight <= 0) return 1;
  return Math.min(viewportWidth / DESIGN_WIDTH, viewportHeight / DESIGN_HEIGHT);
}

/**
 * The device pixel ratio to render charts at: the screen's own, times the canvas scale when it
 * is scaled up (a 4K screen at scale 2, or 125% OS scaling), so the CSS transform never
 * stretches a low-resolution bitmap.
 */
export function chartPixelRatio(screenRatio: number, scale: number): number {
  const ratio = (screenRatio > 0 ? screenRatio : 1) * Math.max(1, scale);
  return Math.min(MAX_CHART_PIXEL_RATIO, Math.round(ratio * 100) / 100);
}

const PIXEL_RATIO_KEY: InjectionKey<Ref<number>> = Symbol('wall-chart-pixel-ratio');

/** Called by the canvas: charts inside it render at this pixel ratio. */
export function provideChartPixelRatio(ratio: Ref<number>): void {
  provide(PIXEL_RATIO_KEY, ratio);
}

/** The pixel ratio charts inside the wall canvas should use; follows resizes. */
export function useChartPixelRatio(): Ref<number> {
  return inject(PIXEL_RATIO_KEY, ref(1));
}
