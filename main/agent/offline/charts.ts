import type { BreakerState, Chart, SeriesPoint } from '../../api/contract.js';
import type { BreakerStory } from './incident.js';

const OPEN_AREA_COLOR = 'rgba(220, 60, 60, 0.12)';

export interface LineInput {
  name: string;
  points: SeriesPoint[];
}

function lineSeries(input: LineInput, yAxisIndex: number): Record<string, unknown> {
  return {
    name: input.name,
    type: 'line',
    yAxisIndex,
    showSymbol: false,
    data: input.points.map((p) => [p.ts, p.value]),
  };
}

/**
 * The culprit's strongest metric beside the caller's timeout rate on one time axis, each on its own
 * y-axis, with the breaker's open intervals shaded: the picture of cause, symptom and defence at once.
 */
export function symptomChart(args: {
  title: string;
  metric: LineInput | null;
  rate: LineInput | null;
  openIntervals: [string, string][];
  openLabel: string;
}): Chart {
  const lines = [args.metric, args.rate].filter((l): l is LineInput => l !== null);
  const series = lines.map((line, i) => lineSeries(line, i));
  const shaded = series.at(-1);
  if (shaded && args.openIntervals.length > 0) {
    shaded.markArea = {
      itemStyle: { color: OPEN_AREA_COLOR },
      data: args.openIntervals.map(([from, to]) => [{ name: args.openLabel, xAxis: from }, { xAxis: to }]),
    };
  }
  return {
    title: args.title,
    option: {
      title: { text: args.title },
      tooltip: { trigger: 'axis' },
      legend: { data: lines.map((l) => l.name) },
      xAxis: { type: 'time' },
      yAxis: lines.map((line, i) => ({ type: 'value', name: line.name, position: i === 0 ? 'left' : 'right', scale: true })),
      series,
    },
  };
}

const STATES: BreakerState[] = ['closed', 'half-open', 'open'];

/** One stepped line per breaker over the states closed / half-open / open. */
export function breakerChart(args: { title: string; breakers: BreakerStory[]; window: { from: string; to: string } }): Chart {
  const series = args.breakers.map((b) => {
    const sorted = b.transitions;
    const initial = sorted[0]?.from ?? 'closed';
    const data: [string, BreakerState][] = [[args.window.from, initial], ...sorted.map((t): [string, BreakerState] => [t.at, t.to])];
    data.push([args.window.to, sorted.at(-1)?.to ?? initial]);
    return {
      name: `${b.service} / ${b.breaker}`,
      type: 'line',
      step: 'end',
      showSymbol: false,
      data,
      markArea: {
        itemStyle: { color: OPEN_AREA_COLOR },
        data: b.openIntervals.map(([from, to]) => [{ xAxis: from }, { xAxis: to }]),
      },
    };
  });
  return {
    title: args.title,
    option: {
      title: { text: args.title },
      tooltip: { trigger: 'axis' },
      legend: { data: series.map((s) => s.name) },
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: STATES },
      series,
    },
  };
}

/** Side-by-side bars: each measure before the incident and during it. */
export function compareChart(args: { title: string; beforeLabel: string; duringLabel: string; rows: { label: string; before: number; during: number }[] }): Chart {
  return {
    title: args.title,
    option: {
      title: { text: args.title },
      tooltip: { trigger: 'axis' },
      legend: { data: [args.beforeLabel, args.duringLabel] },
      xAxis: { type: 'category', data: args.rows.map((r) => r.label) },
      yAxis: { type: 'value' },
      series: [
        { name: args.beforeLabel, type: 'bar', data: args.rows.map((r) => r.before) },
        { name: args.duringLabel, type: 'bar', data: args.rows.map((r) => r.during) },
      ],
    },
  };
}
