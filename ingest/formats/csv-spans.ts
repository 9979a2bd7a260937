import { CsvHeader, csvRows, readHeader, sampleDataLines, splitCsvLine } from '../csv.js';
import { spanBatcher } from '../batcher.js';
import { type FormatInput, type TelemetryFormat, byContentThenName } from '../format.js';
import { isPlausibleNs, normalizeService, podToService, toNs } from '../normalize.js';
import type { Attributes, SpanKind, SpanStatusCode, Sink } from '../records.js';
import { UTC } from '../timezone.js';

/**
 * Span tables exported as CSV (Nezha, SkyWalking exports such as DeepTraLog's, ad-hoc warehouse
 * dumps). Columns are recognised by their common header names; times may be epoch ns, µs, ms or s,
 * or ISO strings. Unrecognised columns become attributes.
 */

const TRACE = ['TraceID', 'trace_id', 'traceId', 'trace'];
const SPAN = ['SpanID', 'span_id', 'spanId', 'span'];
const PARENT = ['ParentID', 'ParentSpanId', 'ParentSpan', 'parent_id', 'parent_span_id', 'parentSpanID', 'parent'];
const SERVICE = ['ServiceName', 'service', 'service_name', 'svc', 'app'];
const POD = ['PodName', 'pod', 'pod_name', 'instance'];
const NAME = ['OperationName', 'operation_name', 'operation', 'name', 'span_name', 'SpanName', 'endpoint', 'URL', 'url'];
const START = ['StartTimeUnixNano', 'start_time_unix_nano', 'StartTime', 'start_time', 'start', 'startTimeMillis', 'startTimeMicros', 'timestamp', 'ts'];
const END = ['EndTimeUnixNano', 'end_time_unix_nano', 'EndTime', 'end_time', 'end', 'endTimeMillis', 'endTimeMicros'];
const DURATION = ['Duration', 'duration', 'duration_us', 'duration_ms', 'duration_ns', 'elapsed', 'latency'];
const ERROR = ['IsError', 'is_error', 'error', 'has_error'];
const STATUS = ['StatusCode', 'status_code', 'status', 'otel_status_code', 'span_status'];
const KIND = ['SpanKind', 'span_kind', 'kind', 'SpanType', 'span_type', 'type'];
const HTTP_STATUS = ['http_status_code', 'HttpStatusCode', 'http_status', 'http.status_code', 'http.response.status_code'];
const RPC_STATUS = ['rpc_grpc_status_code', 'grpc_status_code', 'rpc.grpc.status_code', 'grpc_code'];
const PEER = ['PeerService', 'peer_service', 'peer.service', 'Peer', 'remote_service', 'RemoteService'];

const KINDS: Record<string, SpanKind> = {
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
  internal: 'internal',
  span_kind_server: 'server',
  span_kind_client: 'client',
  span_kind_producer: 'producer',
  span_kind_consumer: 'consumer',
  span_kind_internal: 'internal',
  // SkyWalking span types
  entry: 'server',
  exit: 'client',
  local: 'internal',
};

/** Parent id values that mean "this is a root span". */
const NO_PARENT = new Set(['', 'root', '-1', '0', 'null', 'none', '-', '0000000000000000']);

interface Columns {
  trace: number;
  span: number;
  parent?: number;
  service?: number;
  pod?: number;
  name?: number;
  start: number;
  end?: number;
  duration?: number;
  durationUnitNs: bigint;
  error?: number;
  status?: number;
  kind?: number;
  httpStatus?: number;
  rpcStatus?: number;
  peer?: number;
}

/** A duration column's unit from its header ("Duration(ms)", "duration_ms"); µs when unstated, as Jaeger, Zipkin and Nezha write it. */
function durationUnitNs(header: string): bigint {
  const name = header.toLowerCase();
  if (/(^|[_(\s])(ns|nanos?)\)?$|nano/.test(name)) return 1n;
  if (/(^|[_(\s])(ms|millis?)\)?$|milli/.test(name)) return 1_000_000n;
  if (/(^|[_(\s])(s|sec|secs|seconds?)\)?$/.test(name)) return 1_000_000_000n;
  return 1000n;
}

function columnsOf(header: CsvHeader): Columns | null {
  const trace = header.find(...TRACE);
  const span = header.find(...SPAN);
  const start = header.find(...START);
  if (trace === undefined || span === undefined || start === undefined) return null;
  const duration = header.find(...DURATION);
  const status = header.find(...STATUS);
  const httpStatus = header.find(...HTTP_STATUS);
  return {
    trace,
    span,
    parent: header.find(...PARENT),
    service: header.find(...SERVICE),
    pod: header.find(...POD),
    name: header.find(...NAME),
    start,
    end: header.find(...END),
    duration,
    durationUnitNs: duration === undefined ? 1000n : durationUnitNs(header.names[duration]!),
    error: header.find(...ERROR),
    status: status === httpStatus ? undefined : status,
    kind: header.find(...KIND),
    httpStatus,
    rpcStatus: header.find(...RPC_STATUS),
    peer: header.find(...PEER),
  };
}

function detectByContent(head: string): number {
  const read = readHeader(head);
  if (!read) return 0;
  const columns = columnsOf(read.header);
  if (!columns) return 0;
  if (columns.parent === undefined && columns.name === undefined) return 0;
  if (columns.end === undefined && columns.duration === undefined) return 0.5;
  const width = read.header.names.length;
  const rows = sampleDataLines(head, 5).map((line) => splitCsvLine(line, read.delimiter).fields);
  const consistent = rows.every((fields) => fields.length === width);
  return consistent ? 0.95 : 0.7;
}

function truthy(value: string): boolean {
  return /^(true|t|yes|y|1|error)$/i.test(value.trim());
}

function statusOf(error: string | undefined, status: string | undefined): { code: SpanStatusCode; httpStatus: number | null } {
  if (error !== undefined && error.trim() !== '') return { code: truthy(error) ? 2 : 0, httpStatus: null };
  if (status === undefined) return { code: 0, httpStatus: null };
  const value = status.trim().toUpperCase();
  const numeric = /^\d+$/.test(value) ? Number(value) : null;
  // A three-digit status column is an HTTP status; OTLP's 0/1/2 is the span status.
  if (numeric !== null && numeric >= 100 && numeric <= 599) return { code: numeric >= 500 ? 2 : 0, httpStatus: numeric };
  if (value === 'ERROR' || value === 'STATUS_CODE_ERROR' || value === '2' || value === 'FAIL' || value === 'FAILED') return { code: 2, httpStatus: null };
  if (value === 'OK' || value === 'STATUS_CODE_OK' || value === '1' || value === 'SUCCESS') return { code: 1, httpStatus: null };
  return { code: 0, httpStatus: null };
}

function intOrNull(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  let columns: Columns | null = null;
  let header: CsvHeader | null = null;
  let used = new Set<number>();
  const batch = spanBatcher(sink);
  const zone = input.timezone ?? UTC;
  const rows = csvRows(input.lines(), (line) => sink.issue({ line, message: 'quoted field never closes; row skipped' }));
  for await (const { fields, line } of rows) {
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    if (!header) {
      header = new CsvHeader(fields);
      columns = columnsOf(header);
      if (!columns) {
        sink.issue({ line, message: 'header has no trace id, span id and start time columns' });
        return;
      }
      used = new Set(Object.values(columns).filter((value): value is number => typeof value === 'number'));
      continue;
    }
    const c = columns!;
    if (fields.length !== header.names.length) {
      sink.issue({ line, message: `${fields.length} fields where the header has ${header.names.length}; row skipped` });
      continue;
    }
    const traceId = fields[c.trace]!.trim();
    const spanId = fields[c.span]!.trim();
    if (!traceId || !spanId) {
      sink.issue({ line, message: 'empty trace or span id; row skipped' });
      continue;
    }
    const startNs = toNs(fields[c.start]!.trim(), zone);
    if (startNs === null) {
      sink.issue({ line, message: `unreadable start time "${fields[c.start]}"; row skipped` });
      continue;
    }
    let endNs = c.end === undefined ? null : toNs(fields[c.end]!.trim(), zone);
    if (endNs === null && c.duration !== undefined) {
      const duration = Number(fields[c.duration]);
      if (Number.isFinite(duration)) endNs = startNs + BigInt(Math.round(duration)) * c.durationUnitNs;
    }
    if (endNs === null || endNs < startNs || !isPlausibleNs(endNs)) {
      sink.issue({ line, message: 'no readable end time or duration; row skipped' });
      continue;
    }
    const parentRaw = c.parent === undefined ? '' : fields[c.parent]!.trim();
    const serviceRaw = c.service === undefined ? '' : fields[c.service]!.trim();
    const podRaw = c.pod === undefined ? '' : fields[c.pod]!.trim();
    const service = serviceRaw ? normalizeService(serviceRaw) : podRaw ? podToService(podRaw) : 'unknown_service';
    const kind = c.kind === undefined ? 'unspecified' : (KINDS[fields[c.kind]!.trim().toLowerCase()] ?? 'unspecified');
    const status = statusOf(c.error === undefined ? undefined : fields[c.error], c.status === undefined ? undefined : fields[c.status]);
    const httpStatus = intOrNull(c.httpStatus === undefined ? undefined : fields[c.httpStatus]) ?? status.httpStatus;
    const peerRaw = c.peer === undefined ? '' : fields[c.peer]!.trim();
    const peer = peerRaw ? normalizeService(peerRaw) : '';
    const attributes: Attributes = {};
    header.names.forEach((name, i) => {
      if (used.has(i)) return;
      const value = fields[i]!.trim();
      if (value !== '') attributes[name] = value;
    });
    if (c.kind !== undefined && fields[c.kind]!.trim()) attributes[header.names[c.kind]!] = fields[c.kind]!.trim();
    if (peerRaw) attributes[header.names[c.peer!]!] = peerRaw;
    const resource: Attributes = { 'service.name': service };
    if (podRaw) resource['k8s.pod.name'] = podRaw;
    await batch.add({
      traceId,
      spanId,
      parentSpanId: NO_PARENT.has(parentRaw.toLowerCase()) ? null : parentRaw,
      service,
      name: c.name === undefined ? '' : fields[c.name]!.trim(),
      kind,
      startNs,
      endNs,
      statusCode: status.code,
      statusMessage: null,
      httpStatus,
      rpcSystem: null,
      rpcStatus: intOrNull(c.rpcStatus === undefined ? undefined : fields[c.rpcStatus]),
      // A peer naming the span's own service (SkyWalking entry spans) says nothing about a callee.
      peerService: peer && peer !== service && kind !== 'server' && kind !== 'consumer' ? peer : null,
      attributes,
      resource,
      events: [],
      sourceLine: line,
    });
  }
  await batch.flush();
}

const detect = byContentThenName(detectByContent, /trace|span/i);

export const csvSpans: TelemetryFormat = {
  id: 'csv-spans',
  label: 'CSV span table',
  signal: 'traces',
  detect,
  parse,
};
