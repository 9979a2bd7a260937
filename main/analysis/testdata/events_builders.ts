/**
 * Small builders for hand-made telemetry in the resilience analysis tests. Times are given in
 * milliseconds after T0 so that fixtures read like the ASCII timelines drawn above them.
 */
import type { LogRecord, MetricPointRecord, SpanKind, SpanRecord } from '../../../ingest/records.js';
import { TelemetryStore } from '../../store/store.js';

export const T0 = 1_700_000_000_000_000_000n;
export const ms = (value: number): bigint => T0 + BigInt(Math.round(value * 1_000_000));
export const isoAt = (value: number): string => new Date(Number(ms(value) / 1_000_000n)).toISOString();

let line = 0;

export interface SpanSpec {
  trace: string;
  id: string;
  parent?: string | null;
  service: string;
  kind?: SpanKind;
  name?: string;
  start: number;
  end: number;
  error?: boolean;
  message?: string | null;
  http?: number | null;
  rpc?: number | null;
  peer?: string | null;
  attributes?: Record<string, string>;
  exception?: { type: string; message: string };
}

export function span(spec: SpanSpec): SpanRecord {
  line += 1;
  return {
    traceId: spec.trace,
    spanId: spec.id,
    parentSpanId: spec.parent ?? null,
    service: spec.service,
    name: spec.name ?? 'call',
    kind: spec.kind ?? 'server',
    startNs: ms(spec.start),
    endNs: ms(spec.end),
    statusCode: spec.error ? 2 : 0,
    statusMessage: spec.message ?? null,
    httpStatus: spec.http ?? null,
    rpcSystem: spec.rpc === undefined || spec.rpc === null ? null : 'grpc',
    rpcStatus: spec.rpc ?? null,
    peerService: spec.peer ?? null,
    attributes: spec.attributes ?? {},
    resource: {},
    events: spec.exception
      ? [{ tsNs: ms(spec.end), name: 'exception', attributes: { 'exception.type': spec.exception.type, 'exception.message': spec.exception.message } }]
      : [],
    sourceLine: line,
  };
}

/**
 * A client span in `caller` and, unless `answered` is false, the callee's server span under it.
 * `server` gives the server span's own timing when it differs from the client's.
 */
export function call(spec: {
  trace: string;
  id: string;
  parent?: string | null;
  caller: string;
  callee: string;
  name?: string;
  start: number;
  end: number;
  server?: { start: number; end: number; error?: boolean; attributes?: Record<string, string> };
  answered?: boolean;
  error?: boolean;
  message?: string;
  rpc?: number;
  http?: number;
  attributes?: Record<string, string>;
}): SpanRecord[] {
  const client = span({
    trace: spec.trace,
    id: spec.id,
    parent: spec.parent ?? null,
    service: spec.caller,
    kind: 'client',
    name: spec.name ?? `${spec.callee}/Call`,
    start: spec.start,
    end: spec.end,
    error: spec.error ?? (spec.rpc !== undefined && spec.rpc !== 0),
    message: spec.message ?? null,
    rpc: spec.rpc ?? null,
    http: spec.http ?? null,
    peer: spec.answered === false ? spec.callee : null,
    attributes: spec.attributes,
  });
  if (spec.answered === false) return [client];
  const server = span({
    trace: spec.trace,
    id: `${spec.id}s`,
    parent: spec.id,
    service: spec.callee,
    kind: 'server',
    name: spec.name ?? `${spec.callee}/Call`,
    start: spec.server?.start ?? spec.start + 1,
    end: spec.server?.end ?? spec.end - 1,
    error: spec.server?.error ?? false,
    attributes: spec.server?.attributes,
  });
  return [client, server];
}

export function log(spec: { at: number; service: string | null; body: string; severity?: LogRecord['severity']; attributes?: Record<string, string>; trace?: string }): LogRecord {
  line += 1;
  return {
    tsNs: ms(spec.at),
    service: spec.service,
    severity: spec.severity ?? 'INFO',
    body: spec.body,
    traceId: spec.trace ?? null,
    spanId: null,
    attributes: spec.attributes ?? {},
    sourceLine: line,
  };
}

export function metric(spec: { at: number; name: string; service: string; labels?: Record<string, string>; value: number; type?: MetricPointRecord['metricType'] }): MetricPointRecord {
  line += 1;
  return {
    tsNs: ms(spec.at),
    name: spec.name,
    service: spec.service,
    labels: spec.labels ?? {},
    value: spec.value,
    metricType: spec.type ?? 'gauge',
    sourceLine: line,
  };
}

let fixtureCounter = 0;

/** An in-memory store holding the records, imported as one source file. */
export async function storeWith(records: { spans?: SpanRecord[]; logs?: LogRecord[]; metrics?: MetricPointRecord[] }): Promise<TelemetryStore> {
  const store = await TelemetryStore.open(':memory:');
  fixtureCounter += 1;
  await store.importSource(
    { path: `fixture-${fixtureCounter}.test`, bytes: new TextEncoder().encode(`fixture ${fixtureCounter} ${Math.random()}`), format: 'test' },
    async (sink) => {
      if (records.spans) await sink.spans(records.spans);
      if (records.logs) await sink.logs(records.logs);
      if (records.metrics) await sink.metricPoints(records.metrics);
    },
  );
  return store;
}
