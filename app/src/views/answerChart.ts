import type { ChartOption } from '../components/EChart.js';

type Axis = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Axis names sit at the top of their axis, growing inward, so two long names do not collide. */
function styleYAxes(yAxis: unknown): unknown {
  const axes = Array.isArray(yAxis) ? yAxis : [yAxis];
  const styled = axes.map((axis: unknown, index) => {
    if (!isRecord(axis) || typeof axis.name !== 'string' || axis.nameTextStyle) return axis;
    const onRight = axis.position === 'right' || (axis.position === undefined && index === 1);
    return { ...axis, nameTextStyle: { fontSize: 10, align: onRight ? 'right' : 'left' } } satisfies Axis;
  });
  return Array.isArray(yAxis) ? styled : styled[0];
}

/**
 * The backend builds complete ECharts options; the UI fits them to its figures: the caption shows
 * the title (so the option's own is dropped), times read in UTC, and a layout is supplied where
 * the option leaves it to ECharts' defaults, which crowd legends and axis names into each other.
 */
export function answerChartOption(option: Record<string, unknown>): ChartOption {
  const { title: _title, ...rest } = option;
  const fitted: Record<string, unknown> = { useUTC: true, ...rest };
  if (!('grid' in rest)) fitted.grid = { top: 36, left: 12, right: 12, bottom: 'legend' in rest ? 36 : 12, containLabel: true };
  if (isRecord(rest.legend) && !('top' in rest.legend) && !('bottom' in rest.legend)) {
    fitted.legend = { type: 'scroll', bottom: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 }, ...rest.legend };
  }
  if ('yAxis' in rest) fitted.yAxis = styleYAxes(rest.yAxis);
  if (!('tooltip' in rest) && 'xAxis' in rest) fitted.tooltip = { trigger: 'axis' };
  return fitted;
}
