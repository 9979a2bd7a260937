import { spanBatcher } from '../batcher.js';
import { type FormatInput, type TelemetryFormat, byContentThenName } from '../format.js';
import { readJsonDocuments } from '../jsonDocuments.js';
import { isPlausibleNs, normalizeService } from '../normalize.js';
import type { Attributes, SpanKind, SpanRecord, SpanStatusCode, Sink } from '../records.js';

/**
 * Zipkin v2 JSON (`/api/v2/trace/{id}`, `/api/v2/traces`, collector dumps): an array of spans, an
 * array of traces (array of span arrays), or a single span. Times are microseconds.
 */

type Json = Record<string, unknown>;

const KINDS: Record<string, SpanKind> = { SERVER: 'server', CLIENT: 'client', PRODUCER: 'producer', CONSUMER: 'consumer' };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function micros(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value)) * 1000n;
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value) * 1000n;
  return null;
}

function intOrNull(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

function serviceOf(endpoint: unknown): string | null {
  return isObject(endpoint) && typeof endpoint.serviceName === 'string' && endpoint.serviceName.length > 0 ? endpoint.serviceName : null;
}

/** The callee: the remote endpoint's service, `peer.service`, or for outgoing spans the host called. */
function remotePeer(span: Json, tags: Attributes): string | null {
  const remote = serviceOf(span.remoteEndpoint) ?? (tags['peer.service'] || null);
  if (remote) return normalizeService(remote);
  const kind = text(span.kind).toUpperCase();
  if (kind !== 'CLIENT' && kind !== 'PRODUCER') return null;
  const host = tags['server.address'] || tags['net.peer.name'];
  if (!host) return null;
  const k8s = /^([^.]+)\.[^.]+\.svc(\.|$)/.exec(host);
  return normalizeService(k8s ? k8s[1]! : host);
}

function toSpanRecord(span: Json, index: number): SpanRecord | string {
  const traceId = text(span.traceId).toLowerCase();
  const spanId = text(span.id).toLowerCase();
  if (!traceId || !spanId) return 'span without traceId or id';
  const startNs = micros(span.timestamp);
  if (startNs === null || !isPlausibleNs(startNs)) return `span ${spanId}: timestamp ${text(span.timestamp) || '(missing)'} is not a plausible epoch in microseconds`;
  const durationNs = micros(span.duration) ?? 0n;
  const tags: Attributes = {};
  if (isObject(span.tags)) for (const [key, value] of Object.entries(span.tags)) tags[key] = text(value);
  // Zipkin marks a failed span by the presence of the `error` tag; its value is the message.
  const hasErrorTag = 'error' in tags;
  const otelStatus = (tags['otel.status_code'] ?? '').toUpperCase();
  const statusCode: SpanStatusCode = hasErrorTag || otelStatus === 'ERROR' ? 2 : otelStatus === 'OK' ? 1 : 0;
  const errorText = tags['error'];
  const localService = serviceOf(span.localEndpoint);
  const resource: Attributes = {};
  if (localService) resource['service.name'] = localService;
  if (isObject(span.localEndpoint)) {
    for (const key of ['ipv4', 'ipv6', 'port'] as const) {
      if (span.localEndpoint[key] !== undefined) resource[`endpoint.${key}`] = text(span.localEndpoint[key]);
    }
  }
  const attributes: Attributes = { ...tags };
  if (isObject(span.remoteEndpoint)) {
    for (const key of ['ipv4', 'ipv6', 'port'] as const) {
      if (span.remoteEndpoint[key] !== undefined) attributes[`remote_endpoint.${key}`] = text(span.remoteEndpoint[key]);
    }
  }
  if (span.shared === true) attributes['zipkin.shared'] = 'true';
  return {
    traceId,
    spanId,
    parentSpanId: text(span.parentId).toLowerCase() || null,
    service: normalizeService(localService ?? 'unknown_service'),
    name: text(span.name),
    kind: KINDS[text(span.kind).toUpperCase()] ?? 'unspecified',
    startNs,
    endNs: startNs + durationNs,
    statusCode,
    statusMessage: tags['otel.status_description'] || (errorText && errorText !== 'true' ? errorText : null) || null,
    httpStatus: intOrNull(tags['http.status_code'] ?? tags['http.response.status_code']),
    rpcSystem: tags['rpc.system'] || null,
    rpcStatus: intOrNull(tags['rpc.grpc.status_code'] ?? tags['grpc.status_code']),
    peerService: remotePeer(span, tags),
    attributes,
    resource,
    events: (Array.isArray(span.annotations) ? span.annotations.filter(isObject) : []).map((annotation) => ({
      tsNs: micros(annotation.timestamp) ?? startNs,
      name: text(annotation.value),
      attributes: {},
    })),
    sourceLine: index + 1,
  };
}

function detectByContent(head: string): number {
  const start = head.trimStart().slice(0, 4096);
  const isArray = start.startsWith('[');
  if (!isArray && !start.startsWith('{')) return 0;
  if (!/"traceId"\s*:/.test(start) || !/"id"\s*:/.test(start)) return 0;
  if (/"spanID"|"operationName"|"resourceSpans"/.test(start)) return 0;
  const zipkinKeys = ['"localEndpoint"', '"remoteEndpoint"', '"timestamp"', '"duration"', '"annotations"', '"parentId"', '"kind"'].filter((key) => start.includes(key)).length;
  if (zipkinKeys < 2) return 0;
  return isArray ? 0.95 : 0.85;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const documents = await readJsonDocuments(input, sink);
  const batch = spanBatcher(sink);
  for (const { doc, line } of documents) {
    const spans: unknown[] = Array.isArray(doc) ? doc.flatMap((item) => (Array.isArray(item) ? item : [item])) : [doc];
    for (let i = 0; i < spans.length; i++) {
      // One document: spans are numbered by their place in it; JSON lines: by their line.
      const sourceLine = line || i + 1;
      const span = spans[i];
      const record = isObject(span) ? toSpanRecord(span, sourceLine - 1) : 'not a span object';
      if (typeof record === 'string') {
        // a span inside one document has no line of its own: line 0 (the file), the message names it
        sink.issue({ line, message: `span #${i + 1}${line ? ` of line ${line}` : ''}: ${record}; skipped` });
        continue;
      }
      await batch.add(record);
    }
  }
  await batch.flush();
}

const detect = byContentThenName(detectByContent, /zipkin/i);

export const zipkin: TelemetryFormat = {
  id: 'zipkin',
  label: 'Zipkin v2 JSON',
  signal: 'traces',
  detect,
  parse,
};
