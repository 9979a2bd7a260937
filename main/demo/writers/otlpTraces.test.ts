import { describe, expect, it } from 'vitest';
import type { DemoResource, DemoSpan } from '../model.js';
import { batchLikeSdk, otlpTraceLines, unixNanos } from './otlpTraces.js';

const resource: DemoResource = { service: 'svc', attributes: [['service.name', 'svc']] };
const scope = { name: 'scope-a', version: '1.0.0' };

function span(spanId: string, endMs: number, overrides: Partial<DemoSpan> = {}): DemoSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId, parentSpanId: null, service: 'svc', scope, name: 'op', kind: 'server',
    startMs: endMs - 1, endMs, attributes: [], status: { code: 0 }, ...overrides,
  };
}

describe('otlpTraceLines', () => {
  it('writes one OTLP/JSON export request per line in the collector file exporter shape', () => {
    const child = span('00f067aa0ba902b7', 2.5, {
      parentSpanId: 'b7ad6b7169203331', kind: 'client',
      attributes: [['n', 200], ['d', 0.5], ['b', true], ['s', 'x'], ['list', ['799999u']]],
      status: { code: 2, message: 'context deadline exceeded' },
    });
    const text = otlpTraceLines([{ resource, spans: [span('b7ad6b7169203331', 3), child] }], Date.UTC(2025, 2, 14));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const request = JSON.parse(lines[0]!);
    const [root, client] = request.resourceSpans[0].scopeSpans[0].spans;
    expect(request.resourceSpans[0].resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'svc' } }]);
    expect(request.resourceSpans[0].scopeSpans[0].scope).toEqual(scope);
    expect(root).not.toHaveProperty('parentSpanId');
    expect(root.kind).toBe(2);
    expect(root.status).toEqual({});
    expect(root.endTimeUnixNano).toBe('1741910400003000000');
    expect(client.kind).toBe(3);
    expect(client.status).toEqual({ code: 2, message: 'context deadline exceeded' });
    expect(client.attributes).toEqual([
      { key: 'n', value: { intValue: '200' } },
      { key: 'd', value: { doubleValue: 0.5 } },
      { key: 'b', value: { boolValue: true } },
      { key: 's', value: { stringValue: 'x' } },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: '799999u' }] } } },
    ]);
  });

  it('keeps nanosecond precision and refuses a start that is not whole milliseconds', () => {
    expect(unixNanos(1_000, 0.000_001)).toBe('1000000001');
    expect(() => unixNanos(1.5, 0)).toThrow(/whole milliseconds/);
  });
});

describe('batchLikeSdk', () => {
  it('exports each schedule tick as its own batch, split at the maximum batch size, in export order', () => {
    const other: DemoResource = { service: 'other', attributes: [['service.name', 'other']] };
    const spans = [span('01', 100), span('02', 200), span('03', 300), span('04', 6_000), { ...span('05', 150), service: 'other' }];
    const batches = batchLikeSdk(spans, [resource, other], new Map([['svc', 0], ['other', 1_000]]), { scheduleDelayMs: 5_000, maxExportBatchSize: 2 });
    expect(batches.map((batch) => [batch.resource.service, batch.spans.map((s) => s.spanId)])).toEqual([
      ['other', ['05']],
      ['svc', ['01', '02']],
      ['svc', ['03']],
      ['svc', ['04']],
    ]);
  });
});
