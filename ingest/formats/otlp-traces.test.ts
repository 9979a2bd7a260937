import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BATCH_SIZE } from '../format.js';
import { fileSource, formatInput } from '../read.js';
import type { SpanRecord } from '../records.js';
import { collectingSink, fixturePath, memoryInput } from '../testdata/collect.js';
import { otlpId, otlpTraces } from './otlp-traces.js';

async function parseFixture(name: string) {
  const { sink, collected } = collectingSink();
  await otlpTraces.parse(formatInput(fileSource(fixturePath(name), null)), sink);
  return collected;
}

function byId(spans: SpanRecord[], spanId: string): SpanRecord {
  const span = spans.find((candidate) => candidate.spanId === spanId);
  if (!span) throw new Error(`no span ${spanId}`);
  return span;
}

describe('OTLP JSON traces: collector file exporter (JSON lines)', () => {
  it('reads every span with its line, service, kind and status', async () => {
    const { spans, issues } = await parseFixture('otlp-traces-collector.jsonl');
    expect(issues).toEqual([]);
    expect(spans).toHaveLength(5);
    const root = byId(spans, '00f067aa0ba902b7');
    expect(root).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: null, service: 'checkout', kind: 'server', statusCode: 2, statusMessage: 'upstream request timeout', httpStatus: 504, peerService: null, sourceLine: 1 });
    expect(root.endNs - root.startNs).toBe(500_000_000n);
    const payment = byId(spans, 'b7ad6b7169203331');
    expect(payment).toMatchObject({ service: 'payment', kind: 'server', statusCode: 0, rpcSystem: 'grpc', rpcStatus: 1, sourceLine: 2 });
    // nanoseconds written as JSON numbers are doubles: exact to well under a microsecond, not to 1 ns
    expect(Math.abs(Number(payment.startNs - 1726841320895000000n))).toBeLessThan(1000);
  });

  it('takes the peer from peer.service, or from the host of an outgoing call', async () => {
    const { spans } = await parseFixture('otlp-traces-collector.jsonl');
    expect(byId(spans, 'a2fb4a1d1a96d312')).toMatchObject({ kind: 'client', peerService: 'payment', rpcStatus: 4, statusCode: 2, statusMessage: 'context deadline exceeded' });
    expect(byId(spans, 'c8b1e2f3a4d5e6f7').peerService).toBe('payments-db');
  });

  it('keeps span events and flattens structured attributes', async () => {
    const { spans } = await parseFixture('otlp-traces-collector.jsonl');
    const client = byId(spans, 'a2fb4a1d1a96d312');
    expect(client.events).toEqual([{ tsNs: 1726841321380000000n, name: 'exception', attributes: { 'exception.type': 'context.deadlineExceededError', 'exception.message': 'context deadline exceeded' } }]);
    expect(client.attributes['otel.scope.name']).toBe('go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc');
    const db = byId(spans, 'c8b1e2f3a4d5e6f7');
    expect(db.attributes['db.statement.params']).toBe('["a",2]');
    expect(db.attributes['pool.max']).toBe('20');
    expect(db.attributes['pool.busy']).toBe('true');
  });

  it('reads the older instrumentationLibrarySpans with base64 ids', async () => {
    const { spans } = await parseFixture('otlp-traces-collector.jsonl');
    const old = spans.find((span) => span.service === 'inventory');
    expect(old).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null, kind: 'client', httpStatus: 503, peerService: 'warehouse', statusCode: 2, sourceLine: 3 });
    expect(old?.attributes['otel.scope.name']).toBe('io.opentelemetry.okhttp-3.0');
  });
});

describe('OTLP JSON traces: one pretty-printed request with a BOM', () => {
  it('lowercases hex ids, normalizes the service and reports bad clocks', async () => {
    const { spans, issues } = await parseFixture('otlp-traces-request.json');
    expect(spans.map((span) => span.spanId)).toEqual(['eee19b7ec3c1b174', 'eee19b7ec3c1b176']);
    expect(spans[0]).toMatchObject({ traceId: '5b8efff798038103d269b633813fc60c', service: 'gateway', kind: 'server', sourceLine: 1 });
    expect(spans[1]).toMatchObject({ kind: 'producer', sourceLine: 3 });
    expect(spans[1]!.endNs).toBe(spans[1]!.startNs);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({ line: 2 });
    expect(issues[0]!.message).toMatch(/eee19b7ec3c1b175.*start time "-5"/);
    expect(issues[1]!.message).toMatch(/eee19b7ec3c1b176.*end time/);
  });
});

describe('OTLP JSON traces: bad content', () => {
  it('reports a malformed line with its number and loads the rest', async () => {
    const lines = readFileSync(fixturePath('otlp-traces-collector.jsonl'), 'utf8').trim().split('\n');
    const text = [lines[0], '{"resourceSpans":[{"resource":', lines[1], '', 'not json at all', lines[2]].join('\r\n');
    const { sink, collected } = collectingSink();
    await otlpTraces.parse(memoryInput('broken.jsonl', text), sink);
    expect(collected.spans).toHaveLength(5);
    expect(collected.issues.map((issue) => issue.line)).toEqual([2, 5]);
    expect(collected.issues[0]!.message).toMatch(/malformed JSON/);
  });

  it('reports records that are not trace requests and spans without ids', async () => {
    const text = ['{"resourceLogs":[]}', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x","startTimeUnixNano":"1726841320885000000"}]}]}]}'].join('\n');
    const { sink, collected } = collectingSink();
    await otlpTraces.parse(memoryInput('odd.jsonl', text), sink);
    expect(collected.spans).toEqual([]);
    expect(collected.issues.map((issue) => issue.line)).toEqual([1, 2]);
  });

  it('gives a span without service.name the OTel placeholder service', async () => {
    const text = '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"x","startTimeUnixNano":"1726841320885000000","endTimeUnixNano":"1726841320886000000"}]}]}]}';
    const { sink, collected } = collectingSink();
    await otlpTraces.parse(memoryInput('anon.jsonl', text), sink);
    expect(collected.spans[0]!.service).toBe('unknown_service');
  });
});

describe('OTLP JSON traces: batching', () => {
  it('sends batches of at most BATCH_SIZE and waits for the sink', async () => {
    const count = BATCH_SIZE * 2 + 5;
    const spans = Array.from({ length: count }, (_, index) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: (index + 1).toString(16).padStart(16, '0'),
      name: 'op',
      startTimeUnixNano: String(1726841320885000000n + BigInt(index)),
      endTimeUnixNano: String(1726841320886000000n + BigInt(index)),
    }));
    const text = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }] });
    const sizes: number[] = [];
    let writing = false;
    let overlapped = false;
    const sink = {
      spans: async (batch: SpanRecord[]) => {
        if (writing) overlapped = true;
        writing = true;
        await new Promise((resolve) => setImmediate(resolve));
        sizes.push(batch.length);
        writing = false;
      },
      logs: () => undefined,
      metricPoints: () => undefined,
      issue: () => undefined,
    };
    await otlpTraces.parse(memoryInput('many.json', text, 4096), sink);
    expect(sizes).toEqual([BATCH_SIZE, BATCH_SIZE, 5]);
    expect(overlapped).toBe(false);
  });
});

describe('otlpId', () => {
  it.each([
    ['5B8EFFF798038103D269B633813FC60C', 16, '5b8efff798038103d269b633813fc60c'],
    ['S/kvNXezTaajzpKdDg5HNg==', 16, '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['APBnqgupArc=', 8, '00f067aa0ba902b7'],
    ['', 8, null],
    ['0000000000000000', 8, null],
    [undefined, 16, null],
  ] as const)('%s -> %s', (value, bytes, expected) => expect(otlpId(value, bytes)).toBe(expected));
});
