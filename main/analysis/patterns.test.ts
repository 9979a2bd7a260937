import { describe, expect, it } from 'vitest';
import { PATTERNS, breakerProtects, normalizeBreakerState, parseGrpcTimeout, patternParams, regex, type PatternName } from './patterns.js';

describe('PATTERNS', () => {
  it.each(Object.keys(PATTERNS) as PatternName[])('%s compiles in JavaScript', (name) => {
    expect(() => regex(name)).not.toThrow();
  });

  it.each([
    ['CB subtitle-cache state changed: closed -> open', 'subtitle-cache', 'closed', 'open'],
    ["CircuitBreaker 'backendA' changed state from HALF_OPEN to CLOSED", 'backendA', 'HALF_OPEN', 'CLOSED'],
    ["circuit breaker 'pay' transitioned from open to half-open", 'pay', 'open', 'half-open'],
  ])('breaker_transition reads name, from and to in %s', (line, name, from, to) => {
    const match = regex('breaker_transition').exec(line);
    expect(match?.slice(1, 4)).toEqual([name, from, to]);
  });

  it('breaker_transition ignores a rejected call', () => {
    expect(regex('breaker_transition').test('circuit breaker is open')).toBe(false);
  });

  it.each([
    ["io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker 'backendA' is OPEN and does not permit further calls", 'backendA'],
    ['CircuitBreaker payments-cb is FORCED_OPEN and does not permit further calls', 'payments-cb'],
    ["CircuitBreaker 'inventory' is HALF_OPEN and does not permit further calls", 'inventory'],
  ])('breaker_rejected_name reads the breaker of %s', (line, name) => {
    expect(regex('breaker_rejected_name').exec(line)?.[1]).toBe(name);
  });

  it.each(['circuit breaker is open', 'Hystrix circuit short-circuited and is OPEN', "CircuitBreaker 'x' changed state from CLOSED to OPEN"])(
    'breaker_rejected_name finds no name in %s',
    (line) => {
      expect(regex('breaker_rejected_name').test(line)).toBe(false);
    },
  );

  it.each([
    ['{"http.request.header.x-deadline-timestamp":"2025-03-14T10:30:05.123Z"}', '2025-03-14T10:30:05.123Z'],
    ['{"rpc.deadline":"1741948205123"}', '1741948205123'],
    ['{"deadline_at": 1741948205}', '1741948205'],
    ['{"x-deadline-timestamp":["2025-03-14T10:30:05+08:00"]}', '2025-03-14T10:30:05+08:00'],
  ])('attr_deadline_timestamp reads the absolute deadline in %s', (json, value) => {
    expect(regex('attr_deadline_timestamp').exec(json)?.[1]).toBe(value);
  });

  it.each(['{"deadline_ms":"1500"}', '{"grpc.deadline":"5S"}', '{"deadline_at":"soon"}'])('attr_deadline_timestamp leaves %s to the duration patterns', (json) => {
    expect(regex('attr_deadline_timestamp').test(json)).toBe(false);
  });

  it.each([
    ['envoy_cluster_circuit_breakers_default_rq_pending_open', [undefined, 'rq_pending']],
    ['cluster.payments.circuit_breakers.high.cx_open', ['payments', 'cx']],
  ] as const)('envoy_breaker_gauge reads %s', (name, groups) => {
    expect(regex('envoy_breaker_gauge').exec(name)?.slice(1)).toEqual(groups);
  });

  it('envoy_breaker_gauge leaves remaining-capacity gauges alone', () => {
    expect(regex('envoy_breaker_gauge').test('envoy_cluster_circuit_breakers_default_remaining_rq')).toBe(false);
  });

  it.each([
    ['gc 4706 @24006.210s 3%: 0.684+37.7+0.021 ms clock, 0.63+0.69/1.9/17.1+0.14 ms cpu', 'gc_go_trace', ['0.684', '0.021']],
    ['[info][gc] GC(1633) Pause Young (Normal) (G1 Evacuation Pause) 508M->278M(768M) 20.443ms', 'gc_jvm_pause', ['20.443']],
  ] as const)('%s gives the stop-the-world pause', (line, name, groups) => {
    expect(regex(name).exec(line)?.slice(1)).toEqual(groups);
  });
});

describe('patternParams', () => {
  it('passes exactly the patterns a statement names', () => {
    expect(Object.keys(patternParams('SELECT regexp_matches(x, $re_timeout) OR regexp_matches(x, $re_retry_name)')).sort()).toEqual(['re_retry_name', 're_timeout']);
  });

  it.each(['CB orders-client state changed: closed -> open', 'retrying attempt 2/3', 'java.net.SocketTimeoutException: Read timed out', 'HTTP/1.1 429 Too Many Requests', '[gc] GC(7) Pause Full (G1 Compaction Pause) 1234.5ms'])(
    'passes $re_any_log_event as one pattern that matches what a log recogniser matches: %s',
    (line) => {
      const anyLogEvent = new RegExp(patternParams('SELECT regexp_matches(x, $re_any_log_event)').re_any_log_event!, 'i');
      expect(anyLogEvent.test(line)).toBe(true);
      expect(anyLogEvent.test('GET /orders 200 12ms')).toBe(false);
    },
  );
});

describe('parseGrpcTimeout', () => {
  it.each([
    ['5S', 5000],
    ['4999999u', 4999.999],
    ['300m', 300],
    ['1H', 3_600_000],
  ])('%s is %d ms', (value, expected) => {
    expect(parseGrpcTimeout(value)).toBeCloseTo(expected, 6);
  });

  it.each(['4999999999n', '5s', '', 'abc'])('refuses %j (more than 8 digits or an unknown unit)', (value) => {
    expect(parseGrpcTimeout(value)).toBeNull();
  });
});

describe('breakerProtects', () => {
  const known = ['zeta-limits', 'subtitle', 'subtitle-cache', 'payments'];
  it.each([
    ['subtitle-cache', 'subtitle-cache'],
    ['subtitle-client', 'subtitle'],
    ['limits-client', 'zeta-limits'],
    ['payments_cb', 'payments'],
    ['sms-provider', null],
  ])('%s protects %s', (breaker, expected) => {
    expect(breakerProtects(breaker, known)).toBe(expected);
  });
});

describe('normalizeBreakerState', () => {
  it.each([
    ['CLOSED', 'closed'],
    ['HALF_OPEN', 'half-open'],
    ['half open', 'half-open'],
    ['FORCED_OPEN', 'open'],
    ['opened', 'open'],
    ['DISABLED', 'closed'],
  ])('%s is %s', (raw, expected) => {
    expect(normalizeBreakerState(raw)).toBe(expected);
  });
});
