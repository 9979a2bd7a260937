import type { AnalysisReport, DefenceLayer, ResilienceKind } from '../api/contract.js';
import type { StoreReader, TelemetryStore } from '../store/store.js';
import { compareWindowsWith, type WindowComparison } from './compare.js';
import { edgeDiagnostics, type EdgeDiagnostic } from './edges.js';
import { sloBurnOver, type SloBurnReport } from './slo.js';
import { dataRange, nsToIso, toNsWindow } from './window.js';
import eventSummarySql from './sql/depth_event_summary.sql?raw';

/**
 * Everything the analysis derives beyond the ranked causes, for `causeway analyze --json` and for
 * whoever scripts an investigation: what the resilience machinery did per service and edge, how
 * each call edge behaved, which attributes set the incident apart, and how fast each service burned
 * its error budget.
 */
export interface AnalysisDepth {
  resilience_events: ResilienceEventSummary[];
  edge_diagnostics: EdgeDiagnostic[];
  /** Incident against baseline, BubbleUp style; null when no baseline was found. */
  window_comparison: WindowComparison | null;
  slo_burn: SloBurnReport;
}

export interface ResilienceEventSummary {
  service: string;
  peer: string | null;
  kind: ResilienceKind;
  layer: DefenceLayer;
  events: number;
  first_at: string;
  /** Opens the first of them. */
  first_ref: string;
}

const MAX_EVENT_GROUPS = 500;

async function eventSummary(reader: StoreReader, report: AnalysisReport): Promise<ResilienceEventSummary[]> {
  const { fromNs, toNs } = toNsWindow(report.window);
  const rows = await reader.all<Omit<ResilienceEventSummary, 'first_at'> & { first_ns: string }>(eventSummarySql, { from_ns: fromNs, to_ns: toNs, limit: MAX_EVENT_GROUPS });
  return rows.map(({ first_ns, ...row }) => ({ ...row, first_at: nsToIso(first_ns) }));
}

export async function analysisDepthFrom(reader: StoreReader, report: AnalysisReport): Promise<AnalysisDepth> {
  const empty = Date.parse(report.window.to) <= Date.parse(report.window.from);
  const range = await dataRange(reader);
  return {
    resilience_events: empty ? [] : await eventSummary(reader, report),
    edge_diagnostics: empty ? [] : await edgeDiagnostics(reader, toNsWindow(report.window)),
    window_comparison: report.baseline && !empty ? await compareWindowsWith(reader, report.window, report.baseline) : null,
    slo_burn: await sloBurnOver(reader, range),
  };
}

export async function analysisDepth(store: TelemetryStore, report: AnalysisReport): Promise<AnalysisDepth> {
  return store.withRead((reader) => analysisDepthFrom(reader, report));
}
