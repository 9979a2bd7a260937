import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import * as charts from 'echarts/charts';
import * as components from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useChartTheme } from './ChartTheme.js';
import { chartPalettes, echartsTheme } from './chartTheme.js';

// The chart types the overview and the agent's make-chart tool produce, named once: the bundler
// keeps only the members of the namespaces that are read here.
echarts.use([
  charts.BarChart,
  charts.CustomChart,
  charts.GraphChart,
  charts.HeatmapChart,
  charts.LineChart,
  charts.PieChart,
  charts.ScatterChart,
  components.AriaComponent,
  components.DatasetComponent,
  components.DataZoomComponent,
  components.GridComponent,
  components.LegendComponent,
  components.MarkAreaComponent,
  components.MarkLineComponent,
  components.TitleComponent,
  components.TooltipComponent,
  components.VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

for (const [theme, palette] of Object.entries(chartPalettes)) echarts.registerTheme(`causeway-${theme}`, echartsTheme(palette));

export interface EChartProps {
  option: ChartOption;
  height: number;
  /** Fired with the data item's value when a series item is clicked. */
  onItemClick?(params: { seriesIndex?: number; dataIndex: number; data: unknown }): void;
}

const baseTextStyle = { fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif', fontSize: 11 };

function withDefaults(option: ChartOption): ChartOption {
  return { textStyle: baseTextStyle, animation: false, aria: { enabled: true }, ...option };
}

/** One ECharts instance bound to a div: created once, given new options, resized with its box. */
export function EChartCanvas({ option, height, onItemClick }: EChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickHandler = useRef(onItemClick);
  clickHandler.current = onItemClick;
  const theme = useChartTheme();
  const shown = useRef(option);
  shown.current = option;

  // A theme is fixed when ECharts creates an instance, so a theme change creates a new one.
  useEffect(() => {
    const host = element.current;
    if (!host) return;
    const instance = echarts.init(host, `causeway-${theme}`, { renderer: 'svg' });
    instance.setOption(withDefaults(shown.current), { notMerge: true });
    chart.current = instance;
    instance.on('click', (params) => clickHandler.current?.(params as { seriesIndex?: number; dataIndex: number; data: unknown }));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(host);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption(withDefaults(option), { notMerge: true });
  }, [option]);

  return <div ref={element} className="echart" style={{ height }} />;
}
