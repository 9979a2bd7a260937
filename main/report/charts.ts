import type * as ECharts from 'echarts';
import type { BreakerState, BreakerTimeline, TimeWindow } from '../api/contract.js';
import type { ReportLabels } from './labels.js';
import { stateLabel } from './timeline.js';
import { onFirstUse } from '../packages.js';

export const CHART_WIDTH = 880;

const breakerColors: Record<BreakerState, string> = { closed: '#2f9e44', 'half-open': '#f08c00', open: '#e03131' };

type Option = Record<string, unknown>;

/** ECharts, loaded with the first chart drawn: it takes ~0.2 s, and most commands never draw one. */
const echarts = onFirstUse<typeof ECharts>('echarts');

/**
 * Draws one ECharts option to an SVG string in this process (no DOM, no browser). Animation is
 * off: a report is a still picture, and SSR would otherwise capture the first frame.
 * Images are dropped, so an option cannot make the report load anything from elsewhere.
 */
export function renderSvg(option: Option, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString().replace(/<image\b[^>]*?(\/>|>[\s\S]*?<\/image>)/g, '');
  } finally {
    chart.dispose();
  }
}

interface Segment {
  row: number;
  startMs: number;
  endMs: number;
  state: BreakerState;
}

function segmentsOf(breaker: BreakerTimeline, row: number, window: TimeWindow): Segment[] {
  const transitions = [...breaker.transitions].sort((a, b) => a.at.localeCompare(b.at));
  const windowStart = Date.parse(window.from);
  const windowEnd = Date.parse(window.to);
  const first = transitions[0];
  if (!first) return [{ row, startMs: windowStart, endMs: windowEnd, state: 'closed' }];
  const segments: Segment[] = [];
  let start = Math.min(windowStart, Date.parse(first.at));
  let state = first.from;
  for (const transition of transitions) {
    const at = Date.parse(transition.at);
    if (at > start) segments.push({ row, startMs: start, endMs: at, state });
    start = at;
    state = transition.to;
  }
  segments.push({ row, startMs: start, endMs: Math.max(windowEnd, start), state });
  return segments;
}

export function breakerChartHeight(breakers: number): number {
  return 64 + 40 * breakers;
}

interface RenderApi {
  value(dim: number): number;
  coord(point: number[]): number[];
  size(size: number[]): number[];
  style(): Record<string, unknown>;
}

/** One row per breaker, coloured by state across the incident window, as the overview draws it. */
export function breakerChartOption(breakers: BreakerTimeline[], window: TimeWindow, labels: ReportLabels): Option {
  const segments = breakers.flatMap((breaker, row) => segmentsOf(breaker, row, window));
  const states: BreakerState[] = ['closed', 'half-open', 'open'];
  return {
    useUTC: true,
    grid: { left: 12, right: 16, top: 28, bottom: 24, containLabel: true },
    legend: { top: 0, left: 0, icon: 'rect', itemWidth: 12, itemHeight: 10, data: states.map((state) => stateLabel(state, labels)) },
    xAxis: {
      type: 'time',
      min: Math.min(...segments.map((segment) => segment.startMs)),
      max: Math.max(...segments.map((segment) => segment.endMs)),
      axisLabel: { fontSize: 10, color: '#5c6370', hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: '#eef0f3' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: breakers.map((breaker) => `${breaker.service} / ${breaker.breaker}`),
      axisLabel: { fontSize: 11, color: '#1f2329' },
      axisTick: { show: false },
    },
    // One (empty) series per state only feeds the legend its colours; the custom series draws.
    series: [
      ...states.map((state) => ({ name: stateLabel(state, labels), type: 'line', data: [], itemStyle: { color: breakerColors[state] } })),
      {
        type: 'custom',
        encode: { x: [0, 1], y: 2 },
        renderItem: (_params: unknown, api: RenderApi) => {
          const start = api.coord([api.value(0), api.value(2)]);
          const end = api.coord([api.value(1), api.value(2)]);
          const height = (api.size([0, 1])[1] ?? 20) * 0.7;
          const x = start[0] ?? 0;
          return { type: 'rect', shape: { x, y: (start[1] ?? 0) - height / 2, width: Math.max(1, (end[0] ?? x) - x), height }, style: api.style() };
        },
        data: segments.map((segment) => ({ value: [segment.startMs, segment.endMs, segment.row], itemStyle: { color: breakerColors[segment.state] } })),
      },
    ],
  };
}

function isRecord(value: unknown): value is Option {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An answer's chart as the report shows it: its title goes to the caption, times read in UTC, a layout where the option leaves it open. */
export function answerChartOption(option: Option): Option {
  const { title: _title, ...rest } = option;
  const fitted: Option = { useUTC: true, ...rest };
  if (!('grid' in rest)) fitted.grid = { top: 36, left: 12, right: 16, bottom: 'legend' in rest ? 40 : 12, containLabel: true };
  if (isRecord(rest.legend) && !('top' in rest.legend) && !('bottom' in rest.legend)) fitted.legend = { bottom: 0, ...rest.legend };
  return fitted;
}
