import { describe, expect, it } from 'vitest';
import type { LogRecord, MetricPointRecord, SpanRecord } from '../../ingest/records.js';
import { rebuildDerived } from './index.js';
import { call, log, metric, span, storeWith } from './testdata/events_builders.js';

interface EventRow {
  service: string;
  peer: string | null;
  kind: string;
  layer: string;
  source: string;
  source_ref: string;
}

async function eventsOf(records: { spans?: SpanRecord[]; logs?: LogRecord[]; metrics?: MetricPointRecord[] }): Promise<EventRow[]> {
  const store = await storeWith(records);
  try {
    await rebuildDerived(store);
    return await store.withRead((r) =>
      r.all<EventRow>('SELECT service, peer, kind, layer, source, source_ref FROM resilience_events ORDER BY ts_ns, source_ref'),
    );
  } finally {
    store.close();
  }
}

describe.each([
  { title: 'gRPC DEADLINE_EXCEEDED on a client span', spans: call({ trace: 't', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 300, rpc: 4 }), kind: 'deadline_exceeded', layer: 'protocol', peer: 'orders' },
  { title: 'gRPC CANCELLED', spans: call({ trace: 't', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 30, rpc: 1 }), kind: 'cancelled', layer: 'protocol', peer: 'orders' },
  { title: 'gRPC UNAVAILABLE with connection refused', spans: call({ trace: 't', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 3, rpc: 14, message: 'dial tcp 10.0.0.1:50051: connect: connection refused', answered: false }), kind: 'unavailable', layer: 'network', peer: 'orders' },
  { title: 'HTTP 504', spans: call({ trace: 't', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 3, http: 504, error: true }), kind: 'timeout', layer: 'protocol', peer: 'orders' },
  { title: 'HTTP 429', spans: call({ trace: 't', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 3, http: 429, error: true }), kind: 'rate_limited', layer: 'service', peer: 'orders' },
  { title: 'gobreaker open state in the status message', spans: call({ trace: 't', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 1, error: true, message: 'circuit breaker is open', answered: false }), kind: 'breaker_rejected', layer: 'service', peer: 'orders' },
  { title: 'Java read timeout in an exception event', spans: [span({ trace: 't', id: 'c', service: 'api', kind: 'client', peer: 'orders', start: 0, end: 3000, error: true, exception: { type: 'java.net.SocketTimeoutException', message: 'Read timed out' } })], kind: 'timeout', layer: 'transport', peer: 'orders' },
  { title: 'a fallback attribute', spans: [span({ trace: 't', id: 'c', service: 'api', start: 0, end: 3, attributes: { 'app.fallback': 'true' } })], kind: 'fallback', layer: 'fallback', peer: null },
  { title: 'a resend count', spans: [span({ trace: 't', id: 'c', service: 'api', kind: 'client', peer: 'orders', start: 0, end: 3, attributes: { 'http.request.resend_count': '2' } })], kind: 'retry', layer: 'service', peer: 'orders' },
])('span events: $title', ({ spans, kind, layer, peer }) => {
  it(`is recognised as ${kind} on the ${layer} layer`, async () => {
    const events = await eventsOf({ spans });
    const found = events.filter((e) => e.kind === kind);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ layer, peer, source: 'span' });
    expect(found[0]!.source_ref).toMatch(/^span:t\/c$/);
  });
});

describe.each([
  { title: 'gobreaker transition', body: 'CB orders-client state changed: closed -> open', kind: 'breaker_transition' },
  { title: 'resilience4j transition', body: "CircuitBreaker 'orders' changed state from CLOSED to OPEN", kind: 'breaker_transition' },
  { title: 'Polly breaker opened', body: 'Circuit breaker opened for 30s due to: TimeoutRejectedException', kind: 'breaker_transition' },
  { title: 'CallNotPermittedException', body: "io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker 'orders' is OPEN and does not permit further calls", kind: 'breaker_rejected' },
  { title: 'Hystrix short-circuit', body: 'Hystrix circuit short-circuited and is OPEN', kind: 'breaker_rejected' },
  { title: 'Hystrix short-circuit with a failed fallback', body: 'HystrixRuntimeException: getOrders short-circuited and fallback failed.', kind: 'fallback' },
  { title: 'gRPC deadline', body: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded', kind: 'deadline_exceeded' },
  { title: 'gRPC unavailable', body: 'rpc error: code = Unavailable desc = connection error', kind: 'unavailable' },
  { title: 'Java read timeout', body: 'java.net.SocketTimeoutException: Read timed out', kind: 'timeout' },
  { title: 'HikariCP', body: 'HikariPool-1 - Connection is not available, request timed out after 30000ms.', kind: 'pool_wait' },
  { title: 'Apache HttpClient pool', body: 'org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool', kind: 'pool_wait' },
  { title: 'retry line quoting a deadline', body: 'retrying attempt 2/3 peer=orders last_error="rpc error: code = DeadlineExceeded"', kind: 'retry' },
  { title: 'fallback line', body: 'fallback: returning cached price reason="circuit open"', kind: 'fallback' },
  { title: 'Chinese degradation line', body: '支付服务降级：暂不支持在线支付，请选择货到付款', kind: 'fallback' },
  { title: 'Envoy UO in an access log', body: '[2024-01-01T00:00:00.000Z] "GET /orders HTTP/1.1" 503 UO 0 81 0 - "-" "curl" "id" "orders" "-"', kind: 'overflow' },
  { title: 'Go GC trace with a long stop-the-world phase', body: 'gc 12 @3.456s 2%: 250+25+0.2 ms clock, 0.1+0/1/2+0.8 ms cpu, 4->4->2 MB, 5 MB goal, 8 P', kind: 'gc_pause' },
  { title: 'JVM GC pause', body: '[2024-01-01T00:00:00.000+0000][info][gc] GC(7) Pause Full (G1 Compaction Pause) 700M->500M(768M) 1234.5ms', kind: 'gc_pause' },
  { title: 'an HTTP status in a structured line', body: 'upstream call failed status=503 path=/orders', kind: 'unavailable' },
  { title: 'a rate-limited response', body: 'HTTP/1.1 429 Too Many Requests', kind: 'rate_limited' },
  { title: 'gobreaker half-open probe limit', body: 'payments call failed: too many requests', kind: 'breaker_rejected' },
  { title: 'an unrecognised error', body: 'NullPointerException at OrderService.java:42', kind: 'error', severity: 'ERROR' as const },
])('log events: $title', ({ body, kind, severity }) => {
  it(`is recognised as ${kind}`, async () => {
    const events = await eventsOf({ logs: [log({ at: 0, service: 'api', body, severity })] });
    expect(events.map((e) => e.kind)).toEqual([kind]);
    expect(events[0]!.source).toBe('log');
    expect(events[0]!.source_ref).toMatch(/^log:\d+:\d+$/);
  });
});

describe('log events', () => {
  it.each(['order 503 cancelled by user', 'user=429 logged in', 'GET /orders 200 504ms'])('ignores numbers and words out of context: %s', async (body) => {
    expect(await eventsOf({ logs: [log({ at: 0, service: 'api', body })] })).toEqual([]);
  });

  it('ignores ordinary lines and usual GC pauses', async () => {
    const gc = (i: number, pause: string) => log({ at: i, service: 'api', body: `gc ${i} @${i}.0s 1%: ${pause}+3.1+0.01 ms clock, 0.1+0/1/2+0.8 ms cpu, 4->4->2 MB, 5 MB goal, 8 P` });
    const events = await eventsOf({
      logs: [log({ at: 0, service: 'api', body: 'GET /orders 200 12ms' }), ...[1, 2, 3, 4, 5].map((i) => gc(i, '0.3')), gc(6, '180')],
    });
    expect(events.map((e) => e.kind)).toEqual(['gc_pause']);
  });

  it('names the protected service as the peer of a breaker line', async () => {
    const events = await eventsOf({
      spans: call({ trace: 't', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 3 }),
      logs: [log({ at: 0, service: 'api', body: 'CB orders-client state changed: closed -> open' })],
    });
    expect(events.find((e) => e.kind === 'breaker_transition')?.peer).toBe('orders');
  });
});

describe('metric events', () => {
  it('turns a breaker state gauge change and a GC pause outlier into events', async () => {
    const gauge = (at: number, value: number) => metric({ at, name: 'circuit_breaker_state', service: 'api', labels: { name: 'orders-client', pod: 'api-1' }, value });
    const pause = (at: number, value: number) => metric({ at, name: 'go_gc_duration_seconds', service: 'api', labels: { quantile: '1', pod: 'api-1' }, value });
    const events = await eventsOf({
      metrics: [gauge(0, 0), gauge(60_000, 2), gauge(120_000, 0), ...[0, 1, 2, 3, 4].map((i) => pause(i * 60_000, 0.001)), pause(300_000, 0.4)],
    });
    expect(events.filter((e) => e.kind === 'breaker_transition')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'gc_pause')).toHaveLength(1);
    expect(events.every((e) => e.source === 'metric' && e.source_ref.startsWith('series:'))).toBe(true);
  });

  it('counts increments of a timeout counter', async () => {
    const counter = (at: number, value: number) => metric({ at, name: 'hikaricp_connections_timeout_total', service: 'api', labels: { pool: 'main' }, value, type: 'counter' });
    const events = await eventsOf({ metrics: [counter(0, 5), counter(60_000, 5), counter(120_000, 9)] });
    expect(events.map((e) => e.kind)).toEqual(['pool_wait']);
  });
});

describe('rebuildDerived', () => {
  it('is idempotent and fills call_edges', async () => {
    const store = await storeWith({
      spans: [
        ...call({ trace: 't1', id: 'a', caller: 'api', callee: 'orders', start: 0, end: 10 }),
        ...call({ trace: 't2', id: 'b', caller: 'api', callee: 'orders', start: 0, end: 300, rpc: 4 }),
      ],
    });
    const first = await rebuildDerived(store);
    const second = await rebuildDerived(store);
    expect(second).toEqual(first);
    const edges = await store.withRead((r) => r.all('SELECT caller, callee, calls, errors, timeouts FROM call_edges'));
    expect(edges).toEqual([{ caller: 'api', callee: 'orders', calls: 2, errors: 1, timeouts: 1 }]);
    store.close();
  });

  it('lets no read in between its steps: a read asked for as it starts sees its call pairs and its events', async () => {
    const store = await storeWith({ spans: call({ trace: 't1', id: 'b', caller: 'api', callee: 'orders', start: 0, end: 300, rpc: 4 }) });
    const rebuilt = rebuildDerived(store);
    const seen = await store.withRead((r) =>
      r.all<{ pairs: number; events: number }>('SELECT (SELECT count(*) FROM call_pairs) AS pairs, (SELECT count(*) FROM resilience_events) AS events'),
    );
    await rebuilt;
    expect(seen).toEqual([{ pairs: 1, events: 1 }]);
    store.close();
  });
});
