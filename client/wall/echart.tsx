/**
 * The one ECharts wrapper: a canvas chart that follows an option accessor. It imports only the
 * chart types and components the wall uses (tree-shaken `echarts/core`), merges each new option
 * into the chart instead of rebuilding it, and resizes with its box.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { createEffect, onCleanup, onMount } from 'solid-js';
import type { ChartOption } from './chart-options.js';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function EChart(props: { option: () => ChartOption; class?: string; label: string }) {
  let box!: HTMLDivElement;
  onMount(() => {
    const chart = echarts.init(box, undefined, { renderer: 'canvas' });
    createEffect(() => chart.setOption(props.option() as echarts.EChartsCoreOption, { lazyUpdate: true }));
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(box);
    onCleanup(() => {
      resize.disconnect();
      chart.dispose();
    });
  });
  return <div ref={box} class={`chart ${props.class ?? ''}`} role="img" aria-label={props.label} data-chart={props.label} />;
}
