import { describe, expect, it } from 'vitest';
import { zipkin } from './zipkin.js';
import { fixture, parseFixture, parseText } from './more-formats.testkit.js';

describe('zipkin v2', () => {
  it('reads an array of traces, flattening them, in µs', async () => {
    const sink = await parseFixture(zipkin, 'zipkin-traces.json');
    expect(sink.spanRecords.map((span) => span.spanId)).toEqual(['948ae9e21e1982d0', 'b5d1f0ea473e8fdb', '1234567890abcdef']);
    const [server] = sink.spanRecords;
    expect(server!.startNs).toBe(1722475561571843000n);
    expect(server!.endNs - server!.startNs).toBe(24_235_000n);
  });

  it('maps kind, local and remote service, error tag, HTTP and gRPC codes', async () => {
    const [server, client, cart] = (await parseFixture(zipkin, 'zipkin-traces.json')).spanRecords;
    expect(server).toMatchObject({ kind: 'server', service: 'public-api', statusCode: 2, statusMessage: 'upstream failed', httpStatus: 502, parentSpanId: null });
    expect(client).toMatchObject({ kind: 'client', peerService: 'bolt-checkout', rpcSystem: 'grpc', rpcStatus: 14, statusCode: 0, parentSpanId: '948ae9e21e1982d0' });
    expect(client!.attributes['remote_endpoint.port']).toBe('50051');
    expect(cart).toMatchObject({ kind: 'unspecified', service: 'cart', statusCode: 0 });
  });

  it('turns annotations into events', async () => {
    const [, client] = (await parseFixture(zipkin, 'zipkin-traces.json')).spanRecords;
    expect(client!.events.map((event) => [event.name, event.tsNs])).toEqual([
      ['ws', 1722475561572500000n],
      ['wr', 1722475561595000000n],
    ]);
  });

  it('reports a span without a timestamp and keeps the rest', async () => {
    const sink = await parseFixture(zipkin, 'zipkin-traces.json');
    expect(sink.issues).toHaveLength(1);
    expect(sink.issues[0]!.message).toContain('aaaaaaaaaaaaaaaa');
  });

  it('reads a single span object', async () => {
    const sink = await parseFixture(zipkin, 'zipkin-span.json');
    expect(sink.spanRecords).toHaveLength(1);
    expect(sink.spanRecords[0]).toMatchObject({ service: 'frontend', peerService: 'backend', httpStatus: 200, kind: 'client' });
  });

  it('names the callee of a client span without a remote endpoint by the host it called', async () => {
    const span = { traceId: 'ab', id: 'cd', kind: 'CLIENT', timestamp: 1722475562000000, duration: 5, localEndpoint: { serviceName: 'a' }, tags: { 'server.address': 'orders-db.prod.svc.cluster.local' } };
    const [record] = (await parseText(zipkin, JSON.stringify([span]))).spanRecords;
    expect(record!.peerService).toBe('orders-db');
  });

  it('reports a file that is not JSON', async () => {
    const sink = await parseText(zipkin, '[{"traceId":', 'z.json');
    expect(sink.issues[0]!.message).toMatch(/^not valid JSON/);
  });

  it('detects Zipkin arrays and single spans, not Jaeger', () => {
    expect(zipkin.detect(fixture('zipkin-traces.json').text, 'a.json')).toBeGreaterThanOrEqual(0.9);
    expect(zipkin.detect(fixture('zipkin-span.json').text, 'a.json')).toBeGreaterThanOrEqual(0.8);
    expect(zipkin.detect(fixture('jaeger-download.json').text, 'a.json')).toBe(0);
  });
});

describe('zipkin: JSON lines', () => {
  it('reads one span array per line, numbering records by line and reporting a broken line', async () => {
    const span = (id: string) => ({ traceId: 'ab', id, timestamp: 1722475562000000, duration: 5, localEndpoint: { serviceName: 'a' } });
    const text = `${JSON.stringify([span('01'), span('02')])}\n{broken\n${JSON.stringify([span('03')])}\n`;
    const sink = await parseText(zipkin, text, 'spans.jsonl');
    expect(sink.spanRecords.map((s) => [s.spanId, s.sourceLine])).toEqual([['01', 1], ['02', 1], ['03', 3]]);
    expect(sink.issues).toEqual([{ line: 2, message: 'not valid JSON; line skipped' }]);
  });
});
