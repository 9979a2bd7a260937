/**
 * Fabricated incidents for the offline analyst's tests: an AnalysisReport plus fake data closures
 * that behave like the store (filtering by name, service, window; bucketing events by step).
 */
import type { AnalysisReport, ResilienceKind, TimeWindow } from '../../api/contract.js';
import type { MetricSeries, OfflineContext } from './context.js';

export interface FakeEvent {
  ts: string;
  service: string;
  peer?: string;
  kind: ResilienceKind;
}

export interface FakeTrace {
  trace_id: string;
  root: string;
  duration_ms: number;
  error: boolean;
  start: string;
  services: string[];
}

export interface FakeData {
  report: AnalysisReport;
  services: string[];
  series: MetricSeries[];
  events: FakeEvent[];
  traces: FakeTrace[];
  askedAt?: string;
}

const inWindow = (ts: string, w?: TimeWindow): boolean => !w || (Date.parse(ts) >= Date.parse(w.from) && Date.parse(ts) < Date.parse(w.to));

/** SQL LIKE, case-insensitive, as the store applies `nameLike`. */
function like(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${source}$`, 'i').test(text);
}

export function fakeContext(data: FakeData): OfflineContext {
  return {
    report: data.report,
    services: data.services,
    askedAt: data.askedAt,
    series: async (q) =>
      data.series
        .filter((s) => (!q.nameLike || like(q.nameLike, s.name)) && (!q.service || s.service === q.service))
        .map((s) => ({ ...s, points: s.points.filter((p) => inWindow(p.ts, q.window)) })),
    eventRate: async (q) => {
      const window = q.window ?? data.report.window;
      const step = (q.stepSeconds ?? 60) * 1000;
      const from = Math.floor(Date.parse(window.from) / step) * step;
      const buckets = new Map<number, number>();
      for (let t = from; t <= Date.parse(window.to); t += step) buckets.set(t, 0);
      for (const e of data.events) {
        if (q.service && e.service !== q.service) continue;
        if (q.peer && e.peer !== q.peer) continue;
        if (q.kinds && !q.kinds.includes(e.kind)) continue;
        if (!inWindow(e.ts, window)) continue;
        const bucket = Math.floor(Date.parse(e.ts) / step) * step;
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      }
      return [...buckets.entries()].map(([t, count]) => ({ ts: new Date(t).toISOString(), count }));
    },
    sampleTraces: async (q) =>
      data.traces
        .filter((t) => (!q.service || t.services.includes(q.service)) && (!q.errorOnly || t.error) && inWindow(t.start, q.window))
        .slice(0, q.limit ?? 10)
        .map(({ services: _services, ...t }) => t),
  };
}

/** Points every `stepSeconds` over [from, to], valued by `value(ts)`. */
function points(from: string, to: string, stepSeconds: number, value: (ms: number) => number): { ts: string; value: number }[] {
  const out: { ts: string; value: number }[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepSeconds * 1000) out.push({ ts: new Date(t).toISOString(), value: value(t) });
  return out;
}

function every(from: string, to: string, stepSeconds: number, make: (ts: string) => FakeEvent): FakeEvent[] {
  const out: FakeEvent[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += stepSeconds * 1000) out.push(make(new Date(t).toISOString()));
  return out;
}

/**
 * The seed's story: gateway -> order -> payment -> risk-engine. risk-engine stalls in GC pauses,
 * payment's calls hit DEADLINE_EXCEEDED, its gobreaker "risk-engine-client" opens and flaps, fallbacks
 * are served, order and gateway return errors. "audit" logs errors all along (a red herring).
 */
export const SEED = {
  faultStart: '2024-05-10T10:02:00.000Z',
  faultEnd: '2024-05-10T10:07:00.000Z',
  firstOpen: '2024-05-10T10:03:05.000Z',
  lastClose: '2024-05-10T10:07:01.000Z',
  gcSeries: 'go_gc_duration_seconds',
};

export function seedIncident(overrides: Partial<FakeData> = {}): FakeData {
  const data = { from: '2024-05-10T09:30:00.000Z', to: '2024-05-10T10:30:00.000Z' };
  const window = { from: '2024-05-10T10:00:00.000Z', to: '2024-05-10T10:10:00.000Z' };
  const baseline = { from: '2024-05-10T09:30:00.000Z', to: '2024-05-10T09:57:30.000Z' };
  const inFault = (ms: number): boolean => ms >= Date.parse(SEED.faultStart) && ms < Date.parse(SEED.faultEnd);
  const report: AnalysisReport = {
    window,
    baseline,
    root_causes: [
      {
        service: 'risk-engine',
        kind: 'gc_pause',
        confidence: 0.86,
        started_at: SEED.faultStart,
        edge: null,
        summary: 'stop-the-world GC pauses of about 1.2 s stall risk-engine',
        evidence: [
          { kind: 'series', ref: `series:${SEED.gcSeries}{quantile="1"}`, summary: 'GC pause max jumps from 20 ms to 1.2 s' },
          { kind: 'log', ref: 'log:4:1187', summary: 'risk-engine: long GC pause 1210ms' },
          { kind: 'span', ref: 'span:7f3a9c/11aa', summary: 'payment -> risk-engine DEADLINE_EXCEEDED after 500 ms' },
        ],
      },
      {
        service: 'payment',
        kind: 'error_return',
        confidence: 0.21,
        started_at: '2024-05-10T10:02:30.000Z',
        summary: 'payment returns errors',
        evidence: [{ kind: 'log', ref: 'log:2:40', summary: 'payment error' }],
      },
    ],
    breakers: [
      {
        service: 'payment',
        breaker: 'risk-engine-client',
        protects: 'risk-engine',
        source: 'log',
        transitions: [
          { at: SEED.firstOpen, from: 'closed', to: 'open', ref: 'log:2:101' },
          { at: '2024-05-10T10:04:05.000Z', from: 'open', to: 'half-open', ref: 'log:2:140' },
          { at: '2024-05-10T10:04:06.000Z', from: 'half-open', to: 'open', ref: 'log:2:141' },
          { at: '2024-05-10T10:05:06.000Z', from: 'open', to: 'half-open', ref: 'log:2:180' },
          { at: '2024-05-10T10:05:07.000Z', from: 'half-open', to: 'closed', ref: 'log:2:181' },
          { at: '2024-05-10T10:06:00.000Z', from: 'closed', to: 'open', ref: 'log:2:200' },
          { at: '2024-05-10T10:07:00.000Z', from: 'open', to: 'half-open', ref: 'log:2:230' },
          { at: SEED.lastClose, from: 'half-open', to: 'closed', ref: 'log:2:231' },
        ],
      },
      { service: 'order', breaker: 'inventory-client', protects: 'inventory', source: 'log', transitions: [] },
    ],
    deadline_findings: [
      {
        caller: 'payment',
        callee: 'risk-engine',
        kind: 'deadline_exceeded',
        count: 290,
        summary: 'payment gives up after 500 ms',
        evidence: [{ kind: 'span', ref: 'span:7f3a9c/11aa', summary: 'DEADLINE_EXCEEDED' }],
      },
      {
        caller: 'payment',
        callee: 'risk-engine',
        kind: 'orphan_work',
        count: 120,
        summary: 'risk-engine finishes 700 ms after payment gave up',
        evidence: [{ kind: 'span', ref: 'span:7f3a9c/22bb', summary: 'server span outlives the client span' }],
      },
      { caller: 'order', callee: 'payment', kind: 'timeout_below_callee_p99', count: 14, summary: 'order timeout 800 ms below payment p99 1.1 s' },
    ],
    services: [
      { service: 'gateway', requests: 9000, errors: 210, timeouts: 0, p50_ms: 40, p99_ms: 900 },
      { service: 'order', requests: 8800, errors: 190, timeouts: 14, p50_ms: 35, p99_ms: 850 },
      { service: 'payment', requests: 8700, errors: 300, timeouts: 290, p50_ms: 30, p99_ms: 520 },
      { service: 'risk-engine', requests: 8600, errors: 0, timeouts: 0, p50_ms: 12, p99_ms: 1400 },
      { service: 'audit', requests: 3000, errors: 60, timeouts: 0, p50_ms: 5, p99_ms: 20 },
      { service: 'inventory', requests: 4000, errors: 0, timeouts: 0, p50_ms: 8, p99_ms: 30 },
    ],
  };
  const series: MetricSeries[] = [
    {
      name: SEED.gcSeries,
      service: 'risk-engine',
      labels: { quantile: '1' },
      points: points(data.from, data.to, 30, (ms) => (inFault(ms) ? 1.21 : 0.02)),
    },
    { name: SEED.gcSeries, service: 'risk-engine', labels: { quantile: '0.5' }, points: points(data.from, data.to, 30, () => 0.004) },
    { name: 'process_cpu_seconds_total', service: 'risk-engine', labels: {}, points: points(data.from, data.to, 30, () => 0.3) },
    { name: 'go_gc_duration_seconds', service: 'payment', labels: { quantile: '1' }, points: points(data.from, data.to, 30, () => 0.01) },
  ];
  const events: FakeEvent[] = [
    ...every('2024-05-10T10:02:30.000Z', SEED.faultEnd, 2, (ts) => ({ ts, service: 'payment', peer: 'risk-engine', kind: 'deadline_exceeded' })),
    ...every(SEED.firstOpen, SEED.faultEnd, 10, (ts) => ({ ts, service: 'payment', kind: 'fallback' })),
    ...every('2024-05-10T10:02:40.000Z', SEED.faultEnd, 5, (ts) => ({ ts, service: 'gateway', peer: 'order', kind: 'error' })),
    ...every('2024-05-10T10:02:40.000Z', SEED.faultEnd, 5, (ts) => ({ ts, service: 'order', peer: 'payment', kind: 'error' })),
    ...every(data.from, data.to, 60, (ts) => ({ ts, service: 'audit', kind: 'error' })),
  ];
  const traces: FakeTrace[] = [
    { trace_id: '7f3a9c', root: 'POST /api/orders', duration_ms: 812, error: true, start: '2024-05-10T10:03:01.000Z', services: ['gateway', 'order', 'payment', 'risk-engine'] },
    { trace_id: '8b0012', root: 'POST /api/orders', duration_ms: 640, error: true, start: '2024-05-10T10:04:11.000Z', services: ['gateway', 'order', 'payment', 'risk-engine'] },
    { trace_id: '0c0ffe', root: 'GET /api/orders', duration_ms: 35, error: false, start: '2024-05-10T09:40:00.000Z', services: ['gateway', 'order'] },
  ];
  return {
    report,
    services: ['gateway', 'order', 'payment', 'risk-engine', 'audit', 'inventory'],
    series,
    events,
    traces,
    ...overrides,
  };
}

/**
 * A different shape: the fault sits in the caller. "bff-mobile" has too short a timeout toward
 * "quote-engine", which is healthy. No breakers, no metrics, no baseline.
 */
export function callerSideIncident(): FakeData {
  const window = { from: '2023-03-01T22:00:00.000Z', to: '2023-03-01T23:59:00.000Z' };
  return {
    report: {
      window,
      baseline: null,
      root_causes: [
        {
          service: 'bff-mobile',
          kind: 'misconfigured_timeout',
          confidence: 0.74,
          started_at: '2023-03-01T23:40:10.000Z',
          edge: { caller: 'bff-mobile', callee: 'quote-engine' },
          summary: 'client timeout 40 ms is below quote-engine p50 of 60 ms',
          evidence: [
            { kind: 'span', ref: 'span:aa01/bb02', summary: 'bff-mobile -> quote-engine cancelled after 40 ms' },
            { kind: 'event', ref: 'event:deadline_exceeded:bff-mobile:1677714010000000000', summary: 'first DEADLINE_EXCEEDED' },
          ],
        },
      ],
      breakers: [],
      deadline_findings: [
        { caller: 'bff-mobile', callee: 'quote-engine', kind: 'timeout_below_callee_p99', count: 4000, summary: 'timeout 40 ms vs callee p99 95 ms' },
      ],
      services: [
        { service: 'edge-router', requests: 5000, errors: 1800, timeouts: 0, p50_ms: 50, p99_ms: 120 },
        { service: 'bff-mobile', requests: 5000, errors: 1800, timeouts: 1800, p50_ms: 41, p99_ms: 45 },
        { service: 'quote-engine', requests: 5000, errors: 0, timeouts: 0, p50_ms: 60, p99_ms: 95 },
      ],
    },
    services: ['edge-router', 'bff-mobile', 'quote-engine'],
    series: [],
    events: every('2023-03-01T23:40:10.000Z', '2023-03-01T23:50:00.000Z', 3, (ts) => ({ ts, service: 'bff-mobile', peer: 'quote-engine', kind: 'deadline_exceeded' })),
    traces: [],
  };
}

/** Data that holds no incident the analysis could rank. */
export function quietData(): FakeData {
  return {
    report: {
      window: { from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T01:00:00.000Z' },
      baseline: null,
      root_causes: [],
      breakers: [],
      deadline_findings: [],
      services: [{ service: 'catalog', requests: 100, errors: 0, timeouts: 0, p50_ms: 5, p99_ms: 9 }],
    },
    services: ['catalog'],
    series: [],
    events: [],
    traces: [],
  };
}
