import { describe, expect, it } from 'vitest';
import { chartPalettes, echartsTheme } from './chartTheme.js';

/** WCAG relative luminance and contrast ratio of two #rrggbb colours. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The card backgrounds charts sit on (styles.css --panel). */
const PANEL = { light: '#ffffff', dark: '#1a1f2b' } as const;

describe('chart palettes', () => {
  for (const theme of ['light', 'dark'] as const) {
    const palette = chartPalettes[theme];
    it(`keeps ${theme} chart text readable on its panel`, () => {
      expect(contrast(palette.text, PANEL[theme])).toBeGreaterThanOrEqual(7);
      expect(contrast(palette.muted, PANEL[theme])).toBeGreaterThanOrEqual(4.5);
    });

    it(`draws every ${theme} series and health colour visibly apart from the panel`, () => {
      for (const color of [...palette.series, palette.ok, palette.warn, palette.bad, palette.rootCause]) {
        expect(contrast(color, PANEL[theme]), color).toBeGreaterThanOrEqual(3);
      }
    });

    it(`gives the ${theme} ECharts theme its axis, label and split-line colours`, () => {
      const echarts = echartsTheme(palette) as { valueAxis: { axisLabel: { color: string }; splitLine: { lineStyle: { color: string[] } } }; legend: { textStyle: { color: string } } };
      expect(echarts.valueAxis.axisLabel.color).toBe(palette.muted);
      expect(echarts.valueAxis.splitLine.lineStyle.color).toEqual([palette.splitLine]);
      expect(echarts.legend.textStyle.color).toBe(palette.text);
    });
  }
});
