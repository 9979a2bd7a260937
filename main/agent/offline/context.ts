import type { AnalysisReport, ResilienceKind, TimeWindow } from '../../api/contract.js';
import type { ChangeQuery, LoggedChange } from '../../analysis/changes.js';
import type { GcHeapAtPause } from '../../analysis/gcHeap.js';

export interface MetricSeries {
  name: string;
  service: string | null;
  labels: Record<string, string>;
  points: { ts: string; value: number }[];
}

export interface OfflineContext {
  /** From main/analysis analyze(). */
  report: AnalysisReport;
  /** Every service name in the data. */
  services: string[];
  /** Metric series; `nameLike` is a case-insensitive part of the metric name. */
  series: (q: { nameLike?: string; service?: string; window?: TimeWindow }) => Promise<MetricSeries[]>;
  /** Resilience events per time bucket. */
  eventRate: (q: { service?: string; peer?: string; kinds?: ResilienceKind[]; window?: TimeWindow; stepSeconds?: number }) => Promise<{ ts: string; count: number }[]>;
  sampleTraces: (q: { service?: string; errorOnly?: boolean; window?: TimeWindow; limit?: number }) => Promise<{ trace_id: string; root: string; duration_ms: number; error: boolean; start: string }[]>;
  /** Deploys, versions, config and schema changes the logs record around a fault. */
  changes?: (q: ChangeQuery) => Promise<LoggedChange[]>;
  /** The heap at a service's longest GC pause, from its runtime's GC log lines. */
  heapAtPause?: (q: { service: string; window: TimeWindow }) => Promise<GcHeapAtPause | null>;
  /** True when a configured LLM failed and the offline analyst answers in its place. */
  llmFailed?: boolean;
  /** ISO; "now" for relative questions such as "past 2 hours". */
  askedAt?: string;
}
