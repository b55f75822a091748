import { init, registerMap, registerTheme, use, type ComposeOption, type EChartsType } from 'echarts/core';
import {
  CustomChart,
  LineChart,
  MapChart,
  PieChart,
  ScatterChart,
  type CustomSeriesOption,
  type LineSeriesOption,
  type MapSeriesOption,
  type PieSeriesOption,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  type GeoComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { WALL_THEME, WALL_THEME_NAME } from './theme';

/**
 * The one place the wall registers ECharts: only the charts and components it uses (bundle
 * size), and its dark theme. Chart components build options with the pure builders in
 * `options/` and render them through `useChart`.
 */
use([
  LineChart,
  PieChart,
  MapChart,
  ScatterChart,
  CustomChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);
registerTheme(WALL_THEME_NAME, WALL_THEME);

export type WallChartOption = ComposeOption<
  | LineSeriesOption
  | PieSeriesOption
  | MapSeriesOption
  | ScatterSeriesOption
  | CustomSeriesOption
  | GeoComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export function createChart(el: HTMLElement, devicePixelRatio: number): EChartsType {
  return init(el, WALL_THEME_NAME, { renderer: 'canvas', devicePixelRatio });
}

/** Registers (or replaces) a map's shapes under `name`; the map series refers to it by name. */
export function registerGeoJson(name: string, geoJson: object): void {
  registerMap(name, geoJson as Parameters<typeof registerMap>[1]);
}

export type { EChartsType };
