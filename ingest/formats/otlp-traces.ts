import { BATCH_SIZE, type FormatInput, type TelemetryFormat } from '../format.js';
import { isPlausibleNs, normalizeService } from '../normalize.js';
import { parseTraceLinesInParallel } from '../parallel/otlpWorkerPool.js';
import { currentSpanColumnsSink } from '../parallel/spanColumns.js';
import { errorMessage, jsonValues } from '../read.js';
import type { Attributes, Sink, SpanEventRecord, SpanKind, SpanRecord, SpanStatusCode } from '../records.js';

/*
 * OTLP/JSON as the spec writes it (hex ids, int64 as strings) and as protobuf JSON mappers often
 * write it (base64 ids, numbers, enum names). The helpers below are shared by the OTLP logs and
 * metrics formats.
 */

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** An OTLP AnyValue as a plain JS value (kvlist as an object, array as an array). */
export function anyValue(value: unknown): unknown {
  if (!isObject(value)) return value;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return typeof value.intValue === 'string' ? Number(value.intValue) : value.intValue;
  if ('doubleValue' in value) return value.doubleValue;
  if ('boolValue' in value) return value.boolValue;
  if ('bytesValue' in value) return value.bytesValue;
  if ('arrayValue' in value) return arrayOf(isObject(value.arrayValue) ? value.arrayValue.values : undefined).map(anyValue);
  if ('kvlistValue' in value) {
    const out: Json = {};
    for (const item of arrayOf(isObject(value.kvlistValue) ? value.kvlistValue.values : undefined)) {
      if (isObject(item) && typeof item.key === 'string') out[item.key] = anyValue(item.value);
    }
    return out;
  }
  return undefined;
}

/** An OTLP AnyValue as text: strings as they are, integers exactly, structures as JSON. */
export function anyValueText(value: unknown): string | null {
  if (!isObject(value)) return value === undefined || value === null ? null : String(value);
  if (typeof value.stringValue === 'string') return value.stringValue;
  if ('intValue' in value) return String(value.intValue);
  const plain = anyValue(value);
  if (plain === undefined || plain === null) return null;
  return typeof plain === 'string' ? plain : JSON.stringify(plain);
}

/** OTLP KeyValue list to a flat attribute map; kvlist values become dotted keys. */
export function otlpAttributes(list: unknown, out: Attributes = {}, prefix = ''): Attributes {
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    if (!isObject(item) || typeof item.key !== 'string') continue;
    const key = prefix ? `${prefix}.${item.key}` : item.key;
    const value = item.value;
    if (isObject(value) && typeof value.stringValue === 'string') {
      out[key] = value.stringValue;
    } else if (isObject(value) && isObject(value.kvlistValue)) {
      otlpAttributes(value.kvlistValue.values, out, key);
    } else {
      const text = anyValueText(value);
      if (text !== null) out[key] = text;
    }
  }
  return out;
}

const HEX = /^[0-9a-f]+$/i;
const ZERO = /^0*$/;

/**
 * A trace or span id as lowercase hex. The spec says hex; protobuf JSON mappers write base64
 * (24 characters for 16 bytes, 12 for 8). Empty and all-zero ids mean "none".
 */
export function otlpId(value: unknown, bytes: 16 | 8): string | null {
  if (typeof value !== 'string' || value === '') return null;
  let id: string;
  if ((value.length === 32 || value.length === 16) && HEX.test(value)) {
    id = value.toLowerCase();
  } else if (BASE64.test(value) && base64Length(value) === bytes) {
    id = Buffer.from(value, 'base64').toString('hex');
  } else {
    id = value.toLowerCase();
  }
  return ZERO.test(id) ? null : id;
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function base64Length(value: string): number {
  return Math.floor((value.replace(/=+$/, '').length * 3) / 4);
}

/** int64 nanoseconds written as a string or a number; null when absent, zero or not plausible. */
export function otlpNanos(value: unknown): bigint | null {
  if (typeof value === 'string') {
    if (value === '' || value === '0') return null;
    try {
      return BigInt(value);
    } catch {
      return null;
    }
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return BigInt(Math.round(value));
  return null;
}

export function describeNanos(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

export { isPlausibleNs };

const KIND_BY_NUMBER: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function spanKind(value: unknown): SpanKind {
  if (typeof value === 'number') return KIND_BY_NUMBER[value] ?? 'unspecified';
  if (typeof value !== 'string') return 'unspecified';
  const word = value.toLowerCase().replace(/^span_kind_/, '');
  return (KIND_BY_NUMBER as readonly string[]).includes(word) ? (word as SpanKind) : 'unspecified';
}

function statusCode(value: unknown): SpanStatusCode {
  if (value === 2 || value === 1) return value;
  if (typeof value !== 'string') return 0;
  const word = value.toLowerCase().replace(/^status_code_/, '');
  return word === 'error' ? 2 : word === 'ok' ? 1 : 0;
}

function intOrNull(value: string | undefined): number | null {
  if (value === undefined) return null;
  const number = Number(value);
  return Number.isInteger(number) ? number : null;
}

/** `payment.prod.svc.cluster.local` -> `payment`: a Kubernetes service host names its service. */
export function serviceFromHost(host: string): string {
  const k8s = /^([^.]+)\.[^.]+\.svc(\.|$)/.exec(host);
  return normalizeService(k8s ? k8s[1]! : host);
}

function peerService(attributes: Attributes, kind: SpanKind): string | null {
  const declared = attributes['peer.service'];
  if (declared) return normalizeService(declared);
  // a server span's server.address is its own host, so only outgoing spans name a peer this way
  if (kind !== 'client' && kind !== 'producer') return null;
  const host = attributes['server.address'] ?? attributes['net.peer.name'];
  return host ? serviceFromHost(host) : null;
}

export const UNKNOWN_SERVICE = 'unknown_service';

/** A request wrapped by an API (Jaeger's api_v3 answers `{"result": {"resourceSpans": ...}}`). */
function unwrap(value: unknown, key: string): Json | null {
  if (!isObject(value)) return null;
  if (key in value) return value;
  return isObject(value.result) && key in value.result ? value.result : null;
}

/**
 * Turns OTLP trace requests into span records, span by span. Shared by the sequential parser below
 * and by the parallel workers of ingest/parallel, so both read every span the same way.
 */
export class TraceSpanConverter {
  private record = 0;

  constructor(private readonly issue: (line: number, message: string) => void) {}

  /** The spans of one request in file order. `fromLines`: `line` is the request's line. */
  *spans(request: Json, line: number, fromLines: boolean): Generator<SpanRecord> {
    for (const resourceSpans of arrayOf(request.resourceSpans)) {
      if (!isObject(resourceSpans)) continue;
      const resource = otlpAttributes(isObject(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined);
      const rawService = resource['service.name'];
      const service = rawService ? normalizeService(rawService) : UNKNOWN_SERVICE;
      const scopes = resourceSpans.scopeSpans ?? resourceSpans.instrumentationLibrarySpans;
      for (const scopeSpans of arrayOf(scopes)) {
        if (!isObject(scopeSpans)) continue;
        const scope = isObject(scopeSpans.scope) ? scopeSpans.scope : isObject(scopeSpans.instrumentationLibrary) ? scopeSpans.instrumentationLibrary : null;
        const scopeName = scope && typeof scope.name === 'string' && scope.name ? scope.name : null;
        const scopeVersion = scope && typeof scope.version === 'string' && scope.version ? scope.version : null;
        for (const span of arrayOf(scopeSpans.spans)) {
          this.record += 1;
          if (!isObject(span)) continue;
          const sourceLine = fromLines ? line : this.record;
          let record: SpanRecord | null;
          try {
            record = this.span(span, service, resource, scopeName, scopeVersion, sourceLine);
          } catch (error) {
            this.issue(sourceLine, `could not read span: ${errorMessage(error)}`);
            continue;
          }
          if (record) yield record;
        }
      }
    }
  }

  private span(span: Json, service: string, resource: Attributes, scopeName: string | null, scopeVersion: string | null, sourceLine: number): SpanRecord | null {
    const traceId = otlpId(span.traceId, 16);
    const spanId = otlpId(span.spanId, 8);
    if (!traceId || !spanId) {
      this.issue(sourceLine, `span without a trace or span id (traceId ${JSON.stringify(span.traceId)}, spanId ${JSON.stringify(span.spanId)})`);
      return null;
    }
    const startNs = otlpNanos(span.startTimeUnixNano);
    if (startNs === null || !isPlausibleNs(startNs)) {
      this.issue(sourceLine, `span ${spanId}: start time ${describeNanos(span.startTimeUnixNano)} is not a plausible timestamp; span skipped`);
      return null;
    }
    let endNs = otlpNanos(span.endTimeUnixNano);
    if (endNs === null || !isPlausibleNs(endNs) || endNs < startNs) {
      this.issue(sourceLine, `span ${spanId}: end time ${describeNanos(span.endTimeUnixNano)} is not a plausible end; using the start time`);
      endNs = startNs;
    }
    const attributes = otlpAttributes(span.attributes);
    if (scopeName && attributes['otel.scope.name'] === undefined) attributes['otel.scope.name'] = scopeName;
    if (scopeVersion && attributes['otel.scope.version'] === undefined) attributes['otel.scope.version'] = scopeVersion;
    const kind = spanKind(span.kind);
    const status = isObject(span.status) ? span.status : null;
    const message = status && typeof status.message === 'string' && status.message ? status.message : null;
    return {
      traceId,
      spanId,
      parentSpanId: otlpId(span.parentSpanId, 8),
      service,
      name: typeof span.name === 'string' ? span.name : '',
      kind,
      startNs,
      endNs,
      statusCode: status ? statusCode(status.code) : 0,
      statusMessage: message,
      httpStatus: intOrNull(attributes['http.response.status_code'] ?? attributes['http.status_code']),
      rpcSystem: attributes['rpc.system'] ?? null,
      rpcStatus: intOrNull(attributes['rpc.grpc.status_code']),
      peerService: peerService(attributes, kind),
      attributes,
      resource,
      events: this.events(span.events, spanId, sourceLine),
      sourceLine,
    };
  }

  private events(list: unknown, spanId: string, sourceLine: number): SpanEventRecord[] {
    if (!Array.isArray(list) || list.length === 0) return [];
    const events: SpanEventRecord[] = [];
    for (const event of list) {
      if (!isObject(event)) continue;
      const tsNs = otlpNanos(event.timeUnixNano);
      if (tsNs === null || !isPlausibleNs(tsNs)) {
        this.issue(sourceLine, `span ${spanId}: event time ${describeNanos(event.timeUnixNano)} is not a plausible timestamp; event skipped`);
        continue;
      }
      events.push({ tsNs, name: typeof event.name === 'string' ? event.name : '', attributes: otlpAttributes(event.attributes) });
    }
    return events;
  }
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const columns = currentSpanColumnsSink();
  if (columns && (await parseTraceLinesInParallel(input, sink, columns))) return;
  const issue = (line: number, message: string): void => sink.issue({ line, message });
  const converter = new TraceSpanConverter(issue);
  let batch: SpanRecord[] = [];
  for await (const { value, line, fromLines } of jsonValues(input, issue)) {
    const request = unwrapTraceRequest(value);
    if (!request) {
      issue(line, NOT_A_TRACE_REQUEST);
      continue;
    }
    for (const record of converter.spans(request, line, fromLines)) {
      batch.push(record);
      if (batch.length < BATCH_SIZE) continue;
      await sink.spans(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await sink.spans(batch);
}

export const NOT_A_TRACE_REQUEST = 'not an OTLP trace request (no "resourceSpans")';

/** The trace request in one parsed JSON value, also when an API wrapped it; null when there is none. */
export function unwrapTraceRequest(value: unknown): Json | null {
  return unwrap(value, 'resourceSpans');
}

/** How sure we are that `head` holds OTLP/JSON with the given top-level key, 0..1. */
export function detectOtlp(head: string, key: string, path: string): number {
  const start = head.trimStart();
  if (!start.startsWith('{')) return 0;
  const opening = start.slice(0, 200);
  const named = /otlp|otel/i.test(path) ? 0.01 : 0;
  if (new RegExp(`^\\{\\s*"${key}"\\s*:`).test(opening)) return 0.97 + named;
  if (new RegExp(`^\\{\\s*"result"\\s*:\\s*\\{\\s*"${key}"\\s*:`).test(opening)) return 0.95 + named;
  // key order is not guaranteed: another top-level key may come first
  if (start.slice(0, 4096).includes(`"${key}"`)) return 0.7 + named;
  return 0;
}

export const otlpTraces: TelemetryFormat = {
  id: 'otlp-traces',
  label: 'OTLP JSON traces',
  signal: 'traces',
  detect: (head, path) => detectOtlp(head, 'resourceSpans', path),
  parse,
};
