/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): keeps the shape of a long series in a fixed
 * number of points. The backend applies it before a series crosses the contract, so a chart of a
 * 100k-point series never hands the renderer more than a chart can show.
 */
import type { Chart, Overview } from './contract.js';

/** More points than a chart a few hundred pixels wide can show apart. */
export const CHART_POINT_BUDGET = 2000;

/**
 * At most `budget` of `points`, in their order: the first and the last always, and from each of the
 * budget - 2 equal buckets between them the point making the largest triangle with the point kept
 * before it and the average of the next bucket, which is how a lone spike survives.
 */
export function lttb<T>(points: readonly T[], budget: number, x: (point: T) => number, y: (point: T) => number): T[] {
  const size = Math.floor(budget);
  if (!(size >= 3)) throw new RangeError(`an LTTB budget must be at least 3 points, got ${budget}`);
  if (points.length <= size) return [...points];
  const xs = points.map(x);
  const ys = points.map((point) => finiteOrZero(y(point)));
  const kept: T[] = [points[0]!];
  const bucketSize = (points.length - 2) / (size - 2);
  let previous = 0;
  for (let bucket = 0; bucket < size - 2; bucket += 1) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, points.length);
    let averageX = 0;
    let averageY = 0;
    for (let i = nextStart; i < nextEnd; i += 1) {
      averageX += xs[i]!;
      averageY += ys[i]!;
    }
    const nextCount = nextEnd - nextStart;
    averageX /= nextCount;
    averageY /= nextCount;
    let bestArea = -1;
    let best = start;
    for (let i = start; i < end; i += 1) {
      const area = Math.abs((xs[previous]! - averageX) * (ys[i]! - ys[previous]!) - (xs[previous]! - xs[i]!) * (averageY - ys[previous]!));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    kept.push(points[best]!);
    previous = best;
  }
  kept.push(points[points.length - 1]!);
  return kept;
}

function finiteOrZero(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** A time axis value as epoch milliseconds: numbers as they are, strings parsed as instants. */
function timeOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

type PairPoint = [unknown, unknown, ...unknown[]] | { value: [unknown, unknown, ...unknown[]] };

function pairOf(point: unknown): [unknown, unknown] | null {
  const value = typeof point === 'object' && point !== null && !Array.isArray(point) && 'value' in point ? (point as { value: unknown }).value : point;
  return Array.isArray(value) && value.length >= 2 ? [value[0], value[1]] : null;
}

/** The series' data downsampled when every point is an (x, y) pair with a numeric or time x; other data is left alone. */
function downsampledData(data: unknown, budget: number): unknown {
  if (!Array.isArray(data) || data.length <= budget) return data;
  const pairs = data.map(pairOf);
  if (pairs.some((pair) => pair === null || Number.isNaN(timeOf(pair[0])))) return data;
  const indexes = lttb(
    data.map((_, index) => index),
    budget,
    (index) => timeOf(pairs[index]![0]),
    (index) => Number(pairs[index]![1]),
  );
  return indexes.map((index) => data[index] as PairPoint);
}

/** An answer chart with each (x, y) series cut to the budget; category-axis data keeps its points, since its labels line up by index. */
export function downsampleChart(chart: Chart, budget = CHART_POINT_BUDGET): Chart {
  const series = chart.option.series;
  if (!Array.isArray(series)) return chart;
  const cut = series.map((entry: unknown) =>
    typeof entry === 'object' && entry !== null && 'data' in entry ? { ...entry, data: downsampledData((entry as { data: unknown }).data, budget) } : entry,
  );
  return { ...chart, option: { ...chart.option, series: cut } };
}

/**
 * The overview's stacked event timeline: buckets chosen by LTTB over the total per bucket, every
 * kind kept for a chosen bucket so the stacks stay aligned; about `budget` bars in all.
 */
export function downsampleEventTimeline(timeline: Overview['event_timeline'], budget = CHART_POINT_BUDGET): Overview['event_timeline'] {
  const totals = new Map<string, number>();
  for (const row of timeline) totals.set(row.bucket, (totals.get(row.bucket) ?? 0) + row.count);
  const kinds = new Set(timeline.map((row) => row.kind)).size;
  const bucketBudget = Math.max(3, Math.floor(budget / Math.max(1, kinds)));
  if (totals.size <= bucketBudget) return timeline;
  const buckets = [...totals.entries()].sort(([a], [b]) => Date.parse(a) - Date.parse(b));
  const chosen = new Set(lttb(buckets, bucketBudget, ([bucket]) => Date.parse(bucket), ([, total]) => total).map(([bucket]) => bucket));
  return timeline.filter((row) => chosen.has(row.bucket));
}
