import { createContext, useContext, type ReactNode } from 'react';
import type { Theme } from '../state/theme.js';
import { chartPalettes, type ChartPalette } from './chartTheme.js';

const ChartThemeContext = createContext<Theme>('light');

/** The UI theme in force, for charts: they draw on the page's background, so they follow it. */
export function ChartThemeProvider({ theme, children }: { theme: Theme; children: ReactNode }) {
  return <ChartThemeContext.Provider value={theme}>{children}</ChartThemeContext.Provider>;
}

export function useChartTheme(): Theme {
  return useContext(ChartThemeContext);
}

export function useChartPalette(): ChartPalette {
  return chartPalettes[useContext(ChartThemeContext)];
}
