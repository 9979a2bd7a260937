import { describe, expect, it } from 'vitest';
import { toTrace } from './traceModel.js';
import { compareTraces, typicalTrace } from './traceCompare.js';
import { wireTrace, type SpanSpec } from './traceFixture.js';

function span(id: string, parent: string | null, service: string, name: string, startMs: number, durationMs: number): SpanSpec {
  return { id, parent, service, name, startMs, durationMs };
}

describe('compareTraces', () => {
  // A: gateway → orders → db query; B: the same, the db query retried, and a cache call A lacks; A has an audit call B lacks.
  const specsA = [
    span('a1', null, 'gateway', 'GET /order', 0, 100),
    span('a2', 'a1', 'orders', 'load', 5, 80),
    span('a3', 'a2', 'db', 'query', 10, 30),
    span('a4', 'a1', 'audit', 'write', 90, 5),
  ];
  const specsB = [
    span('b1', null, 'gateway', 'GET /order', 0, 900),
    span('b2', 'b1', 'orders', 'load', 5, 880),
    span('b3', 'b2', 'db', 'query', 10, 400),
    span('b4', 'b2', 'db', 'query', 420, 450),
    span('b5', 'b1', 'cache', 'get', 1, 2),
  ];
  const a = toTrace(wireTrace(specsA)).spans;
  const b = toTrace(wireTrace(specsB)).spans;
  const comparison = compareTraces(a, b);
  const row = (service: string, occurrence = 0) => comparison.rows.filter((r) => r.service === service)[occurrence]!;

  it('pairs spans by operation path and gives the duration difference', () => {
    expect(row('gateway')).toMatchObject({ presence: 'both', diffMs: 800, depth: 0 });
    expect(row('orders')).toMatchObject({ presence: 'both', diffMs: 800, depth: 1 });
    expect(row('db', 0)).toMatchObject({ presence: 'both', diffMs: 370, depth: 2 });
    expect(row('db', 0).a?.span.spanId).toBe('a3');
    expect(row('db', 0).b?.span.spanId).toBe('b3');
  });

  it('names the spans found in only one trace, the retry included', () => {
    expect(row('db', 1)).toMatchObject({ presence: 'only_b', diffMs: null, a: null });
    expect(row('db', 1).b?.span.spanId).toBe('b4');
    expect(row('cache')).toMatchObject({ presence: 'only_b' });
    expect(row('audit')).toMatchObject({ presence: 'only_a', b: null });
    expect(comparison).toMatchObject({ matched: 3, onlyA: 1, onlyB: 2, totalMsA: 100, totalMsB: 900 });
  });

  it('keeps tree order: each span follows its parent, the extra ones under their own parent', () => {
    const order = comparison.rows.map((r) => `${r.service}:${r.presence}`);
    expect(order.indexOf('gateway:both')).toBe(0);
    expect(order.indexOf('orders:both')).toBeLessThan(order.indexOf('db:both'));
    expect(order.indexOf('db:both')).toBeLessThan(order.indexOf('db:only_b'));
    expect(order.indexOf('db:only_b')).toBeLessThan(order.indexOf('audit:only_a'));
    expect(comparison.rows).toHaveLength(6);
  });

  it('scales by the spans themselves, not by a deadline far beyond them', () => {
    const withDeadline = toTrace(wireTrace(specsA.map((s, i) => (i === 0 ? { ...s, deadlineMs: 60_000 } : s)))).spans;
    expect(compareTraces(withDeadline, b).totalMsA).toBe(100);
  });

  it('compares a trace with itself as all matched and no difference', () => {
    const self = compareTraces(a, a);
    expect(self.matched).toBe(a.length);
    expect(self.rows.every((r) => r.diffMs === 0)).toBe(true);
  });
});

describe('typicalTrace', () => {
  it('picks the successful trace of median duration, never the excluded one', () => {
    const traces = [
      { trace_id: 'slow', duration_ms: 5000, error: true },
      { trace_id: 'x', duration_ms: 10, error: false },
      { trace_id: 'y', duration_ms: 30, error: false },
      { trace_id: 'z', duration_ms: 900, error: false },
    ];
    expect(typicalTrace(traces, 'slow')?.trace_id).toBe('y');
    expect(typicalTrace(traces, 'y')?.trace_id).toBe('x');
    expect(typicalTrace([{ trace_id: 'slow', duration_ms: 1, error: true }], 'slow')).toBeNull();
  });
});
