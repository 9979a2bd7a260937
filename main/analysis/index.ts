/**
 * The analysis entry points the backend calls. Each reads the store through withRead;
 * rebuildDerived is the only writer (derived tables, after every import and removal, and when a
 * workspace opens with its derivation out of date).
 */
import type { AnalysisReport, Overview, ResilienceKind, TimeWindow } from '../api/contract.js';
import type { TelemetryStore } from '../store/store.js';
import { breakerTimelines } from './breakers.js';
import { compareWindowsWith, type WindowComparison } from './compare.js';
import { deadlineFindings } from './deadlines.js';
import { CALL_PAIRS_SQL, fullWindow } from './edges.js';
import { patternParams } from './patterns.js';
import { overviewOf } from './overview.js';
import { rankRootCauses } from './ranking.js';
import { rebuildResilienceEvents } from './resilienceEvents.js';
import { eventRateSeriesFrom, metricSeriesFrom, type MetricSeries } from './series.js';
import { serviceStats } from './serviceStats.js';
import { signalsAfterBaseline } from './signalStarts.js';
import { sloBurnOver, type SloBurnReport } from './slo.js';
import kindlessEntriesSql from './sql/kindless_entries.sql?raw';
import { dataRange, detectWindows, toTimeWindow } from './window.js';

export type { WindowComparison, DimensionDifference } from './compare.js';
export type { SloBurnReport, ServiceBurn } from './slo.js';
export type { MetricSeries } from './series.js';

/**
 * How much of a derivation the call pairing is: the rest (events, breakers, edges) reads the pairs.
 * On 1M spans the pairing took 0.9-1.1 s of 1.35 s (BENCH_PROFILE=1 npm run bench:analyze).
 */
const PAIRING_SHARE = 0.75;

/**
 * Derives what analysis reads from the raw telemetry, in one transaction of the workspace: calls
 * are paired once (the call pairs), then the resilience events, breaker transitions and call edges
 * are derived from them, beside the entry spans of traces that carry no span kinds. Returns how many of the last three there are. `onProgress` hears how far
 * the derivation is (0 to 1) while the pairing runs, and when it is done.
 */
export async function rebuildDerived(store: TelemetryStore, onProgress?: (fraction: number) => void): Promise<{ events: number; transitions: number; edges: number }> {
  const { fromNs, toNs } = fullWindow();
  return store.replaceCallPairs(
    CALL_PAIRS_SQL,
    { ...patternParams(CALL_PAIRS_SQL), from_ns: fromNs, to_ns: toNs },
    async (writer) => {
      onProgress?.(PAIRING_SHARE);
      await writer.run(kindlessEntriesSql);
      return rebuildResilienceEvents(writer);
    },
    onProgress && ((pairing) => onProgress(PAIRING_SHARE * pairing)),
  );
}

export async function analyze(store: TelemetryStore, window?: TimeWindow): Promise<AnalysisReport> {
  return store.withRead(async (reader) => {
    const windows = await detectWindows(reader, window);
    if (!windows) {
      const empty = window ?? { from: new Date(0).toISOString(), to: new Date(0).toISOString() };
      return { window: empty, baseline: null, root_causes: [], breakers: [], deadline_findings: [], services: [] };
    }
    const scope = windows.search;
    const [findings, breakers, services, lateSignals] = await Promise.all([
      deadlineFindings(reader, scope),
      breakerTimelines(reader, scope),
      serviceStats(reader, windows.incident),
      signalsAfterBaseline(reader, windows),
    ]);
    const root_causes = await rankRootCauses({ reader, windows, deadlineFindings: findings, breakers });
    return {
      window: toTimeWindow(windows.incident),
      baseline: windows.baseline ? toTimeWindow(windows.baseline) : null,
      root_causes,
      breakers,
      deadline_findings: findings,
      services,
      signals_after_baseline: lateSignals,
    };
  });
}

/**
 * The overview of `window` (or of everything loaded). Given the analysis of the same window, it
 * reuses its ranking and deadline findings instead of computing them again.
 */
export async function overview(
  store: TelemetryStore,
  window?: TimeWindow,
  analysed?: Pick<AnalysisReport, 'root_causes' | 'deadline_findings' | 'signals_after_baseline'>,
): Promise<Overview> {
  return store.withRead(async (reader) => {
    const windows = await detectWindows(reader, window);
    if (!windows) return overviewOf(reader, null, window, []);
    if (analysed) {
      const view = await overviewOf(reader, windows, window, analysed.root_causes);
      return { ...view, deadline_findings: analysed.deadline_findings, signals_after_baseline: analysed.signals_after_baseline };
    }
    const [findings, breakers, lateSignals] = await Promise.all([
      deadlineFindings(reader, windows.search),
      breakerTimelines(reader, windows.search),
      signalsAfterBaseline(reader, windows),
    ]);
    const rootCauses = await rankRootCauses({ reader, windows, deadlineFindings: findings, breakers });
    return { ...(await overviewOf(reader, windows, window, rootCauses)), deadline_findings: findings, signals_after_baseline: lateSignals };
  });
}

export async function metricSeries(
  store: TelemetryStore,
  q: { name?: string; nameLike?: string; service?: string; window?: TimeWindow; maxPoints?: number },
): Promise<MetricSeries[]> {
  return store.withRead((reader) => metricSeriesFrom(reader, q));
}

export async function eventRateSeries(
  store: TelemetryStore,
  q: { service?: string; peer?: string; kinds?: ResilienceKind[]; window?: TimeWindow; stepSeconds?: number },
): Promise<{ ts: string; count: number }[]> {
  return store.withRead((reader) => eventRateSeriesFrom(reader, q));
}

export async function compareWindows(store: TelemetryStore, incident: TimeWindow, baseline: TimeWindow): Promise<WindowComparison> {
  return store.withRead((reader) => compareWindowsWith(reader, incident, baseline));
}

export async function sloBurn(store: TelemetryStore, q?: { target?: number }): Promise<SloBurnReport> {
  return store.withRead(async (reader) => sloBurnOver(reader, await dataRange(reader), q?.target));
}
