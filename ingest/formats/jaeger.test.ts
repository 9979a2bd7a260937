import { describe, expect, it } from 'vitest';
import { BATCH_SIZE } from '../format.js';
import { jaeger } from './jaeger.js';
import { collectingSink, fixture, parseFixture, parseText, textInput } from './more-formats.testkit.js';

describe('jaeger: Download JSON envelope', () => {
  it('reads spans with services from the process table, parents from CHILD_OF and times in µs', async () => {
    const sink = await parseFixture(jaeger, 'jaeger-download.json');
    expect(sink.spanRecords.map((span) => span.spanId)).toEqual(['273f392c36717961', 'bb83a2b79eb4c631', 'cc83a2b79eb4c632']);
    const [root, client, server] = sink.spanRecords;
    expect(root!.parentSpanId).toBeNull();
    expect(client!.parentSpanId).toBe('273f392c36717961');
    expect(server!.parentSpanId).toBe('bb83a2b79eb4c631');
    expect(root!.service).toBe('edge-api');
    expect(server!.service).toBe('orders');
    expect(root!.startNs).toBe(1726840035249294000n);
    expect(root!.endNs - root!.startNs).toBe(20_472_000n);
    expect(root!.resource['hostname']).toBe('edge-api-7d9f8c6b5-x2k4z');
  });

  it('maps kinds, error tags, otel status and HTTP / gRPC codes', async () => {
    const [root, client, server] = (await parseFixture(jaeger, 'jaeger-download.json')).spanRecords;
    expect(root).toMatchObject({ kind: 'server', statusCode: 2, statusMessage: 'deadline exceeded', httpStatus: 504 });
    expect(client).toMatchObject({ kind: 'client', statusCode: 2, rpcSystem: 'grpc', rpcStatus: 4, peerService: 'orders' });
    expect(server).toMatchObject({ kind: 'server', statusCode: 0, httpStatus: 200, rpcStatus: null });
  });

  it('turns span logs into events', async () => {
    const [root] = (await parseFixture(jaeger, 'jaeger-download.json')).spanRecords;
    expect(root!.events).toEqual([{ tsNs: 1726840035250000000n, name: 'retry', attributes: { event: 'retry', attempt: '2' } }]);
  });

  it('reports a span whose start is not an epoch in µs and keeps the rest', async () => {
    const sink = await parseFixture(jaeger, 'jaeger-download.json');
    expect(sink.issues).toHaveLength(1);
    expect(sink.issues[0]!.message).toMatch(/0000000000000003.*start time 12/);
  });
});

describe('jaeger: other shapes', () => {
  const span = (id: string, extra: object = {}) => ({ traceID: 'abc123', spanID: id, operationName: 'op', startTime: 1700000000000000, duration: 5, references: [], tags: [], ...extra });

  it('reads a bare trace object', async () => {
    const trace = { traceID: 'abc123', spans: [span('01', { processID: 'p1' })], processes: { p1: { serviceName: 'cart' } } };
    const sink = await parseText(jaeger, JSON.stringify(trace));
    expect(sink.spanRecords.map((s) => [s.spanId, s.service])).toEqual([['01', 'cart']]);
  });

  it('reads a bare array of spans with inline processes', async () => {
    const spans = [span('01', { process: { serviceName: 'a' } }), span('02', { process: { serviceName: 'b' }, references: [{ refType: 'CHILD_OF', spanID: '01' }] })];
    const sink = await parseText(jaeger, JSON.stringify(spans));
    expect(sink.spanRecords.map((s) => [s.service, s.parentSpanId])).toEqual([['a', null], ['b', '01']]);
  });

  it('names the callee of a client span by the Kubernetes host it called when peer.service is absent', async () => {
    const tags = (kind: string) => [{ key: 'span.kind', value: kind }, { key: 'server.address', value: 'subtitle.default.svc.cluster.local' }];
    const spans = [span('01', { process: { serviceName: 'a' }, tags: tags('client') }), span('02', { process: { serviceName: 'subtitle' }, tags: tags('server') })];
    const sink = await parseText(jaeger, JSON.stringify(spans));
    expect(sink.spanRecords.map((s) => s.peerService)).toEqual(['subtitle', null]);
  });

  it('reads the domain model with base64 ids, ISO times and Go durations', async () => {
    const doc = { spans: [{ traceId: 'AAAAAAAAAAE=', spanId: 'AAAAAAAAAAI=', operationName: 'get', startTime: '2017-01-26T16:46:31.639875-05:00', duration: '22938000ns', process: { serviceName: 'x' } }] };
    const [record] = (await parseText(jaeger, JSON.stringify(doc))).spanRecords;
    expect(record).toMatchObject({ traceId: '0000000000000001', spanId: '0000000000000002' });
    expect(record!.startNs).toBe(1485467191639875000n);
    expect(record!.endNs - record!.startNs).toBe(22_938_000n);
  });

  it('refuses a Go duration too large for a number instead of throwing', async () => {
    const doc = { spans: [{ traceId: 'AAAAAAAAAAE=', spanId: 'AAAAAAAAAAI=', operationName: 'get', startTime: '2017-01-26T16:46:31Z', duration: `1${'0'.repeat(400)}ns`, process: { serviceName: 'x' } }] };
    const sink = await parseText(jaeger, JSON.stringify(doc));
    expect(sink.spanRecords.every((record) => record.endNs >= record.startNs)).toBe(true);
  });

  it('reads the query API v3 envelope through its OTLP content', async () => {
    const sink = await parseFixture(jaeger, 'jaeger-apiv3.json');
    expect(sink.spanRecords).toHaveLength(1);
    expect(sink.spanRecords[0]).toMatchObject({ service: 'checkout', kind: 'client', statusCode: 2, statusMessage: 'upstream unavailable', httpStatus: 503, parentSpanId: 'eee19b7ec3c1b173' });
    expect(sink.spanRecords[0]!.events.map((e) => e.name)).toEqual(['retry']);
    expect(sink.issues).toHaveLength(1);
  });

  it('reports invalid JSON with the file name', async () => {
    const sink = await parseText(jaeger, '{"data": [', 'traces/broken.json');
    expect(sink.spanRecords).toHaveLength(0);
    expect(sink.issues[0]!.message).toMatch(/^not valid JSON/);
  });

  it('sends batches of at most BATCH_SIZE', async () => {
    const spans = Array.from({ length: BATCH_SIZE + 5 }, (_, i) => span(i.toString(16).padStart(16, '0'), { process: { serviceName: 's' } }));
    const sink = collectingSink();
    await jaeger.parse(textInput(JSON.stringify(spans)), sink);
    expect(sink.batchSizes).toEqual([BATCH_SIZE, 5]);
  });
});

describe('jaeger: detection', () => {
  it('is sure of Jaeger documents and not of OTLP, Zipkin or logs', () => {
    expect(jaeger.detect(fixture('jaeger-download.json').text, 'x.json')).toBeGreaterThanOrEqual(0.9);
    expect(jaeger.detect(fixture('jaeger-apiv3.json').text, 'x.json')).toBeGreaterThanOrEqual(0.9);
    expect(jaeger.detect(fixture('zipkin-traces.json').text, 'x.json')).toBe(0);
    expect(jaeger.detect('{"resourceSpans":[]}', 'x.json')).toBe(0);
    expect(jaeger.detect('2024-01-01T00:00:00Z INFO hello', 'x.log')).toBe(0);
  });
});

describe('jaeger: JSON lines', () => {
  it('reads one trace per line', async () => {
    const trace = (id: string) => ({ traceID: id, spans: [{ traceID: id, spanID: '01', operationName: 'op', startTime: 1700000000000000, duration: 5, processID: 'p1' }], processes: { p1: { serviceName: 'svc' } } });
    const sink = await parseText(jaeger, `${JSON.stringify(trace('t1'))}\n${JSON.stringify(trace('t2'))}\n`);
    expect(sink.spanRecords.map((s) => [s.traceId, s.sourceLine])).toEqual([['t1', 1], ['t2', 2]]);
  });

  it('names the line of a syntax error in a single document', async () => {
    const sink = await parseText(jaeger, '{"data": [\n{"traceID": "a",\n"spans": [}]}', 'bad.json');
    expect(sink.issues).toHaveLength(1);
    expect(sink.issues[0]!.line).toBe(3);
  });
});
