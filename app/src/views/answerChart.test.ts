import { describe, expect, it } from 'vitest';
import { answerChartOption } from './answerChart.js';

describe('answerChartOption', () => {
  const option = {
    title: { text: 'latency vs timeouts' },
    legend: { data: ['a', 'b'] },
    xAxis: { type: 'time' },
    yAxis: [
      { type: 'value', name: 'left name' },
      { type: 'value', name: 'right name', position: 'right' },
    ],
    series: [],
  };

  it('drops the title, reads time in UTC and lays out legend and axis names', () => {
    const fitted = answerChartOption(option) as Record<string, unknown>;
    expect(fitted.title).toBeUndefined();
    expect(fitted.useUTC).toBe(true);
    expect(fitted.grid).toMatchObject({ containLabel: true });
    expect(fitted.legend).toMatchObject({ bottom: 0, data: ['a', 'b'] });
    const [left, right] = fitted.yAxis as { nameTextStyle: { align: string } }[];
    expect(left?.nameTextStyle.align).toBe('left');
    expect(right?.nameTextStyle.align).toBe('right');
    expect(fitted.tooltip).toEqual({ trigger: 'axis' });
  });

  it('keeps the layout an option already chose', () => {
    const fitted = answerChartOption({ ...option, grid: { top: 5 }, legend: { top: 3 }, tooltip: { trigger: 'item' }, yAxis: { name: 'n', nameTextStyle: { fontSize: 14 } } }) as Record<string, unknown>;
    expect(fitted.grid).toEqual({ top: 5 });
    expect(fitted.legend).toEqual({ top: 3 });
    expect(fitted.tooltip).toEqual({ trigger: 'item' });
    expect(fitted.yAxis).toEqual({ name: 'n', nameTextStyle: { fontSize: 14 } });
  });
});
