import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chart, Overview } from './contract.js';
import { downsampleChart, downsampleEventTimeline, lttb } from './downsample.js';

interface Point {
  x: number;
  y: number;
}

const byX = (p: Point) => p.x;
const byY = (p: Point) => p.y;

function flatWithSpike(length: number, spikeAt: number, spike: number): Point[] {
  return Array.from({ length }, (_, x) => ({ x, y: x === spikeAt ? spike : Math.sin(x / 50) }));
}

describe('lttb', () => {
  it('keeps the first and last points and the extreme spike of a 100k-point series', () => {
    const series = flatWithSpike(100_000, 61_234, 1e6);
    const kept = lttb(series, 2000, byX, byY);
    expect(kept).toHaveLength(2000);
    expect(kept[0]).toBe(series[0]);
    expect(kept.at(-1)).toBe(series.at(-1));
    expect(kept).toContain(series[61_234]);
  });

  it('keeps a downward spike as well', () => {
    const series = flatWithSpike(10_000, 4321, -1e6);
    expect(lttb(series, 100, byX, byY)).toContain(series[4321]);
  });

  it('returns a short series whole', () => {
    const series = flatWithSpike(10, 3, 5);
    expect(lttb(series, 100, byX, byY)).toEqual(series);
  });

  it('refuses a budget too small to hold both ends and anything between', () => {
    expect(() => lttb(flatWithSpike(10, 3, 5), 2, byX, byY)).toThrow(/at least 3/);
  });

  it('always returns at most the budget, a subsequence in order, with both ends', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 3, max: 120 }), (ys, budget) => {
        const series = ys.map((y, x) => ({ x, y }));
        const kept = lttb(series, budget, byX, byY);
        expect(kept.length).toBe(Math.min(budget, series.length));
        expect(kept[0]).toBe(series[0]);
        expect(kept.at(-1)).toBe(series.at(-1));
        const xs = kept.map(byX);
        expect(xs).toEqual([...new Set(xs)].sort((a, b) => a - b));
      }),
    );
  });
});

describe('downsampleChart', () => {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const iso = (i: number) => new Date(start + i * 1000).toISOString();

  it('cuts [time, value] series to the budget and keeps the spike', () => {
    const data = Array.from({ length: 50_000 }, (_, i) => [iso(i), i === 30_000 ? 999 : 1] as [string, number]);
    const chart: Chart = { title: 'latency', option: { xAxis: { type: 'time' }, series: [{ type: 'line', data }] } };
    const cut = (downsampleChart(chart, 500).option.series as { data: unknown[] }[])[0]!.data;
    expect(cut).toHaveLength(500);
    expect(cut).toContainEqual([iso(30_000), 999]);
    expect(cut[0]).toEqual(data[0]);
    expect(cut.at(-1)).toEqual(data.at(-1));
  });

  it('leaves category data (plain values lined up with axis labels) and short series as they are', () => {
    const categories = Array.from({ length: 5000 }, (_, i) => i);
    const chart: Chart = { title: 'c', option: { series: [{ type: 'bar', data: categories }, { type: 'line', data: [[iso(0), 1]] }] } };
    const series = downsampleChart(chart, 100).option.series as { data: unknown[] }[];
    expect(series[0]!.data).toHaveLength(5000);
    expect(series[1]!.data).toHaveLength(1);
  });
});

describe('downsampleEventTimeline', () => {
  it('keeps every kind of each chosen bucket, including the busiest bucket', () => {
    const timeline: Overview['event_timeline'] = [];
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let minute = 0; minute < 10_000; minute += 1) {
      const bucket = new Date(start + minute * 60_000).toISOString();
      timeline.push({ bucket, kind: 'timeout', count: minute === 7777 ? 500 : 1 });
      timeline.push({ bucket, kind: 'retry', count: 2 });
    }
    const cut = downsampleEventTimeline(timeline, 400);
    const buckets = new Set(cut.map((row) => row.bucket));
    expect(buckets.size).toBe(200);
    expect(cut).toHaveLength(400);
    expect(buckets.has(new Date(start + 7777 * 60_000).toISOString())).toBe(true);
  });
});
