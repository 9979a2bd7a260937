import { logBatcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { flattenAttributes, normalizeService, normalizeSeverity, podToService, toNs } from '../normalize.js';
import { errorMessage, headLines, jsonValues } from '../read.js';
import type { Attributes, LogRecord, Severity, Sink } from '../records.js';
import { UTC, type TimeZone } from '../timezone.js';

/*
 * Structured logs, one JSON object per line, from the common loggers: zap, slog, logrus, zerolog,
 * pino, bunyan, Serilog compact, ECS, Docker's json-file, journald (`journalctl -o json`) and Loki
 * (`logcli --output jsonl`, or a query_range answer with resultType "streams"). Fields are looked up
 * by the names those loggers use, after flattening nested objects to dotted keys.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', '@t', 'Timestamp', 'datetime', 'date', 'asctime', 'eventTime', 'timeMillis', 't', '__REALTIME_TIMESTAMP', '_SOURCE_REALTIME_TIMESTAMP', 'log.timestamp'];
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'log.level', 'levelname', 'loglevel', 'level_name', '@l', 'severity_text', 'severityText', 'Level', 'LEVEL', 'labels.level', 'labels.detected_level', 'detected_level'];
const MESSAGE_KEYS = ['msg', 'message', 'MESSAGE', '@m', '@mt', 'log', 'line', 'text', 'body', 'Message', 'short_message', 'event'];
const SERVICE_KEYS = ['service', 'service.name', 'service_name', 'serviceName', 'app', 'application', 'app_name', 'kubernetes.labels.app', 'labels.service_name', 'labels.service', 'labels.app'];
const POD_KEYS = ['pod', 'pod_name', 'k8s.pod.name', 'kubernetes.pod_name', 'kubernetes.pod.name', 'labels.pod'];
const FALLBACK_SERVICE_KEYS = ['SYSLOG_IDENTIFIER', '_SYSTEMD_UNIT', 'kubernetes.container_name', 'container', 'labels.container', 'labels.job'];
const TRACE_KEYS = ['trace_id', 'traceId', 'traceID', 'trace.id', 'TraceId', 'traceid', 'trace-id', 'otelTraceID', 'dd.trace_id', 'logging.googleapis.com/trace'];
const SPAN_KEYS = ['span_id', 'spanId', 'spanID', 'span.id', 'SpanId', 'spanid', 'span-id', 'otelSpanID', 'dd.span_id', 'logging.googleapis.com/spanId'];
const TRACEPARENT_KEYS = ['traceparent', 'trace_parent', 'traceParent'];

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function firstKey(fields: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) if (fields[key] !== undefined && fields[key] !== '') return key;
  return null;
}

/**
 * A correlation id as lowercase hex. Datadog writes decimal 64-bit ids (the low half of the W3C id),
 * Google Cloud writes "projects/<p>/traces/<id>".
 */
function correlationId(key: string, value: string, hexLength: 32 | 16): string | null {
  let id = value.trim();
  if (id.includes('/')) id = id.slice(id.lastIndexOf('/') + 1);
  if (key.startsWith('dd.') && /^\d+$/.test(id)) return BigInt(id).toString(16).padStart(hexLength, '0');
  if (UUID.test(id)) id = id.replace(/-/g, '');
  id = id.toLowerCase();
  return id === '' || /^0+$/.test(id) ? null : id;
}

/** journald's PRIORITY is syslog's 0 (emerg) .. 7 (debug), not the OTLP scale. */
const SYSLOG_SEVERITY: readonly Severity[] = ['FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'INFO', 'INFO', 'DEBUG'];

function severityOf(fields: Attributes, consumed: Set<string>): Severity {
  const key = firstKey(fields, LEVEL_KEYS);
  if (key) {
    const severity = normalizeSeverity(fields[key]);
    if (severity) {
      consumed.add(key);
      return severity;
    }
  }
  const priority = fields.PRIORITY;
  if (priority !== undefined && /^[0-7]$/.test(priority)) {
    consumed.add('PRIORITY');
    return SYSLOG_SEVERITY[Number(priority)]!;
  }
  return 'INFO';
}

function timeOf(fields: Attributes, consumed: Set<string>, zone: TimeZone): bigint | null {
  for (const key of TIME_KEYS) {
    const value = fields[key];
    if (value === undefined || value === '') continue;
    const ns = toNs(value, zone);
    if (ns !== null) {
      consumed.add(key);
      return ns;
    }
  }
  // log4j2's JsonLayout: "instant": {"epochSecond": 1, "nanoOfSecond": 2}
  const seconds = fields['instant.epochSecond'];
  if (seconds !== undefined && /^\d+$/.test(seconds)) {
    consumed.add('instant.epochSecond').add('instant.nanoOfSecond');
    const nanos = fields['instant.nanoOfSecond'];
    return BigInt(seconds) * 1_000_000_000n + BigInt(nanos && /^\d+$/.test(nanos) ? nanos : '0');
  }
  return null;
}

function serviceOf(fields: Attributes, consumed: Set<string>): string | null {
  const serviceKey = firstKey(fields, SERVICE_KEYS);
  if (serviceKey) {
    consumed.add(serviceKey);
    return normalizeService(fields[serviceKey]!);
  }
  const podKey = firstKey(fields, POD_KEYS);
  if (podKey) return podToService(fields[podKey]!);
  const fallbackKey = firstKey(fields, FALLBACK_SERVICE_KEYS);
  if (fallbackKey) return normalizeService(fields[fallbackKey]!.replace(/\.service$/, ''));
  return null;
}

function correlationOf(fields: Attributes, consumed: Set<string>): { traceId: string | null; spanId: string | null } {
  const traceKey = firstKey(fields, TRACE_KEYS);
  const spanKey = firstKey(fields, SPAN_KEYS);
  let traceId = traceKey ? correlationId(traceKey, fields[traceKey]!, 32) : null;
  let spanId = spanKey ? correlationId(spanKey, fields[spanKey]!, 16) : null;
  if (traceKey) consumed.add(traceKey);
  if (spanKey) consumed.add(spanKey);
  const parentKey = firstKey(fields, TRACEPARENT_KEYS);
  const parent = parentKey ? TRACEPARENT.exec(fields[parentKey]!.trim()) : null;
  if (parent) {
    traceId ??= parent[1]!.toLowerCase();
    spanId ??= parent[2]!.toLowerCase();
  }
  return { traceId, spanId };
}

/**
 * The fields of one log object. Wrappers that carry the application's own line as a string
 * (Docker's "log", Loki's "line") are opened when that line is itself JSON; the wrapper's fields
 * stay as attributes.
 */
function fieldsOf(object: Json): Attributes {
  for (const wrapperKey of ['log', 'line']) {
    const inner = object[wrapperKey];
    if (typeof inner !== 'string' || !inner.trimStart().startsWith('{')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(inner);
    } catch {
      continue;
    }
    if (!isObject(parsed)) continue;
    const innerFields = flattenAttributes(parsed);
    const outer = flattenAttributes(object);
    delete outer[wrapperKey];
    // the application's own time is when it happened; the wrapper's is when it was collected
    if (firstKey(innerFields, TIME_KEYS)) for (const key of TIME_KEYS) delete outer[key];
    return Object.assign(outer, innerFields);
  }
  return flattenAttributes(object);
}

export function logFromObject(object: Json, sourceLine: number, issue: (line: number, message: string) => void, zone: TimeZone = UTC): LogRecord | null {
  const fields = fieldsOf(object);
  const consumed = new Set<string>();
  const tsNs = timeOf(fields, consumed, zone);
  if (tsNs === null) {
    const key = firstKey(fields, TIME_KEYS);
    issue(sourceLine, key ? `${key} ${JSON.stringify(fields[key])} is not a plausible timestamp; line skipped` : 'no timestamp field; line skipped');
    return null;
  }
  const messageKey = firstKey(fields, MESSAGE_KEYS);
  if (messageKey) consumed.add(messageKey);
  const severity = severityOf(fields, consumed);
  const service = serviceOf(fields, consumed);
  const { traceId, spanId } = correlationOf(fields, consumed);
  const attributes: Attributes = {};
  for (const key in fields) if (!consumed.has(key)) attributes[key] = fields[key]!;
  return {
    tsNs,
    service,
    severity,
    body: messageKey ? fields[messageKey]! : '',
    traceId,
    spanId,
    attributes,
    sourceLine,
  };
}

/** Entries of a Loki query answer: {"data": {"resultType": "streams", "result": [{stream, values}]}}. */
function* lokiEntries(answer: Json): Generator<Json> {
  const data = isObject(answer.data) ? answer.data : null;
  if (!data || !Array.isArray(data.result)) return;
  for (const stream of data.result) {
    if (!isObject(stream) || !Array.isArray(stream.values)) continue;
    const labels = isObject(stream.stream) ? stream.stream : {};
    for (const entry of stream.values) {
      if (Array.isArray(entry) && entry.length >= 2) yield { labels, timestamp: entry[0], line: entry[1] };
    }
  }
}

function isLokiAnswer(value: Json): boolean {
  return isObject(value.data) && value.data.resultType === 'streams';
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const issue = (line: number, message: string): void => sink.issue({ line, message });
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  const add = async (object: Json, sourceLine: number): Promise<void> => {
    let record: LogRecord | null;
    try {
      record = logFromObject(object, sourceLine, issue, zone);
    } catch (error) {
      issue(sourceLine, `could not read log line: ${errorMessage(error)}`);
      return;
    }
    if (!record) return;
    await batch.add(record);
  };
  for await (const { value, line, fromLines } of jsonValues(input, issue)) {
    if (!isObject(value)) {
      issue(line, 'not a JSON object');
      continue;
    }
    if (isLokiAnswer(value)) {
      let index = 0;
      for (const entry of lokiEntries(value)) {
        index += 1;
        await add(entry, fromLines ? line : index);
      }
      continue;
    }
    await add(value, line);
  }
  await batch.flush();
}

function detect(head: string, path: string): number {
  const start = head.trimStart();
  if (!start.startsWith('{')) return 0;
  const named = /\.(jsonl|ndjson|log)(\.gz)?$|log/i.test(path) ? 0.01 : 0;
  if (/"resultType"\s*:\s*"streams"/.test(start.slice(0, 4096))) return 0.95 + named;
  const lines = headLines(head, 20);
  let logLike = 0;
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObject(value) || 'resourceSpans' in value || 'resourceLogs' in value || 'resourceMetrics' in value) continue;
    const fields = fieldsOf(value);
    const hasTime = firstKey(fields, TIME_KEYS) !== null || fields['instant.epochSecond'] !== undefined;
    const hasText = firstKey(fields, MESSAGE_KEYS) !== null || firstKey(fields, LEVEL_KEYS) !== null;
    if (hasTime && hasText) logLike += 1;
  }
  if (logLike === 0) return 0;
  return (logLike / lines.length >= 0.8 ? 0.9 : 0.6) + named;
}

export const jsonLogs: TelemetryFormat = {
  id: 'json-logs',
  label: 'JSON logs (zap, slog, logrus, zerolog, pino, bunyan, ECS, journald, Loki)',
  signal: 'logs',
  detect,
  parse,
};
