import { spanBatcher } from '../batcher.js';
import { type FormatInput, type TelemetryFormat, byContentThenName } from '../format.js';
import { readJsonDocuments } from '../jsonDocuments.js';
import { isPlausibleNs, isoToNs, normalizeService, toNs } from '../normalize.js';
import type { Attributes, SpanEventRecord, SpanKind, SpanRecord, SpanStatusCode, Sink } from '../records.js';
import { UTC, type TimeZone } from '../timezone.js';

/**
 * Jaeger JSON: the UI's "Download JSON" / query API `{data:[trace...]}`, a bare trace
 * `{traceID, spans, processes}`, a bare array of spans, a single span document (Elasticsearch), the
 * domain model `{spans}` with base64 ids, and the query API v3 envelope `{result:{resourceSpans}}`.
 * Jaeger times are microseconds.
 */

type Json = Record<string, unknown>;

/** OpenTelemetry's name for a span whose producer did not say. */
const UNKNOWN_SERVICE = 'unknown_service';

interface JaegerProcess {
  serviceName?: unknown;
  tags?: unknown;
}

const KINDS: Record<string, SpanKind> = {
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
  internal: 'internal',
};
const OTLP_KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Jaeger ids are hex; the domain model writes them as base64 of the big-endian bytes. */
function hexId(value: unknown): string {
  const id = text(value);
  if (id === '' || /^[0-9a-f]+$/i.test(id)) return id.toLowerCase();
  if (/^[A-Za-z0-9+/]+=*$/.test(id) && id.length % 4 === 0) return Buffer.from(id, 'base64').toString('hex');
  return id;
}

/** Tags as Jaeger writes them: `[{key, type, value}]`, the domain model's `[{key, vType, vStr...}]`, or a plain map. */
function tagMap(tags: unknown): Attributes {
  const out: Attributes = {};
  if (Array.isArray(tags)) {
    for (const tag of tags) {
      if (!isObject(tag) || typeof tag.key !== 'string') continue;
      const value = 'value' in tag ? tag.value : (tag.vStr ?? tag.vBool ?? tag.vInt64 ?? tag.vFloat64 ?? tag.vBinary);
      out[tag.key] = text(value);
    }
  } else if (isObject(tags)) {
    for (const [key, value] of Object.entries(tags)) out[key] = text(value);
  }
  return out;
}

function micros(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value)) * 1000n;
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value) * 1000n;
  return null;
}

/** A start time: µs since the epoch, or (domain model) an ISO string. */
function startNsOf(value: unknown, zone: TimeZone): bigint | null {
  if (typeof value === 'string' && !/^\d+$/.test(value)) return isoToNs(value, zone);
  const ns = micros(value);
  return ns !== null && isPlausibleNs(ns) ? ns : null;
}

/** A duration: µs, or (domain model) a Go duration string such as "22938000ns" or "1.5ms". */
function durationNsOf(value: unknown): bigint | null {
  if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s)$/.exec(value.trim());
    if (match) {
      const scale = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }[match[2] as 'ns' | 'us' | 'µs' | 'ms' | 's'];
      const ns = Number(match[1]) * scale;
      return Number.isFinite(ns) ? BigInt(Math.round(ns)) : null;
    }
  }
  return micros(value);
}

function intOrNull(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

/** The span fields Jaeger tags (and the OTLP attributes of the v3 envelope) carry under OpenTelemetry names. */
function spanFieldsFromTags(tags: Attributes): {
  kind: SpanKind | null;
  statusCode: SpanStatusCode;
  statusMessage: string | null;
  httpStatus: number | null;
  rpcSystem: string | null;
  rpcStatus: number | null;
  peerService: string | null;
} {
  const otelStatus = (tags['otel.status_code'] ?? '').toUpperCase();
  const errorTag = (tags['error'] ?? '').toLowerCase();
  const statusCode: SpanStatusCode = otelStatus === 'ERROR' || errorTag === 'true' ? 2 : otelStatus === 'OK' ? 1 : 0;
  const kind = KINDS[(tags['span.kind'] ?? '').toLowerCase()] ?? null;
  return {
    kind,
    statusCode,
    statusMessage: tags['otel.status_description'] || tags['error.message'] || (statusCode === 2 && errorTag !== 'true' && errorTag !== '' ? tags['error']! : null) || null,
    httpStatus: intOrNull(tags['http.status_code'] ?? tags['http.response.status_code']),
    rpcSystem: tags['rpc.system'] || null,
    rpcStatus: intOrNull(tags['rpc.grpc.status_code']),
    peerService: peerServiceOf(tags, kind),
  };
}

/** `payment.prod.svc.cluster.local` -> `payment`: a Kubernetes service host names its service. */
function serviceFromHost(host: string): string {
  const k8s = /^([^.]+)\.[^.]+\.svc(\.|$)/.exec(host);
  return normalizeService(k8s ? k8s[1]! : host);
}

/**
 * The callee of an outgoing span: `peer.service`, else the host it called (`server.address`,
 * `net.peer.name`). A server span's server.address is its own host, so only outgoing spans use it.
 */
function peerServiceOf(tags: Attributes, kind: SpanKind | null): string | null {
  const declared = tags['peer.service'];
  if (declared) return normalizeService(declared);
  if (kind !== 'client' && kind !== 'producer') return null;
  const host = tags['server.address'] || tags['net.peer.name'];
  return host ? serviceFromHost(host) : null;
}

/** Trace-level keys that say this object is a trace, not a span. */
function isTrace(value: Json): boolean {
  return Array.isArray(value.spans);
}

function isSpan(value: Json): boolean {
  return ('spanID' in value || 'spanId' in value) && ('operationName' in value || 'startTime' in value);
}

interface Collected {
  span: Json;
  processes: Record<string, JaegerProcess>;
}

/** The spans of any supported Jaeger shape, with the process table each one resolves against. */
function jaegerSpans(doc: unknown): Collected[] | null {
  const out: Collected[] = [];
  const fromTrace = (trace: Json): void => {
    const processes = isObject(trace.processes) ? (trace.processes as Record<string, JaegerProcess>) : {};
    for (const span of trace.spans as unknown[]) if (isObject(span)) out.push({ span, processes });
  };
  if (Array.isArray(doc)) {
    for (const item of doc) {
      if (!isObject(item)) continue;
      if (isTrace(item)) fromTrace(item);
      else out.push({ span: item, processes: {} });
    }
    return out;
  }
  if (!isObject(doc)) return null;
  if (Array.isArray(doc.data)) {
    for (const trace of doc.data) if (isObject(trace) && isTrace(trace)) fromTrace(trace);
    return out;
  }
  if (isObject(doc.data) && isTrace(doc.data)) {
    fromTrace(doc.data);
    return out;
  }
  if (isTrace(doc)) {
    fromTrace(doc);
    return out;
  }
  if (isSpan(doc)) return [{ span: doc, processes: {} }];
  return null;
}

function toSpanRecord({ span, processes }: Collected, index: number, zone: TimeZone): SpanRecord | string {
  const traceId = hexId(span.traceID ?? span.traceId);
  const spanId = hexId(span.spanID ?? span.spanId);
  if (!traceId || !spanId) return 'span without traceID or spanID';
  const startNs = startNsOf(span.startTime, zone);
  if (startNs === null) return `span ${spanId}: start time ${text(span.startTime) || '(missing)'} is not a plausible epoch in microseconds`;
  const durationNs = durationNsOf(span.duration) ?? 0n;
  const process: JaegerProcess = isObject(span.process) ? (span.process as JaegerProcess) : (processes[text(span.processID)] ?? {});
  const tags = tagMap(span.tags);
  const resource = tagMap(process.tags);
  const serviceName = text(process.serviceName);
  if (serviceName) resource['service.name'] = serviceName;
  const references = Array.isArray(span.references) ? span.references.filter(isObject) : [];
  const parentRef = references.find((ref) => text(ref.refType).toUpperCase() === 'CHILD_OF') ?? references[0];
  const parentSpanId = parentRef ? hexId(parentRef.spanID ?? parentRef.spanId) : hexId(span.parentSpanID ?? span.parentSpanId);
  const fields = spanFieldsFromTags(tags);
  const events: SpanEventRecord[] = [];
  for (const log of Array.isArray(span.logs) ? span.logs : []) {
    if (!isObject(log)) continue;
    const tsNs = startNsOf(log.timestamp, zone) ?? startNs;
    const attributes = tagMap(log.fields);
    events.push({ tsNs, name: attributes['event'] ?? attributes['message'] ?? 'log', attributes });
  }
  return {
    traceId,
    spanId,
    parentSpanId: parentSpanId || null,
    service: normalizeService(serviceName || UNKNOWN_SERVICE),
    name: text(span.operationName),
    kind: fields.kind ?? 'unspecified',
    startNs,
    endNs: startNs + durationNs,
    statusCode: fields.statusCode,
    statusMessage: fields.statusMessage,
    httpStatus: fields.httpStatus,
    rpcSystem: fields.rpcSystem,
    rpcStatus: fields.rpcStatus,
    peerService: fields.peerService,
    attributes: tags,
    resource,
    events,
    sourceLine: index + 1,
  };
}

/** OTLP's AnyValue (`{stringValue}`, `{intValue}`, ...) as a string. */
function anyValue(value: unknown): string {
  if (!isObject(value)) return text(value);
  if ('stringValue' in value) return text(value.stringValue);
  if ('intValue' in value) return text(value.intValue);
  if ('doubleValue' in value) return text(value.doubleValue);
  if ('boolValue' in value) return text(value.boolValue);
  if (isObject(value.arrayValue)) return JSON.stringify((Array.isArray(value.arrayValue.values) ? value.arrayValue.values : []).map(anyValue));
  if (isObject(value.kvlistValue)) return JSON.stringify(otlpAttributes(value.kvlistValue.values));
  return text(value.bytesValue);
}

function otlpAttributes(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const item of list) if (isObject(item) && typeof item.key === 'string') out[item.key] = anyValue(item.value);
  return out;
}

function otlpKind(kind: unknown): SpanKind {
  if (typeof kind === 'number') return OTLP_KINDS[kind] ?? 'unspecified';
  const name = text(kind).replace(/^SPAN_KIND_/, '').toLowerCase();
  return KINDS[name] ?? 'unspecified';
}

function otlpStatus(status: unknown): SpanStatusCode {
  if (!isObject(status)) return 0;
  const code = status.code;
  if (code === 2 || code === 'STATUS_CODE_ERROR') return 2;
  if (code === 1 || code === 'STATUS_CODE_OK') return 1;
  return 0;
}

/** The query API v3 envelope carries OTLP; only what a Jaeger export holds is read from it. */
function otlpSpans(resourceSpans: unknown[]): (SpanRecord | string)[] {
  const out: (SpanRecord | string)[] = [];
  let index = 0;
  for (const rs of resourceSpans) {
    if (!isObject(rs)) continue;
    const resource = otlpAttributes(isObject(rs.resource) ? rs.resource.attributes : undefined);
    const scopes = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
    for (const scope of scopes) {
      if (!isObject(scope) || !Array.isArray(scope.spans)) continue;
      for (const span of scope.spans) {
        index++;
        if (!isObject(span)) continue;
        const traceId = hexId(span.traceId);
        const spanId = hexId(span.spanId);
        const startNs = toNs(span.startTimeUnixNano);
        const endNs = toNs(span.endTimeUnixNano) ?? startNs;
        if (!traceId || !spanId) {
          out.push('span without traceId or spanId');
          continue;
        }
        if (startNs === null || endNs === null) {
          out.push(`span ${spanId}: no plausible startTimeUnixNano`);
          continue;
        }
        const attributes = otlpAttributes(span.attributes);
        const fields = spanFieldsFromTags(attributes);
        const statusCode = otlpStatus(span.status);
        out.push({
          traceId,
          spanId,
          parentSpanId: hexId(span.parentSpanId) || null,
          service: normalizeService(resource['service.name'] || UNKNOWN_SERVICE),
          name: text(span.name),
          kind: otlpKind(span.kind),
          startNs,
          endNs,
          statusCode: statusCode || fields.statusCode,
          statusMessage: (isObject(span.status) && text(span.status.message)) || fields.statusMessage,
          httpStatus: fields.httpStatus,
          rpcSystem: fields.rpcSystem,
          rpcStatus: fields.rpcStatus,
          peerService: peerServiceOf(attributes, otlpKind(span.kind)),
          attributes,
          resource,
          events: (Array.isArray(span.events) ? span.events.filter(isObject) : []).map((event) => ({
            tsNs: toNs(event.timeUnixNano) ?? startNs,
            name: text(event.name),
            attributes: otlpAttributes(event.attributes),
          })),
          sourceLine: index,
        });
      }
    }
  }
  return out;
}

function detectByContent(head: string): number {
  const start = head.trimStart().slice(0, 4096);
  if (!start.startsWith('{') && !start.startsWith('[')) return 0;
  if (/^\{\s*"result"\s*:\s*\{\s*"resourceSpans"/.test(start)) return 0.9;
  const jaegerKeys = ['"traceID"', '"spanID"', '"operationName"', '"references"', '"processID"', '"processes"'].filter((key) => start.includes(key)).length;
  if (jaegerKeys >= 3) return 0.95;
  if (start.includes('"operationName"') && /"spanI[dD]"/.test(start) && /"startTime"/.test(start)) return 0.8;
  return 0;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const documents = await readJsonDocuments(input, sink);
  const batch = spanBatcher(sink);
  const zone = input.timezone ?? UTC;
  for (const { doc, line } of documents) {
    let records: (SpanRecord | string)[];
    if (isObject(doc) && isObject(doc.result) && Array.isArray(doc.result.resourceSpans)) {
      records = otlpSpans(doc.result.resourceSpans);
    } else {
      const spans = jaegerSpans(doc);
      if (spans === null) {
        sink.issue({ line: line || 1, message: 'JSON holds no Jaeger trace, span list or {data:[...]} envelope' });
        continue;
      }
      records = spans.map((collected, index) => toSpanRecord(collected, index, zone));
    }
    for (let i = 0; i < records.length; i++) {
      // One document: records are numbered by their place in it; JSON lines: by their line.
      const sourceLine = line || i + 1;
      const record = records[i]!;
      if (typeof record === 'string') {
        // a span inside one document has no line of its own: line 0 (the file), the message names it
        sink.issue({ line, message: `span #${i + 1}${line ? ` of line ${line}` : ''}: ${record}; skipped` });
        continue;
      }
      await batch.add({ ...record, sourceLine });
    }
  }
  await batch.flush();
}

const detect = byContentThenName(detectByContent, /jaeger/i);

export const jaeger: TelemetryFormat = {
  id: 'jaeger',
  label: 'Jaeger JSON',
  signal: 'traces',
  detect,
  parse,
};
