/**
 * Pure builders of the wall's ECharts options from the stream's state: hourly intake against
 * resolutions, the channel mix and group rankings. Sizes are in CSS pixels scaled by `unit` (one
 * hundredth of the viewport height) so a 4K wall draws them as sharply and as large as a 1080p one.
 */
import type { HourPoint } from '../../shared/protocol/events.js';
import type { GroupFigures } from '../../shared/protocol/payloads.js';

export type ChartOption = Record<string, unknown>;

export const PALETTE = {
  text: '#c8d6ee',
  muted: '#7f93b5',
  grid: 'rgba(127,147,181,0.18)',
  intake: '#3da5ff',
  resolved: '#35d49a',
  usual: '#c8d6ee',
  warn: '#ffb547',
  alert: '#ff5a5f',
  series: ['#3da5ff', '#35d49a', '#ffb547', '#b889ff', '#ff7eb6', '#5fe0e6', '#9fb3d1', '#ff8f5a'],
};

const hourLabel = (iso: string, lang: 'zh' | 'en') => `${String((new Date(iso).getUTCHours() + 8) % 24).padStart(2, '0')}${lang === 'en' ? ':00' : '时'}`;

/**
 * Intake (受理) and resolutions (办结) per hour, the last 24 hours, against the usual intake for that
 * hour of the week (a dashed line; absent without history).
 */
export function hourlyOption(hourly: readonly HourPoint[], unit: number, lang: 'zh' | 'en' = 'zh'): ChartOption {
  const names = lang === 'en' ? ['received', 'resolved', 'usual'] : ['受理', '办结', '往周同期'];
  const font = Math.round(unit * 1.5);
  return {
    animation: false, // a wall redraws once a second; an animation would repaint 4K every frame while it runs
    textStyle: { color: PALETTE.text, fontSize: font },
    legend: { top: 0, right: 0, textStyle: { color: PALETTE.text, fontSize: font }, itemWidth: font * 1.5, itemHeight: font * 0.8 },
    grid: { left: unit * 0.5, right: unit * 1, top: unit * 3.5, bottom: unit * 0.5, containLabel: true },
    xAxis: {
      type: 'category',
      data: hourly.map((p) => hourLabel(p.hour, lang)),
      axisLabel: { color: PALETTE.muted, fontSize: font, interval: 3 },
      axisLine: { lineStyle: { color: PALETTE.grid } },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: PALETTE.muted, fontSize: font }, splitLine: { lineStyle: { color: PALETTE.grid } } },
    series: [
      { name: names[0], type: 'bar', data: hourly.map((p) => p.received), itemStyle: { color: PALETTE.intake }, barGap: '10%' },
      { name: names[1], type: 'line', data: hourly.map((p) => p.resolved), itemStyle: { color: PALETTE.resolved }, lineStyle: { width: unit * 0.3 }, symbolSize: unit * 0.6 },
      {
        name: names[2],
        type: 'line',
        data: hourly.map((p) => p.usual),
        itemStyle: { color: PALETTE.usual },
        lineStyle: { width: unit * 0.25, type: 'dashed' },
        showSymbol: false,
        smooth: true,
      },
    ],
  };
}

/** The channel mix as a ring, largest first. */
export function channelOption(groups: readonly GroupFigures[], unit: number): ChartOption {
  const font = Math.round(unit * 1.5);
  return {
    animation: false, // a wall redraws once a second; an animation would repaint 4K every frame while it runs
    color: PALETTE.series,
    series: [
      {
        type: 'pie',
        radius: ['40%', '64%'],
        center: ['50%', '50%'],
        data: groups.map((g) => ({ name: g.name, value: g.received })),
        label: { color: PALETTE.text, fontSize: font, formatter: '{b}\n{c}' },
        labelLine: { length: unit, length2: unit },
      },
    ],
  };
}

/** A horizontal ranking of groups by received, with resolved beside it. */
export function rankingOption(groups: readonly GroupFigures[], unit: number, limit = 8): ChartOption {
  const font = Math.round(unit * 1.45);
  const top = groups.slice(0, limit).reverse();
  return {
    animation: false, // a wall redraws once a second; an animation would repaint 4K every frame while it runs
    grid: { left: unit * 0.5, right: unit * 4, top: unit * 0.5, bottom: unit * 0.5, containLabel: true },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: top.map((g) => g.name), axisLabel: { color: PALETTE.text, fontSize: font }, axisLine: { show: false }, axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        data: top.map((g) => g.received),
        itemStyle: { color: PALETTE.intake, borderRadius: unit * 0.3 },
        barWidth: '55%',
        barMaxWidth: unit * 2.5,
        label: { show: true, position: 'right', color: PALETTE.text, fontSize: font },
      },
    ],
  };
}
