import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planImport, parseFile, parseTimeZone, TimeZoneError, type PlannedFile, type TimeZone } from '../../ingest/index.js';
import { currentSpanColumnsSink, withSpanColumnsSink } from '../../ingest/parallel/spanColumns.js';
import { analyze, eventRateSeries, metricSeries, overview, rebuildDerived } from '../analysis/index.js';
import { loggedChanges } from '../analysis/changes.js';
import { analysisDepth, type AnalysisDepth } from '../analysis/depth.js';
import { heapAtLongestPause } from '../analysis/gcHeap.js';
import { answerWithLlm, LlmUnavailableError } from '../agent/llm/index.js';
import { answerOffline } from '../agent/offline/index.js';
import { writeDemoIncident } from '../demo/index.js';
import { TelemetryStore } from '../store/store.js';
import type {
  AnalysisReport,
  AskAnswer,
  AskRequest,
  ImportedFile,
  ImportOptions,
  ImportReport,
  LlmSettingsUpdate,
  LogQuery,
  LogRow,
  RcaApi,
  RcaEvents,
  SourceInfo,
  SpanDetail,
  TimeWindow,
  TraceDetail,
  WorkspaceInfo,
} from './contract.js';
import { buildReport } from '../report/index.js';
import { downsampleChart, downsampleEventTimeline } from './downsample.js';
import { RcaError } from './errors.js';
import { LlmSettingsStore, memorySecretStore, type SecretStore } from './llmSettings.js';
import { readSpan, readTrace, searchTraces, warmTraceReads } from './traces.js';
import { nsToIso, windowToNs } from './wireTime.js';
import listSourcesSql from './queries/list_sources.sql?raw';
import timeRangeSql from './queries/time_range.sql?raw';
import totalsSql from './queries/totals.sql?raw';
import traceLogsSql from './queries/trace_logs.sql?raw';
import spanLogsSql from './queries/span_logs.sql?raw';
import searchLogsSql from './queries/search_logs.sql?raw';
import sampleTracesSql from './queries/sample_traces.sql?raw';

export type EventSink = <E extends keyof RcaEvents>(event: E, payload: RcaEvents[E]) => void;

export interface RcaServiceOptions {
  dbPath: string;
  onEvent?: EventSink;
  /** Where the API key is kept; default: memory, from $OPENAI_API_KEY. */
  secrets?: SecretStore;
  /** The LLM settings file (base URL, model, redaction; never the key); null keeps them in memory. */
  settingsPath?: string | null;
  /** Command-line choices that win over the settings file and the environment. */
  llm?: { baseUrl?: string; model?: string };
  /**
   * Told when the derivation that follows an import (or a removal, or opening a workspace whose
   * derivation is out of date) starts and ends: seconds on a large workspace, after every file has
   * reported its progress. The CLI says so on a terminal.
   */
  onDerivation?: (state: 'started' | 'done') => void;
}

export type RcaService = RcaApi & {
  /** The analysis with everything derived beyond the ranking (events, edges, comparison, SLO burn): `causeway analyze --json`. */
  analyzeInDepth(window?: TimeWindow): Promise<AnalysisReport & AnalysisDepth>;
  /** For a long-running server: warms the trace path in the background (see warmTraceReads); never fails. */
  warmTraces(): Promise<void>;
  close(): void;
};

/** Analyses and overviews kept for the current data, across windows. */
const MAX_REMEMBERED = 16;
/** How often one file's progress is reported while it imports. */
const PROGRESS_INTERVAL_MS = 100;
const DEFAULT_LOG_LIMIT = 200;
const MAX_LOG_LIMIT = 5000;

export async function createRcaService(options: RcaServiceOptions): Promise<RcaService> {
  const store = await TelemetryStore.open(options.dbPath);
  const emit: EventSink = options.onEvent ?? (() => undefined);
  const llmSettings = await LlmSettingsStore.load(
    options.settingsPath === undefined ? null : options.settingsPath,
    options.secrets ?? memorySecretStore(process.env.OPENAI_API_KEY ?? null),
    options.llm,
  );
  const pendingAsks = new Map<string, AbortController>();
  let dataVersion = 0;
  /** Results that depend only on the data and the window, kept until the data changes. */
  const remembered = new Map<string, Promise<unknown>>();
  let rememberedVersion = dataVersion;

  function remember<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (rememberedVersion !== dataVersion) {
      remembered.clear();
      rememberedVersion = dataVersion;
    }
    const known = remembered.get(key) as Promise<T> | undefined;
    if (known) return known;
    // Windows chosen by hand are many; a few recent ones are worth keeping, not all.
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    const result = compute();
    result.catch(() => {
      if (remembered.get(key) === result) remembered.delete(key);
    });
    remembered.set(key, result);
    return result;
  }

  const read = store.withRead.bind(store);

  /** Derives what analysis reads from everything loaded (rebuildDerived), telling onDerivation. */
  async function derive(): Promise<void> {
    options.onDerivation?.('started');
    try {
      await rebuildDerived(store, (fraction) => emit('derivationProgress', { fraction }));
    } finally {
      options.onDerivation?.('done');
    }
  }

  // What analysis reads is derived after every import and removal; a workspace from an older schema,
  // or one whose last import was stopped before its derivation, is derived now.
  if (await store.derivationStale()) await derive();

  async function importOne(file: PlannedFile, importId: string, timezone: TimeZone): Promise<ImportedFile> {
    const base = { path: file.path, format: file.format?.id ?? 'unknown', spans: 0, logs: 0, metric_points: 0, errors: [] };
    if (!file.format || file.problem) {
      emit('importProgress', { import_id: importId, path: file.path, bytes_done: file.size, bytes_total: file.size, records: 0, done: true });
      return { ...base, failed: file.problem ?? 'not a telemetry format Causeway recognises' };
    }
    let lastReport = 0;
    let records = 0;
    const progress = (bytesDone: number, done = false) => {
      const now = Date.now();
      if (!done && now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      emit('importProgress', { import_id: importId, path: file.path, bytes_done: bytesDone, bytes_total: file.size, records, done });
    };
    progress(0);
    try {
      const outcome = await store.importSource(
        { path: file.path, bytes: { sha256: file.sha256, size: file.size }, format: file.format.id, timezone: timezone.name },
        (sink) => {
          const parse = () =>
            parseFile(
              file,
              {
                spans: (batch) => ((records += batch.length), sink.spans(batch)),
                logs: (batch) => ((records += batch.length), sink.logs(batch)),
                metricPoints: (batch) => ((records += batch.length), sink.metricPoints(batch)),
                issue: (issue) => sink.issue(issue),
              },
              (bytesDone) => progress(bytesDone),
              { timezone },
            );
          // Spans parsed on worker threads reach the store as columns, past the sink above: counted here.
          const columns = currentSpanColumnsSink();
          if (!columns) return parse();
          return withSpanColumnsSink({ spanColumns: (spans) => ((records += spans.count), columns.spanColumns(spans)) }, parse);
        },
      );
      progress(file.size, true);
      return {
        ...base,
        spans: outcome.counts.spans,
        logs: outcome.counts.logs,
        metric_points: outcome.counts.metricPoints,
        errors: outcome.issues,
        ...(outcome.duplicate ? { duplicate: true } : {}),
      };
    } catch (error) {
      progress(file.size, true);
      return { ...base, failed: `could not be imported: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async function importPaths(paths: string[], request?: string | ImportOptions): Promise<ImportReport> {
    if (!Array.isArray(paths) || paths.length === 0) throw new RcaError('bad_request', 'no files to import');
    const options: ImportOptions = typeof request === 'string' ? { import_id: request } : (request ?? {});
    const importId = options.import_id ?? `import-${Date.now()}`;
    let timezone: TimeZone;
    try {
      timezone = parseTimeZone(options.timezone === undefined ? '' : String(options.timezone));
    } catch (error) {
      if (error instanceof TimeZoneError) throw new RcaError('bad_request', error.message);
      throw error;
    }
    const planned = await planImport(paths);
    const files: ImportedFile[] = [];
    for (const file of planned) files.push(await importOne(file, importId, timezone));
    if (files.some((file) => !file.failed && !file.duplicate)) {
      dataVersion += 1;
      await derive();
    }
    const totals = files.reduce(
      (sum, file) => ({ spans: sum.spans + file.spans, logs: sum.logs + file.logs, metric_points: sum.metric_points + file.metric_points }),
      { spans: 0, logs: 0, metric_points: 0 },
    );
    return { files, totals };
  }

  async function listSources(): Promise<SourceInfo[]> {
    const rows = await read((r) => r.all<Omit<SourceInfo, 'errors'> & { errors: string | null }>(listSourcesSql));
    return rows.map((row) => ({ ...row, errors: row.errors ? JSON.parse(row.errors) : [] }));
  }

  async function getWorkspace(): Promise<WorkspaceInfo> {
    const [sources, range, totals] = await Promise.all([
      listSources(),
      read((r) => r.all<{ from_ns: string | null; to_ns: string | null }>(timeRangeSql)),
      read((r) => r.all<{ spans: number; logs: number; metric_points: number }>(totalsSql)),
    ]);
    const span = range[0];
    return {
      db_path: options.dbPath,
      sources,
      time_range: span?.from_ns && span.to_ns ? { from: nsToIso(span.from_ns), to: nsToIso(span.to_ns) } : null,
      totals: totals[0]!,
    };
  }

  function analysis(window?: TimeWindow): Promise<AnalysisReport> {
    if (window) windowToNs(window);
    return remember(`analysis|${window?.from ?? ''}|${window?.to ?? ''}`, () => analyze(store, window));
  }

  async function sampleTraces(q: { service?: string; errorOnly?: boolean; window?: TimeWindow; limit?: number }) {
    const window = q.window ? windowToNs(q.window) : null;
    const rows = await read((r) =>
      r.all<{ trace_id: string; root: string; duration_ms: number; error: boolean; start_ns: string }>(sampleTracesSql, {
        service: q.service ?? null,
        error_only: q.errorOnly ?? false,
        from_ns: window ? window.fromNs : null,
        to_ns: window ? window.toNs : null,
        limit: Math.min(q.limit ?? 10, 100),
      }),
    );
    return rows.map(({ start_ns, ...row }) => ({ ...row, start: nsToIso(start_ns) }));
  }

  async function serviceNames(): Promise<string[]> {
    const rows = await read((r) =>
      r.all<{ service: string }>(
        'SELECT DISTINCT service FROM (SELECT service FROM spans UNION SELECT service FROM logs UNION SELECT service FROM metric_points) WHERE service IS NOT NULL ORDER BY service',
      ),
    );
    return rows.map((row) => row.service);
  }

  async function askOffline(request: AskRequest, askId: string, fallbackReason?: string): Promise<AskAnswer> {
    const report = await analysis(request.window);
    const answer = await answerOffline(request.question, {
      report,
      services: await serviceNames(),
      series: (q) => metricSeries(store, q),
      eventRate: (q) => eventRateSeries(store, q),
      sampleTraces,
      changes: (q) => loggedChanges(store, q),
      heapAtPause: (q) => heapAtLongestPause(store, q),
      llmFailed: fallbackReason !== undefined,
      ...(request.asked_at ? { askedAt: request.asked_at } : {}),
    });
    const text = fallbackReason ? `${fallbackNotice(answer.language, fallbackReason)}\n\n${answer.answer}` : answer.answer;
    for (const piece of text.split(/(?<=\n)/)) emit('answerDelta', { ask_id: askId, text: piece });
    return { ...answer, answer: text, ...(fallbackReason ? { fallback_reason: fallbackReason } : {}) };
  }

  async function ask(request: AskRequest): Promise<AskAnswer> {
    if (typeof request?.question !== 'string' || request.question.trim() === '') throw new RcaError('bad_request', 'the question is empty');
    if (request.window) windowToNs(request.window);
    const askId = request.ask_id ?? `ask-${Date.now()}`;
    const controller = new AbortController();
    pendingAsks.set(askId, controller);
    try {
      const endpoint = request.offline ? null : await llmSettings.endpoint();
      if (!endpoint) return await askOffline(request, askId);
      try {
        const answer = await answerWithLlm(request.question, endpoint, {
          store,
          dbPath: options.dbPath,
          signal: controller.signal,
          onDelta: (text) => emit('answerDelta', { ask_id: askId, text }),
          ...(request.window ? { window: request.window } : {}),
        });
        if (answer.root_cause) return answer;
        const named = (await analysis(request.window)).root_causes.find((cause) => answer.answer.includes(cause.service));
        return { ...answer, root_cause: named ? { service: named.service, kind: named.kind } : null };
      } catch (error) {
        if (controller.signal.aborted) throw new RcaError('cancelled', 'the question was cancelled');
        if (error instanceof LlmUnavailableError) return await askOffline(request, askId, error.message);
        throw error;
      }
    } finally {
      pendingAsks.delete(askId);
    }
  }

  async function getTrace(traceId: string): Promise<TraceDetail> {
    const [trace, logs] = await Promise.all([readTrace(read, traceId), read((r) => r.all<LogQueryRow>(traceLogsSql, { trace_id: traceId }))]);
    const start = trace.start ?? (logs[0] ? nsToIso(logs[0].ts_ns) : null);
    if (start === null) throw new RcaError('not_found', `no trace ${traceId} in this workspace`);
    return { trace_id: traceId, ...trace, start, logs: logs.map(toLogRow) };
  }

  async function getSpan(traceId: string, spanId: string): Promise<SpanDetail> {
    const [span, logs] = await Promise.all([
      readSpan(read, traceId, spanId),
      read((r) => r.all<LogQueryRow>(spanLogsSql, { trace_id: traceId, span_id: spanId })),
    ]);
    if (!span) throw new RcaError('not_found', `no span ${spanId} in trace ${traceId}`);
    return { ...span, logs: logs.map(toLogRow) };
  }

  async function searchLogs(query: LogQuery): Promise<LogRow[]> {
    const window = query.window ? windowToNs(query.window) : null;
    const ref = query.ref ? /^log:(\d+):(\d+)$/.exec(query.ref) : null;
    const rows = await read((r) =>
      r.all<LogQueryRow>(searchLogsSql, {
        service: query.service ?? null,
        severity: query.severity ?? null,
        text: query.text ?? null,
        trace_id: query.trace_id ?? null,
        source_id: ref ? Number(ref[1]) : null,
        line: ref ? Number(ref[2]) : null,
        from_ns: window ? window.fromNs : null,
        to_ns: window ? window.toNs : null,
        limit: Math.min(Math.max(1, query.limit ?? DEFAULT_LOG_LIMIT), MAX_LOG_LIMIT),
      }),
    );
    return rows.map(toLogRow);
  }

  const api: RcaService = {
    getWorkspace,
    importPaths,
    async loadDemo() {
      const dir = await mkdtemp(join(tmpdir(), 'causeway-demo-'));
      const demo = await writeDemoIncident(dir);
      return importPaths(demo.files, 'demo');
    },
    async removeSource(sourceId) {
      await store.removeSource(sourceId);
      dataVersion += 1;
      await derive();
      return getWorkspace();
    },
    async getOverview(window) {
      if (window) windowToNs(window);
      return remember(`overview|${window?.from ?? ''}|${window?.to ?? ''}`, async () => {
        const report = await analysis(window);
        const view = await overview(store, window, report);
        const top = report.root_causes[0];
        const changes = top ? await loggedChanges(store, { faultStart: top.started_at, faultEnd: report.window.to, services: [top.service] }) : [];
        return { ...view, event_timeline: downsampleEventTimeline(view.event_timeline), changes };
      });
    },
    analyze: analysis,
    async analyzeInDepth(window) {
      const report = await analysis(window);
      return { ...report, ...(await analysisDepth(store, report)) };
    },
    // Charts leave the backend within a point budget, whichever analyst drew them.
    ask: async (request) => {
      const answer = await ask(request);
      return { ...answer, charts: answer.charts.map((chart) => downsampleChart(chart)) };
    },
    async cancelAsk(askId) {
      pendingAsks.get(askId)?.abort();
    },
    getTrace,
    getSpan,
    searchTraces: (query) => searchTraces(read, query ?? {}),
    searchLogs,
    async exportReport(request) {
      if (request?.format !== 'markdown' && request?.format !== 'html') throw new RcaError('bad_request', 'format must be "markdown" or "html"');
      return buildReport({ report: await analysis(request.window), dbPath: options.dbPath }, request);
    },
    getLlmSettings: () => llmSettings.view(),
    saveLlmSettings: (update: LlmSettingsUpdate) => llmSettings.update(update ?? {}),
    warmTraces: () => warmTraceReads(read).then(
      () => undefined,
      () => undefined,
    ),
    close: () => store.close(),
  };
  return api;
}

interface LogQueryRow {
  source_id: number;
  source_line: number;
  ts_ns: string;
  service: string | null;
  severity: string;
  body: string;
  trace_id: string | null;
  span_id: string | null;
}

function toLogRow(row: LogQueryRow): LogRow {
  return {
    ref: `log:${row.source_id}:${row.source_line}`,
    ts: nsToIso(row.ts_ns),
    service: row.service,
    severity: row.severity,
    body: row.body,
    trace_id: row.trace_id,
    span_id: row.span_id,
  };
}

function fallbackNotice(language: 'en' | 'zh', reason: string): string {
  return language === 'zh'
    ? `> 大模型暂不可用(${reason}),以下由内置离线分析器回答。`
    : `> The LLM could not answer (${reason}); the built-in offline analyst answers instead.`;
}
