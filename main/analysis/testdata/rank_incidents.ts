import type { LogRecord, MetricPointRecord, SpanRecord } from '../../../ingest/records.js';
import type { TelemetryStore } from '../../store/store.js';

/**
 * Small hand-built incidents for ranking tests: a gateway calls an api, the api calls a leaf, the
 * leaf may call a database or a cache. Thirty minutes of steady traffic, one request every three
 * seconds; from minute 20 to minute 26 the incident changes what the test asks for.
 */

export const T0_NS = 1_700_000_000_000_000_000n;
export const NS_PER_MS = 1_000_000n;
export const MINUTE_NS = 60_000n * NS_PER_MS;
export const INCIDENT_FROM_NS = T0_NS + 20n * MINUTE_NS;
export const INCIDENT_TO_NS = T0_NS + 26n * MINUTE_NS;
const END_NS = T0_NS + 30n * MINUTE_NS;
const EVERY_NS = 3_000n * NS_PER_MS;

export interface Hop {
  /** Milliseconds the leaf spends on its own work. */
  leafWorkMs: number;
  /** The leaf's call to a dependency it owns (database or cache), if any. */
  dependency?: { name: string; system: string; durationMs: number; error?: string };
  /** The leaf fails of its own accord with this message. */
  leafError?: string;
  /** Overrides the api's timeout for calls to the leaf. */
  timeoutMs?: number;
  /** Delay the path between api and leaf adds, half on the way in and half on the way out. */
  networkDelayMs?: number;
  /** How many times the api tries the leaf before giving up (1 = no retries). */
  attempts?: number;
}

export interface IncidentSpec {
  normal: Hop;
  incident: Hop;
  /** The api's timeout for calls to the leaf. */
  apiTimeoutMs: number;
  /** A service beside the path that fails at a steady rate all along (a decoy). */
  noisyErrorEvery?: number;
}

/** Deterministic jitter so durations vary a little without randomness. */
function jitter(i: number, spreadMs: number): number {
  return ((i * 7919) % 13) / 13 * spreadMs;
}

export function buildSpans(spec: IncidentSpec): SpanRecord[] {
  const spans: SpanRecord[] = [];
  let line = 0;
  const span = (s: Omit<SpanRecord, 'events' | 'resource' | 'sourceLine' | 'rpcSystem' | 'peerService' | 'httpStatus'> & Partial<SpanRecord>): SpanRecord => {
    const record: SpanRecord = {
      events: [],
      resource: {},
      sourceLine: ++line,
      rpcSystem: 'grpc',
      peerService: null,
      httpStatus: null,
      ...s,
    };
    spans.push(record);
    return record;
  };
  let i = 0;
  for (let start = T0_NS; start < END_NS; start += EVERY_NS, i += 1) {
    const inIncident = start >= INCIDENT_FROM_NS && start < INCIDENT_TO_NS;
    const hop = inIncident ? spec.incident : spec.normal;
    const traceId = `t${i.toString(16).padStart(31, '0')}`;
    const id = (n: number): string => `${i.toString(16).padStart(12, '0')}${n.toString(16).padStart(4, '0')}`;
    const ms = (value: number): bigint => BigInt(Math.round(value * 1_000_000));

    // The api tries the leaf (once, or more when it retries); each leaf server span does its own
    // work, then calls its dependency.
    const dependency = hop.dependency;
    const dependencyMs = dependency ? dependency.durationMs + jitter(i, 0.5) : 0;
    const leafWork = hop.leafWorkMs + jitter(i, 2);
    const leafMs = leafWork + dependencyMs;
    const leafFails = hop.leafError !== undefined || dependency?.error !== undefined;
    const timeoutMs = hop.timeoutMs ?? spec.apiTimeoutMs;
    const delayMs = hop.networkDelayMs ?? 0;
    const attempts = hop.attempts ?? 1;
    const attemptSpans: { clientMs: number; timedOut: boolean }[] = [];
    let cursorMs = 2;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const answerMs = leafMs + delayMs + 0.5;
      const timedOut = answerMs > timeoutMs;
      const clientMs = timedOut ? timeoutMs : answerMs;
      const clientId = id(10 + attempt * 2);
      const serverId = id(11 + attempt * 2);
      const clientStart = start + ms(cursorMs);
      const leafStart = clientStart + ms(delayMs / 2 + 0.25);
      span({
        traceId, spanId: clientId, parentSpanId: id(3), service: 'api', name: 'leaf.Quote', kind: 'client',
        startNs: clientStart, endNs: clientStart + ms(clientMs),
        statusCode: timedOut || leafFails ? 2 : 0,
        statusMessage: timedOut ? 'context deadline exceeded' : leafFails ? 'leaf returned an error' : null,
        rpcStatus: timedOut ? 4 : leafFails ? 13 : 0,
        peerService: 'leaf', attributes: attempt > 1 ? { 'retry.attempt': String(attempt) } : {},
      });
      span({ traceId, spanId: serverId, parentSpanId: clientId, service: 'leaf', name: 'leaf.Quote', kind: 'server', startNs: leafStart, endNs: leafStart + ms(leafMs), statusCode: leafFails ? 2 : 0, statusMessage: leafFails ? (hop.leafError ?? 'dependency failed') : null, rpcStatus: leafFails ? 13 : 0, attributes: {} });
      if (dependency) {
        const depStart = leafStart + ms(leafWork);
        span({
          traceId, spanId: id(100 + attempt), parentSpanId: serverId, service: 'leaf', name: dependency.system === 'redis' ? 'GET' : 'SELECT quotes', kind: 'client',
          startNs: depStart, endNs: depStart + ms(dependencyMs),
          statusCode: dependency.error ? 2 : 0, statusMessage: dependency.error ?? null, rpcStatus: null, rpcSystem: null,
          attributes: { 'db.system': dependency.system, 'server.address': `${dependency.name}.prod.svc.cluster.local`, 'db.query.text': dependency.system === 'redis' ? 'GET quote:1' : 'SELECT * FROM quotes WHERE id = $1' },
        });
      }
      attemptSpans.push({ clientMs, timedOut });
      cursorMs += clientMs;
      if (!timedOut && !leafFails) break;
    }
    const last = attemptSpans[attemptSpans.length - 1]!;
    const failed = last.timedOut || leafFails;
    const apiMs = cursorMs + 1;

    span({ traceId, spanId: id(1), parentSpanId: null, service: 'gateway', name: 'GET /checkout', kind: 'server', startNs: start, endNs: start + ms(apiMs + 2), statusCode: failed ? 2 : 0, statusMessage: failed ? 'upstream failed' : null, rpcStatus: null, httpStatus: failed ? 502 : 200, attributes: {} });
    span({ traceId, spanId: id(2), parentSpanId: id(1), service: 'gateway', name: 'api.Checkout', kind: 'client', startNs: start + ms(0.5), endNs: start + ms(apiMs + 1.5), statusCode: failed ? 2 : 0, statusMessage: failed ? 'upstream failed' : null, rpcStatus: failed ? 2 : 0, peerService: 'api', attributes: {} });
    span({ traceId, spanId: id(3), parentSpanId: id(2), service: 'api', name: 'api.Checkout', kind: 'server', startNs: start + ms(1), endNs: start + ms(apiMs + 1), statusCode: failed ? 2 : 0, statusMessage: failed ? 'leaf call failed' : null, rpcStatus: failed ? 2 : 0, attributes: {} });
    if (spec.noisyErrorEvery) {
      const noisyFails = i % spec.noisyErrorEvery === 0;
      span({ traceId: `n${traceId.slice(1)}`, spanId: id(9), parentSpanId: null, service: 'noisy', name: 'POST /refunds', kind: 'server', startNs: start + ms(1), endNs: start + ms(6), statusCode: noisyFails ? 2 : 0, statusMessage: noisyFails ? 'NullPointerException in RefundHandler' : null, rpcStatus: null, httpStatus: noisyFails ? 500 : 200, attributes: {} });
    }
  }
  return spans;
}

/** A gauge per service sampled every 15 s: `value(ns)` gives the level. */
export function buildGauge(name: string, service: string, labels: Record<string, string>, value: (ns: bigint) => number): MetricPointRecord[] {
  const points: MetricPointRecord[] = [];
  let line = 0;
  for (let ts = T0_NS; ts < END_NS; ts += 15_000n * NS_PER_MS) {
    points.push({ tsNs: ts, name, service, labels, value: value(ts), metricType: 'gauge', sourceLine: ++line });
  }
  return points;
}

export const inIncident = (ns: bigint): boolean => ns >= INCIDENT_FROM_NS && ns < INCIDENT_TO_NS;

let imports = 0;

/** Imports records as one test source (unique content, so nothing is taken for a duplicate). */
export async function importRecords(store: TelemetryStore, records: { spans?: SpanRecord[]; metrics?: MetricPointRecord[]; logs?: LogRecord[] }): Promise<void> {
  imports += 1;
  const bytes = new TextEncoder().encode(`rank-test-${imports}-${Date.now()}-${Math.random()}`);
  await store.importSource({ path: `test-${imports}`, bytes, format: 'test' }, async (sink) => {
    if (records.spans) await sink.spans(records.spans);
    if (records.metrics) await sink.metricPoints(records.metrics);
    if (records.logs) await sink.logs(records.logs);
  });
}
