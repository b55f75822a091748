import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import { createChart, type EChartsType, type WallChartOption } from './echarts';
import { useChartPixelRatio } from '../canvas-scale';

export interface UseChartOptions {
  /** Called with the clicked item's name (for the map: the region id as a string). */
  onClick?: (name: string) => void;
}

/**
 * Renders `option` into `el`: one ECharts instance per element, resized with its box, rebuilt
 * when the pixel ratio changes (ECharts fixes it at init), disposed on unmount.
 */
export function useChart(el: Ref<HTMLElement | null>, option: Ref<WallChartOption | null>, options: UseChartOptions = {}) {
  const chart = shallowRef<EChartsType | null>(null);
  const pixelRatio = useChartPixelRatio();
  let observer: ResizeObserver | null = null;

  function render(replace: boolean): void {
    if (!chart.value || !option.value) return;
    chart.value.setOption(option.value, replace ? { notMerge: true } : { replaceMerge: ['series'] });
  }

  function mount(): void {
    if (!el.value) return;
    chart.value?.dispose();
    const instance = createChart(el.value, pixelRatio.value);
    if (options.onClick) {
      const onClick = options.onClick;
      instance.on('click', (params) => {
        if (typeof params.name === 'string') onClick(params.name);
      });
    }
    chart.value = instance;
    render(true);
  }

  onMounted(() => {
    mount();
    if (el.value && typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart.value?.resize());
      observer.observe(el.value);
    }
  });
  watch(pixelRatio, mount);
  watch(option, () => render(false));

  onBeforeUnmount(() => {
    observer?.disconnect();
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart, replace: () => render(true) };
}
