/**
 * The one contract between the backend and every front end: the Electron preload, the HTTP
 * transport of `causeway serve`, and the CLI's JSON all speak these types. app/ imports this file
 * with `import type` only.
 *
 * Wire conventions: timestamps are ISO 8601 strings in UTC with milliseconds (or nanosecond strings
 * where named `_ns`), multi-word keys are snake_case as in the CLI's JSON, not-found is an error.
 */

export interface TimeWindow {
  from: string;
  to: string;
}

// ---------------------------------------------------------------------------------------------
// Sources and import

export interface ImportError {
  line: number;
  message: string;
}

export interface ImportedFile {
  path: string;
  format: string;
  spans: number;
  logs: number;
  metric_points: number;
  errors: ImportError[];
  /** True when the same content was imported before and nothing was added. */
  duplicate?: boolean;
  /** Set when the whole file could not be imported (unknown format, unreadable, corrupt). */
  failed?: string;
}

export interface ImportReport {
  files: ImportedFile[];
  totals: { spans: number; logs: number; metric_points: number };
}

/** Choices for one import. */
export interface ImportOptions {
  /** The id its importProgress events carry. */
  import_id?: string;
  /**
   * The zone of timestamps the files write without one: an IANA name (`Asia/Shanghai`) or a fixed
   * offset (`+08:00`); default UTC. Timestamps with an offset, and epoch numbers, are not affected.
   * An unknown zone is a bad_request before anything is imported.
   */
  timezone?: string;
}

export interface ImportProgress {
  import_id: string;
  path: string;
  bytes_done: number;
  bytes_total: number;
  records: number;
  done: boolean;
}

export interface SourceInfo {
  source_id: number;
  path: string;
  format: string;
  bytes: number;
  /** The zone its zone-less timestamps were read in (`UTC` unless the import said otherwise). */
  timezone: string;
  imported_at: string;
  spans: number;
  logs: number;
  metric_points: number;
  errors: ImportError[];
}

export interface WorkspaceInfo {
  db_path: string;
  sources: SourceInfo[];
  /** The span, log and metric time range of everything loaded; null when empty. */
  time_range: TimeWindow | null;
  totals: { spans: number; logs: number; metric_points: number };
}

// ---------------------------------------------------------------------------------------------
// Analysis

export type RootCauseKind =
  | 'gc_pause'
  | 'cpu_saturation'
  | 'memory_pressure'
  | 'slow_query'
  | 'dependency_down'
  | 'network_latency'
  | 'connection_pool_exhaustion'
  | 'misconfigured_timeout'
  | 'missing_deadline_propagation'
  | 'retry_storm'
  | 'error_return'
  | 'unknown';

export type ResilienceKind =
  | 'timeout'
  | 'deadline_exceeded'
  | 'cancelled'
  | 'unavailable'
  | 'breaker_transition'
  | 'breaker_rejected'
  | 'retry'
  | 'fallback'
  | 'rate_limited'
  | 'overflow'
  | 'gc_pause'
  | 'pool_wait'
  | 'error';

export type DefenceLayer = 'network' | 'transport' | 'protocol' | 'service' | 'business' | 'cache' | 'fallback';

/**
 * A reference that opens one record in the UI:
 *   span:<trace_id>/<span_id>   trace:<trace_id>   log:<source_id>:<line>
 *   series:<metric name>{<label>="<value>",...}   event:<kind>:<service>:<ts_ns>
 */
export type EvidenceRef = string;

export type EvidenceKind = 'span' | 'trace' | 'log' | 'series' | 'event';

export interface Evidence {
  kind: EvidenceKind;
  ref: EvidenceRef;
  summary: string;
  /** The same label in Chinese, when the analysis wrote one. */
  summary_zh?: string;
}

export interface RootCause {
  service: string;
  kind: RootCauseKind;
  /** 0..1 */
  confidence: number;
  started_at: string;
  /** The call edge that carried the failure, when one did (caller -> this service). */
  edge?: { caller: string; callee: string } | null;
  summary: string;
  /** The same summary in Chinese, when the analysis wrote one. */
  summary_zh?: string;
  evidence: Evidence[];
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerTransition {
  at: string;
  from: BreakerState;
  to: BreakerState;
  ref?: EvidenceRef;
}

export interface BreakerTimeline {
  service: string;
  breaker: string;
  /** The service the breaker protects calls to, when known. */
  protects?: string | null;
  /** Where the timeline came from: log lines, a state metric, or inferred from fast failures. */
  source?: 'log' | 'metric' | 'behaviour';
  transitions: BreakerTransition[];
}

export type DeadlineFindingKind =
  | 'deadline_exceeded'
  | 'orphan_work'
  | 'timeout_below_callee_p99'
  | 'child_timeout_exceeds_budget'
  | 'retry_exceeds_budget'
  | 'budget_decay';

export interface DeadlineFinding {
  caller: string;
  callee: string;
  kind: DeadlineFindingKind;
  count: number;
  summary: string;
  /** The same summary in Chinese. */
  summary_zh?: string;
  evidence?: Evidence[];
}

export interface ServiceStats {
  service: string;
  requests: number;
  errors: number;
  timeouts: number;
  p50_ms: number | null;
  p99_ms: number | null;
}

export interface AnalysisReport {
  window: TimeWindow;
  baseline: TimeWindow | null;
  root_causes: RootCause[];
  breakers: BreakerTimeline[];
  deadline_findings: DeadlineFinding[];
  services: ServiceStats[];
  /**
   * The kinds of telemetry loaded that begin only after the baseline, with when each begins: what is
   * compared with the baseline cannot come from them (an export of one incident minute's traces and
   * logs beside a day of metrics). Absent when every kind loaded reaches into the baseline.
   */
  signals_after_baseline?: SignalStart[];
}

/** A kind of telemetry. */
export type SignalKind = 'spans' | 'logs' | 'metrics';

/** When the loaded telemetry of one kind begins. */
export interface SignalStart {
  signal: SignalKind;
  from: string;
}

// ---------------------------------------------------------------------------------------------
// Overview (pre-aggregated for the UI: aggregation is not a frontend concern)

export interface ServiceEdge {
  caller: string;
  callee: string;
  calls: number;
  errors: number;
  timeouts: number;
}

export interface Overview {
  window: TimeWindow | null;
  services: ServiceStats[];
  edges: ServiceEdge[];
  breakers: BreakerTimeline[];
  root_causes: RootCause[];
  /** Resilience events per minute and kind, for the incident timeline. */
  event_timeline: { bucket: string; kind: ResilienceKind; count: number }[];
  /** The analysis' deadline findings for the same window (orphan work, misconfigured timeouts, budgets). */
  deadline_findings?: DeadlineFinding[];
  /** Deploys, versions, config and schema changes logged before and during the top root cause's fault. */
  changes?: ChangeMarker[];
  /** As in AnalysisReport: the kinds of telemetry that begin only after the baseline the ranking compares with. */
  signals_after_baseline?: SignalStart[];
}

export interface ChangeMarker {
  at: string;
  service: string | null;
  /** The log line, as written. */
  body: string;
  /** Lines alike (one per pod, usually). */
  lines: number;
  ref: EvidenceRef;
}

// ---------------------------------------------------------------------------------------------
// Ask

export interface Chart {
  title: string;
  /** A complete ECharts option, built by the backend from query results. */
  option: Record<string, unknown>;
}

export interface Citation {
  kind: EvidenceKind;
  ref: EvidenceRef;
  label?: string;
}

export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
}

export interface AskRequest {
  question: string;
  /** Chosen by the caller so that streamed deltas and cancellation can name the request. */
  ask_id?: string;
  offline?: boolean;
  window?: TimeWindow;
  /** When the question was asked (ISO); relative questions ("past 2 hours") count back from it. Default: the end of the loaded data, since exports are read after the fact. */
  asked_at?: string;
}

export interface AskAnswer {
  answer: string;
  /** "offline" for the built-in analyst, otherwise "openai:<model>@<host>". */
  provider: string;
  root_cause: { service: string; kind: RootCauseKind } | null;
  citations: Citation[];
  charts: Chart[];
  tool_calls: ToolCallRecord[];
  language: 'en' | 'zh';
  /** Why the LLM was not used, when it was configured but failed or its breaker was open. */
  fallback_reason?: string;
}

export interface AnswerDelta {
  ask_id: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Records

/**
 * A trace as the waterfall draws it, one array per field (span i is `span_id[i]`, `parent[i]`, ...),
 * so that a 10,000-span trace carries no repeated keys. Spans are in start order. What only the
 * span detail panel shows (attributes, events, status message, log lines) comes from getSpan.
 */
export interface TraceSpans {
  span_id: string[];
  /** The parent's index in these arrays; -1 for a root, or a parent this trace does not hold. */
  parent: number[];
  /** Indexes into TraceDetail.strings. */
  service: number[];
  name: number[];
  kind: number[];
  /** Milliseconds from the trace's start (TraceDetail.start), below the millisecond too. */
  offset_ms: number[];
  duration_ms: number[];
  status_code: number[];
  http_status: (number | null)[];
  rpc_status: (number | null)[];
  /** When the caller's deadline for the span expires, in ms from the trace's start; null when none is known (grpc-timeout, deadline attributes). */
  deadline_ms: (number | null)[];
}

export interface TraceDetail {
  trace_id: string;
  /** When the first span started: the origin of every offset. */
  start: string;
  /** Service, operation and kind names, each once. */
  strings: string[];
  spans: TraceSpans;
  /** Span indexes on the critical path (what the request's end-to-end latency waited on), root first. */
  critical_path: number[];
  /** Span indexes that kept working after their caller had given up (deadline not propagated or not honoured). */
  orphans: number[];
  logs: LogRow[];
}

/** One span whole, as its detail panel shows it. */
export interface SpanDetail {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: string;
  start: string;
  duration_ms: number;
  status_code: number;
  status_message: string | null;
  http_status: number | null;
  rpc_status: number | null;
  attributes: Record<string, string>;
  /** Span events (exceptions, retries, annotations) in time order. */
  events: SpanEventRow[];
  /** The span's own log lines, in time order. */
  logs: LogRow[];
}

export interface SpanEventRow {
  ts: string;
  name: string;
  attributes: Record<string, string>;
}

export interface TraceQuery {
  service?: string;
  operation?: string;
  status?: 'error' | 'ok';
  min_duration_ms?: number;
  max_duration_ms?: number;
  /** Spans with this attribute value (exact match). */
  attribute?: { key: string; value: string };
  window?: TimeWindow;
  limit?: number;
}

export interface TraceSummary {
  trace_id: string;
  root_service: string;
  root_name: string;
  start: string;
  duration_ms: number;
  spans: number;
  services: string[];
  error: boolean;
}

export interface ReportRequest {
  format: 'markdown' | 'html';
  language?: 'en' | 'zh';
  window?: TimeWindow;
  /** The conversation to include, as the UI holds it. */
  answers?: { question: string; answer: AskAnswer }[];
}

export interface ReportFile {
  file_name: string;
  mime_type: string;
  content: string;
}

export interface LogRow {
  ref: EvidenceRef;
  ts: string;
  service: string | null;
  severity: string;
  body: string;
  trace_id: string | null;
  span_id: string | null;
}

export interface LogQuery {
  /** One exact log line, as cited: `log:<source_id>:<line>`. */
  ref?: EvidenceRef;
  service?: string;
  severity?: string;
  text?: string;
  trace_id?: string;
  window?: TimeWindow;
  limit?: number;
}

export interface SeriesPoint {
  ts: string;
  value: number;
}

// ---------------------------------------------------------------------------------------------
// Settings

export interface LlmSettings {
  base_url: string | null;
  model: string | null;
  /** Whether a key is stored; the key itself never crosses this contract outward. */
  has_api_key: boolean;
  redact: boolean;
}

export interface LlmSettingsUpdate {
  base_url?: string | null;
  model?: string | null;
  /** A new key; empty string removes it. */
  api_key?: string;
  redact?: boolean;
}

// ---------------------------------------------------------------------------------------------

export interface RcaApi {
  getWorkspace(): Promise<WorkspaceInfo>;
  /** `options` as a string is the import id alone. */
  importPaths(paths: string[], options?: string | ImportOptions): Promise<ImportReport>;
  loadDemo(): Promise<ImportReport>;
  removeSource(sourceId: number): Promise<WorkspaceInfo>;
  getOverview(window?: TimeWindow): Promise<Overview>;
  analyze(window?: TimeWindow): Promise<AnalysisReport>;
  ask(request: AskRequest): Promise<AskAnswer>;
  cancelAsk(askId: string): Promise<void>;
  getTrace(traceId: string): Promise<TraceDetail>;
  getSpan(traceId: string, spanId: string): Promise<SpanDetail>;
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;
  searchLogs(query: LogQuery): Promise<LogRow[]>;
  exportReport(request: ReportRequest): Promise<ReportFile>;
  getLlmSettings(): Promise<LlmSettings>;
  saveLlmSettings(update: LlmSettingsUpdate): Promise<LlmSettings>;
}

/**
 * How far the derivation that follows an import (or a removal) is: the calls paired across services
 * and the events, breakers and edges read from them. Seconds on a large workspace, after every
 * file has reported its progress.
 */
export interface DerivationProgress {
  /** From 0 to 1, never going back within one derivation. */
  fraction: number;
}

/** Events the backend pushes to a front end (IPC events on desktop, SSE in the browser). */
export interface RcaEvents {
  importProgress: ImportProgress;
  derivationProgress: DerivationProgress;
  answerDelta: AnswerDelta;
}

export type RcaMethod = keyof RcaApi;

/** Channel names derive from method keys, so the preload and the handlers cannot drift apart. */
export const RCA_METHODS = [
  'getWorkspace',
  'importPaths',
  'loadDemo',
  'removeSource',
  'getOverview',
  'analyze',
  'ask',
  'cancelAsk',
  'getTrace',
  'getSpan',
  'searchTraces',
  'searchLogs',
  'exportReport',
  'getLlmSettings',
  'saveLlmSettings',
] as const satisfies readonly RcaMethod[];

export const ipcChannel = (method: RcaMethod): string => `causeway:${method}`;

/** Error codes that cross the wire. */
export type RcaErrorCode = 'not_found' | 'bad_request' | 'cancelled' | 'unavailable' | 'internal';

export interface RcaErrorBody {
  code: RcaErrorCode;
  message: string;
}
