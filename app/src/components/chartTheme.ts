import type { Theme } from '../state/theme.js';

/** The colours charts are drawn with, per UI theme; ECharts gets them as a registered theme. */
export interface ChartPalette {
  text: string;
  muted: string;
  axisLine: string;
  splitLine: string;
  tooltipBackground: string;
  tooltipBorder: string;
  series: string[];
  /** Health: fine, degraded, failing, and the ranked root cause; breakers and edges use the same scale. */
  ok: string;
  warn: string;
  bad: string;
  rootCause: string;
  quiet: string;
}

export const chartPalettes: Record<Theme, ChartPalette> = {
  light: {
    text: '#1f2329',
    muted: '#5c6370',
    axisLine: '#c9ced6',
    splitLine: '#eef0f3',
    tooltipBackground: '#ffffff',
    tooltipBorder: '#dfe2e7',
    series: ['#e03131', '#d9730d', '#1971c2', '#7048e8', '#2f9e44', '#0c8599', '#c2255c', '#5c940d', '#868e96'],
    ok: '#2f9e44',
    warn: '#d9730d',
    bad: '#e03131',
    rootCause: '#a61e4d',
    quiet: '#adb5bd',
  },
  dark: {
    text: '#e3e7ee',
    muted: '#a6afbd',
    axisLine: '#4a5366',
    splitLine: '#2a3140',
    tooltipBackground: '#1f2532',
    tooltipBorder: '#3a4356',
    // Lighter shades of the same hues: the light theme's reds and blues sink into a dark panel.
    series: ['#ff8787', '#ffa94d', '#74c0fc', '#b197fc', '#69db7c', '#66d9e8', '#f783ac', '#a9e34b', '#ced4da'],
    ok: '#51cf66',
    warn: '#ffa94d',
    bad: '#ff6b6b',
    rootCause: '#f06595',
    quiet: '#5c6577',
  },
};

/** An ECharts theme object: axes, labels, split lines, legend, tooltip and series colours. */
export function echartsTheme(palette: ChartPalette): Record<string, unknown> {
  const axis = {
    axisLine: { lineStyle: { color: palette.axisLine } },
    axisTick: { lineStyle: { color: palette.axisLine } },
    axisLabel: { color: palette.muted },
    splitLine: { lineStyle: { color: [palette.splitLine] } },
    nameTextStyle: { color: palette.muted },
  };
  return {
    color: palette.series,
    backgroundColor: 'transparent',
    textStyle: { color: palette.text },
    title: { textStyle: { color: palette.text }, subtextStyle: { color: palette.muted } },
    legend: { textStyle: { color: palette.text }, pageTextStyle: { color: palette.muted }, pageIconColor: palette.text, pageIconInactiveColor: palette.quiet },
    tooltip: { backgroundColor: palette.tooltipBackground, borderColor: palette.tooltipBorder, textStyle: { color: palette.text } },
    categoryAxis: axis,
    valueAxis: axis,
    timeAxis: axis,
    logAxis: axis,
    graph: { label: { color: palette.text }, lineStyle: { color: palette.quiet } },
    line: { symbol: 'circle' },
  };
}
