import { z } from 'zod';
import type { BreakerState, BreakerTimeline, Chart, ResilienceKind } from '../../api/contract.js';
import { breakerTimelines } from '../../analysis/breakers.js';
import { eventRateSeries, metricSeries } from '../../analysis/index.js';
import { toNsWindow } from '../../analysis/window.js';
import { toolDescription } from '../prompts.js';
import { defineTool, ToolInputError, windowArgs, windowOf } from './defineTool.js';

const MAX_POINTS = 300;
const MAX_SERIES = 12;

const RESILIENCE_KINDS = [
  'timeout', 'deadline_exceeded', 'cancelled', 'unavailable', 'breaker_transition', 'breaker_rejected', 'retry',
  'fallback', 'rate_limited', 'overflow', 'gc_pause', 'pool_wait', 'error',
] as const satisfies readonly ResilienceKind[];

const source = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('sql'),
      sql: z.string().min(1).max(8000).describe('One read-only SELECT or WITH query.'),
      x: z.string().min(1).describe('Column for the horizontal axis.'),
      y: z.array(z.string().min(1)).min(1).max(4).describe('Numeric columns to plot.'),
      series: z.string().min(1).optional().describe('Column whose values split rows into separate lines.'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('metric'),
      name: z.string().min(1).optional().describe('Exact metric name.'),
      name_like: z.string().min(1).optional().describe('SQL LIKE pattern on the metric name, e.g. "%gc%".'),
      service: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('event_rate'),
      service: z.string().min(1).optional(),
      peer: z.string().min(1).optional(),
      kinds: z.array(z.enum(RESILIENCE_KINDS)).min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('breaker'),
      service: z.string().min(1).optional().describe('Only breakers in this service or protecting calls to it.'),
    })
    .strict(),
]);

const CHART_TYPES = ['line', 'bar', 'heatmap', 'breaker_timeline'] as const;
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half-open', 'open'];

interface Line {
  name: string;
  points: [string | number, number | null][];
  ref?: string;
}

export const makeChartTool = defineTool({
  name: 'make_chart',
  description: toolDescription('make_chart', { max_points: MAX_POINTS }),
  parameters: z
    .object({
      title: z.string().min(1).max(120),
      chart_type: z.enum(CHART_TYPES).default('line'),
      source: source.describe('Where the numbers come from: a SQL query, metric series, resilience event rates, or circuit breakers.'),
      ...windowArgs,
    })
    .strict(),
  async run(args, ctx) {
    const window = windowOf(args);
    if ((args.chart_type === 'breaker_timeline') !== (args.source.kind === 'breaker')) {
      throw new ToolInputError('a breaker_timeline chart draws a "breaker" source, and a "breaker" source is drawn as a breaker_timeline');
    }
    if (args.source.kind === 'breaker') {
      const wanted = args.source.service;
      const timelines = (await ctx.store.withRead((reader) => breakerTimelines(reader, window ? toNsWindow(window) : undefined)))
        .filter((t) => !wanted || t.service === wanted || t.protects === wanted)
        .slice(0, MAX_SERIES);
      if (timelines.length === 0) throw new ToolInputError('no circuit breaker changed state here; check breaker_timeline first');
      const chart = breakerTimelineChart(args.title, timelines, window?.to ?? null);
      ctx.artifacts.charts.push(chart);
      return {
        chart: args.title,
        shown_to_user: true,
        breakers: timelines.map((t) => ({ service: t.service, breaker: t.breaker, openings: t.transitions.filter((tr) => tr.to === 'open').length })),
      };
    }
    let lines: Line[];
    let timeAxis = true;
    const spec = args.source;
    if (spec.kind === 'metric') {
      if (!spec.name && !spec.name_like) throw new ToolInputError('give the metric "name" or a "name_like" pattern');
      const series = await metricSeries(ctx.store, { name: spec.name, nameLike: spec.name_like, service: spec.service, window, maxPoints: MAX_POINTS });
      lines = series.map((s) => ({ name: [s.service, s.name, labelText(s.labels)].filter(Boolean).join(' '), points: s.points.map((p) => [p.ts, p.value]), ref: `series:${s.name}{${labelText(s.labels)}}` }));
    } else if (spec.kind === 'event_rate') {
      const rate = await eventRateSeries(ctx.store, { service: spec.service, peer: spec.peer, kinds: spec.kinds, window });
      const name = [spec.service, spec.peer && `→ ${spec.peer}`, spec.kinds?.join('/') ?? 'events'].filter(Boolean).join(' ');
      lines = [{ name, points: rate.slice(0, MAX_POINTS).map((p) => [p.ts, p.count]) }];
    } else {
      const result = await ctx.guardedSql(spec.sql);
      const built = linesFromRows(result.columns, result.rows, spec);
      lines = built.lines;
      timeAxis = built.timeAxis;
    }
    if (lines.length === 0 || lines.every((line) => line.points.length === 0)) throw new ToolInputError('no data for this chart; check the names with another tool first');
    const shown = lines.slice(0, MAX_SERIES);
    const chart = args.chart_type === 'heatmap' ? heatmapChart(args.title, shown, timeAxis) : buildChart(args.title, args.chart_type === 'bar' ? 'bar' : 'line', shown, timeAxis);
    ctx.artifacts.charts.push(chart);
    return {
      chart: args.title,
      shown_to_user: true,
      series: shown.map((line) => {
        const values = line.points.map(([, v]) => v).filter((v): v is number => v !== null);
        return { name: line.name, ref: line.ref, points: line.points.length, min: values.length ? Math.min(...values) : null, max: values.length ? Math.max(...values) : null };
      }),
      series_omitted: lines.length - shown.length,
    };
  },
});

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
}

function linesFromRows(columns: string[], rows: unknown[][], spec: { x: string; y: string[]; series?: string | undefined }): { lines: Line[]; timeAxis: boolean } {
  const index = (name: string) => {
    const at = columns.indexOf(name);
    if (at < 0) throw new ToolInputError(`the query has no column "${name}"; its columns are ${columns.join(', ')}`);
    return at;
  };
  const xAt = index(spec.x);
  const yAt = spec.y.map(index);
  const seriesAt = spec.series ? index(spec.series) : null;
  const xs = rows.slice(0, MAX_POINTS).map((row) => toAxisValue(row[xAt]));
  const timeAxis = xs.length > 0 && xs.every((x) => typeof x === 'string' && !Number.isNaN(Date.parse(x)));
  const byName = new Map<string, Line>();
  rows.slice(0, MAX_POINTS).forEach((row, i) => {
    for (const [k, at] of yAt.entries()) {
      const group = seriesAt === null ? '' : String(row[seriesAt]);
      const name = [group, spec.y.length > 1 || seriesAt === null ? spec.y[k] : ''].filter(Boolean).join(' ');
      const line = byName.get(name) ?? { name, points: [] };
      const value = Number(row[at]);
      line.points.push([xs[i]!, row[at] === null || Number.isNaN(value) ? null : value]);
      byName.set(name, line);
    }
  });
  return { lines: [...byName.values()], timeAxis };
}

/** Nanosecond and millisecond epoch numbers become ISO times so the axis reads as time. */
function toAxisValue(value: unknown): string | number {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{16,19}$/.test(value))) {
    const n = Number(value);
    if (n > 1e17) return new Date(n / 1e6).toISOString();
    if (n > 1e12 && n < 1e14) return new Date(n).toISOString();
    return n;
  }
  return String(value);
}

function buildChart(title: string, type: 'line' | 'bar', lines: Line[], timeAxis: boolean): Chart {
  const categories = timeAxis ? null : [...new Set(lines.flatMap((line) => line.points.map(([x]) => x)))];
  return {
    title,
    option: {
      title: { text: title },
      tooltip: { trigger: 'axis' },
      legend: { data: lines.map((line) => line.name) },
      xAxis: categories ? { type: 'category', data: categories } : { type: 'time' },
      yAxis: { type: 'value', scale: true },
      series: lines.map((line) => ({
        name: line.name,
        type,
        showSymbol: false,
        data: categories ? categories.map((x) => line.points.find(([px]) => px === x)?.[1] ?? null) : line.points,
      })),
    },
  };
}

/** One row per series, one column per x value, the value as colour: where and when it ran hot. */
function heatmapChart(title: string, lines: Line[], timeAxis: boolean): Chart {
  const seen = [...new Set(lines.flatMap((line) => line.points.map(([x]) => x)))];
  const xs = timeAxis ? seen.sort((a, b) => Date.parse(String(a)) - Date.parse(String(b))) : seen;
  const column = new Map(xs.map((x, i) => [x, i]));
  const data = lines.flatMap((line, row) => line.points.filter(([, v]) => v !== null).map(([x, v]) => [column.get(x)!, row, v as number]));
  const values = data.map(([, , v]) => v!);
  return {
    title,
    option: {
      title: { text: title },
      tooltip: { position: 'top' },
      grid: { left: 140, right: 24, bottom: 64 },
      xAxis: { type: 'category', data: xs, splitArea: { show: true } },
      yAxis: { type: 'category', data: lines.map((line) => line.name), splitArea: { show: true } },
      visualMap: { min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
      series: [{ name: title, type: 'heatmap', data }],
    },
  };
}

/** Each breaker's state as a step line over time, its open intervals shaded. */
function breakerTimelineChart(title: string, timelines: readonly BreakerTimeline[], until: string | null): Chart {
  return {
    title,
    option: {
      title: { text: title },
      tooltip: { trigger: 'axis' },
      legend: { data: timelines.map((t) => `${t.service}/${t.breaker}`) },
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: BREAKER_STATES },
      series: timelines.map((t) => {
        const first = t.transitions[0];
        const last = t.transitions[t.transitions.length - 1];
        const points: [string, BreakerState][] = [
          ...(first ? [[first.at, first.from] as [string, BreakerState]] : []),
          ...t.transitions.map((tr) => [tr.at, tr.to] as [string, BreakerState]),
          ...(last && until && Date.parse(until) > Date.parse(last.at) ? [[until, last.to] as [string, BreakerState]] : []),
        ];
        const opened = t.transitions.flatMap((tr, i) => (tr.to === 'open' ? [[{ xAxis: tr.at }, { xAxis: t.transitions[i + 1]?.at ?? until ?? tr.at }]] : []));
        return {
          name: `${t.service}/${t.breaker}`,
          type: 'line',
          step: 'end',
          showSymbol: false,
          data: points,
          markArea: { silent: true, itemStyle: { opacity: 0.15 }, data: opened },
        };
      }),
    },
  };
}
