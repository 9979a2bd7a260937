import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LogRow, SpanRow } from '../../../main/api/contract.js';
import { buildWaterfall, chartPointTime, spanLogs, visibleRange, windowAround } from './traceModel.js';

const base = Date.parse('2024-05-01T10:00:00.000Z');

function span(id: string, parent: string | null, startMs: number, durationMs: number, extra: Partial<SpanRow> = {}): SpanRow {
  return {
    trace_id: 't1',
    span_id: id,
    parent_span_id: parent,
    service: 'svc',
    name: id,
    kind: 'internal',
    start: new Date(base + startMs).toISOString(),
    duration_ms: durationMs,
    status_code: 0,
    status_message: null,
    http_status: null,
    rpc_status: null,
    attributes: {},
    ...extra,
  };
}

describe('buildWaterfall', () => {
  it('orders spans as a tree, earliest child first, with depths and offsets', () => {
    const waterfall = buildWaterfall(
      [span('b', 'root', 50, 10), span('root', null, 0, 100), span('a1', 'a', 20, 5), span('a', 'root', 10, 30)],
      ['root', 'b'],
    );
    expect(waterfall.rows.map((row) => [row.span.span_id, row.depth, row.offsetMs, row.critical])).toEqual([
      ['root', 0, 0, true],
      ['a', 1, 10, false],
      ['a1', 2, 20, false],
      ['b', 1, 50, true],
    ]);
    expect(waterfall.totalMs).toBe(100);
  });

  it('keeps spans whose parent is missing as extra roots and stretches the axis to a late deadline', () => {
    const waterfall = buildWaterfall([span('root', null, 0, 40), span('lost', 'gone', 5, 10, { deadline_at: new Date(base + 70).toISOString() })]);
    expect(waterfall.rows.map((row) => [row.span.span_id, row.depth, row.deadlineMs])).toEqual([
      ['root', 0, null],
      ['lost', 0, 70],
    ]);
    expect(waterfall.totalMs).toBe(70);
  });

  it('lays out a 10,000-span deep trace', () => {
    const spans = Array.from({ length: 10_000 }, (_, index) => span(`s${index}`, index === 0 ? null : `s${index - 1}`, index * 0.01, 200 - index * 0.01));
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
  it('picks a span’s log lines', () => {
    const log = (ref: string, spanId: string | null): LogRow => ({ ref, ts: '2024-05-01T10:00:00Z', service: 'svc', severity: 'info', body: ref, trace_id: 't1', span_id: spanId });
    expect(spanLogs([log('l1', 'a'), log('l2', 'b'), log('l3', 'a'), log('l4', null)], 'a').map((row) => row.ref)).toEqual(['l1', 'l3']);
  });

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
