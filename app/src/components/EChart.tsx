import { lazy, Suspense } from 'react';
import type { EChartProps } from './EChartCanvas.js';

export type { ChartOption } from './EChartCanvas.js';

// ECharts is most of the app's code: loaded on the first chart, so that a view without charts (a
// trace opened from a link) starts without parsing it.
const EChartCanvas = lazy(() => import('./EChartCanvas.js').then((module) => ({ default: module.EChartCanvas })));

/** A chart; until ECharts has loaded, an empty box of the chart's height. */
export function EChart(props: EChartProps) {
  return (
    <Suspense fallback={<div className="echart" style={{ height: props.height }} />}>
      <EChartCanvas {...props} />
    </Suspense>
  );
}
