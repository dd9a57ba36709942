/** The wall's chart options are pure functions of the stream's state (issue 4: unit tests for the option builders). */
import { describe, expect, it } from 'vitest';
import type { GroupFigures } from '../../shared/protocol/payloads.js';
import { channelOption, hourlyOption, rankingOption } from './chart-options.js';

const group = (key: string, received: number): GroupFigures => ({ key, name: `名${key}`, received, resolved: 0, resolutionRate: 0, onTimeRate: null, satisfactionRate: null, open: received });

describe('chart options', () => {
  it('hourly: one bar and one point per hour, labelled in Shanghai hours, with the usual for the weekday', () => {
    const hourly = [
      { hour: '2026-11-23T16:00:00.000Z', received: 3, resolved: 1, usual: null },
      { hour: '2026-11-23T17:00:00.000Z', received: 5, resolved: 2, usual: 4.5 },
    ];
    const option = hourlyOption(hourly, 10) as any;
    expect(option.xAxis.data).toEqual(['00时', '01时']);
    expect(option.series[0].data).toEqual([3, 5]);
    expect(option.series[1].data).toEqual([1, 2]);
    expect(option.series[2]).toMatchObject({ name: '往周同期', data: [null, 4.5], lineStyle: { type: 'dashed' } });
    expect(hourlyOption(hourly, 20, 'en').series).toMatchObject([{ name: 'received' }, { name: 'resolved' }, { name: 'usual' }]);
    expect((hourlyOption(hourly, 20) as any).textStyle.fontSize).toBe(30); // scales with the screen
  });

  it('channel mix: a slice per channel with its count', () => {
    const option = channelOption([group('app', 7), group('grid', 2)], 10) as any;
    expect(option.series[0].data).toEqual([{ name: '名app', value: 7 }, { name: '名grid', value: 2 }]);
  });

  it('ranking: the top groups, largest at the top of the chart', () => {
    const option = rankingOption([group('a', 9), group('b', 5), group('c', 1)], 10, 2) as any;
    expect(option.yAxis.data).toEqual(['名b', '名a']);
    expect(option.series[0].data).toEqual([5, 9]);
  });
});
