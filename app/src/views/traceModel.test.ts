import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildWaterfall, chartPointTime, toTrace, traceTime, visibleRange, windowAround } from './traceModel.js';
import { wireTrace, type SpanSpec } from './traceFixture.js';

const base = Date.parse('2024-05-01T10:00:00.000Z');

const span = (id: string, parent: string | null, startMs: number, durationMs: number, extra: Partial<SpanSpec> = {}): SpanSpec => ({ id, parent, startMs, durationMs, ...extra });

describe('toTrace', () => {
  it('turns the wire columns into one span each, with names, parents and flags resolved', () => {
    const trace = toTrace(
      wireTrace([span('root', null, 0, 100, { service: 'gateway', name: 'GET /pay' }), span('call', 'root', 0.25, 60, { service: 'payments', statusCode: 2, deadlineMs: 50 })], {
        critical: ['root'],
        orphans: ['call'],
      }),
    );
    expect(trace.startMs).toBe(base);
    expect(trace.spans.map((s) => [s.index, s.spanId, s.parent, s.service, s.name, s.offsetMs, s.statusCode, s.deadlineMs, s.critical, s.orphan])).toEqual([
      [0, 'root', -1, 'gateway', 'GET /pay', 0, 0, null, true, false],
      [1, 'call', 0, 'payments', 'call', 0.25, 2, 50, false, true],
    ]);
    expect(traceTime(trace, 1.5)).toBe('2024-05-01T10:00:00.001Z');
  });
});

describe('buildWaterfall', () => {
  it('orders spans as a tree, earliest child first, with depths', () => {
    const { spans } = toTrace(wireTrace([span('b', 'root', 50, 10), span('root', null, 0, 100), span('a1', 'a', 20, 5), span('a', 'root', 10, 30)]));
    const waterfall = buildWaterfall(spans);
    expect(waterfall.rows.map((row) => [row.span.spanId, row.depth, row.span.offsetMs])).toEqual([
      ['root', 0, 0],
      ['a', 1, 10],
      ['a1', 2, 20],
      ['b', 1, 50],
    ]);
    expect(waterfall.totalMs).toBe(100);
  });

  it('keeps spans whose parent is missing as extra roots and stretches the axis to a late deadline', () => {
    const { spans } = toTrace(wireTrace([span('root', null, 0, 40), span('lost', 'gone', 5, 10, { deadlineMs: 70 })]));
    const waterfall = buildWaterfall(spans);
    expect(waterfall.rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ['root', 0],
      ['lost', 0],
    ]);
    expect(waterfall.totalMs).toBe(70);
  });

  it('lays out a 10,000-span deep trace', () => {
    const { spans } = toTrace(wireTrace(Array.from({ length: 10_000 }, (_, index) => span(`s${index}`, index === 0 ? null : `s${index - 1}`, index * 0.01, 200 - index * 0.01))));
    const waterfall = buildWaterfall(spans);
    expect(waterfall.rows).toHaveLength(10_000);
    expect(waterfall.rows[9_999]!.depth).toBe(9_999);
  });
});

describe('visibleRange', () => {
  it('renders only the rows in view plus the overscan', () => {
    expect(visibleRange(0, 400, 20, 10_000, 5)).toEqual({ first: 0, last: 25 });
    expect(visibleRange(20_000, 400, 20, 10_000, 5)).toEqual({ first: 995, last: 1025 });
    expect(visibleRange(199_900, 400, 20, 10_000, 5)).toEqual({ first: 9990, last: 10_000 });
    expect(visibleRange(0, 400, 20, 0)).toEqual({ first: 0, last: 0 });
  });

  it('always covers the viewport and stays inside the list', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 60 }), fc.nat(20_000), (scrollTop, height, rowHeight, count) => {
        const { first, last } = visibleRange(scrollTop, height, rowHeight, count);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(last).toBeLessThanOrEqual(count);
        expect(first).toBeLessThanOrEqual(last);
        const firstInView = Math.floor(scrollTop / rowHeight);
        const lastInView = Math.min(count, Math.ceil((scrollTop + height) / rowHeight));
        if (firstInView < count) {
          expect(first).toBeLessThanOrEqual(firstInView);
          expect(last).toBeGreaterThanOrEqual(lastInView);
        }
        expect(last - first).toBeLessThanOrEqual(Math.ceil(height / rowHeight) + 1 + 16);
      }),
    );
  });
});

describe('helpers', () => {
  it('reads the time of a clicked chart point in its usual shapes', () => {
    expect(chartPointTime(['2024-05-01T10:00:00Z', 3])).toBe('2024-05-01T10:00:00.000Z');
    expect(chartPointTime({ value: [base, 3] })).toBe('2024-05-01T10:00:00.000Z');
    expect(chartPointTime(base)).toBe('2024-05-01T10:00:00.000Z');
    expect(chartPointTime(42)).toBeNull();
    expect(chartPointTime('not a time')).toBeNull();
  });

  it('centres a window on an instant', () => {
    expect(windowAround('2024-05-01T10:00:00.000Z', 60_000)).toEqual({ from: '2024-05-01T09:59:00.000Z', to: '2024-05-01T10:01:00.000Z' });
  });
});
