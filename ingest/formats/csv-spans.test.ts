import { describe, expect, it } from 'vitest';
import { csvSpans } from './csv-spans.js';
import { fixture, parseFixture, parseText } from './more-formats.testkit.js';

describe('csv-spans: Nezha layout', () => {
  it('reads ns start and end, pod names as services, "root" as no parent', async () => {
    const sink = await parseFixture(csvSpans, 'csv-spans-nezha.csv');
    expect(sink.spanRecords).toHaveLength(3);
    const [root, child, contacts] = sink.spanRecords;
    expect(root).toMatchObject({ parentSpanId: null, service: 'ts-gateway-service', name: '/*', startNs: 1674981815752000000n, endNs: 1674981815959214172n, sourceLine: 2 });
    expect(child!.parentSpanId).toBe('899497399a2e2ada');
    expect(contacts).toMatchObject({ service: 'ts-contacts-service', name: 'GET /contacts/{id}, by account' });
    expect(contacts!.resource['k8s.pod.name']).toBe('ts-contacts-service-866bd68c97-xcqfx');
  });

  it('reports the row with an unreadable start by file and line, and loads the others', async () => {
    const sink = await parseFixture(csvSpans, 'csv-spans-nezha.csv');
    expect(sink.issues).toHaveLength(1);
    expect(sink.issues[0]!.line).toBe(5);
    expect(sink.issues[0]!.message).toMatch(/^unreadable start time "not-a-time"/);
  });
});

describe('csv-spans: SkyWalking layout', () => {
  it('reads ms times, Entry/Exit as server/client, IsError, and the peer of exit spans', async () => {
    const [entry, exit, callee] = (await parseFixture(csvSpans, 'csv-spans-skywalking.csv')).spanRecords;
    expect(entry).toMatchObject({ kind: 'server', statusCode: 2, parentSpanId: null, peerService: null, startNs: 1628334892205000000n, endNs: 1628334912231000000n });
    expect(exit).toMatchObject({ kind: 'client', statusCode: 2, parentSpanId: 'seg1.0', peerService: 'ts-ticketinfo-service', name: '/api/v1/ticketinfo/Shang Hai' });
    expect(callee).toMatchObject({ kind: 'server', statusCode: 0, parentSpanId: 'seg1.1', service: 'ts-ticketinfo-service' });
    expect(exit!.attributes['Component']).toBe('SpringRestTemplate');
  });
});

describe('csv-spans: generic layout', () => {
  it('reads ISO starts, durations in the unit the header names, HTTP and OTLP status and kinds', async () => {
    const [server, client] = (await parseFixture(csvSpans, 'csv-spans-generic.csv')).spanRecords;
    expect(server).toMatchObject({ kind: 'server', statusCode: 2, httpStatus: 500, parentSpanId: null });
    expect(server!.endNs - server!.startNs).toBe(1_500_000_000n);
    expect(client).toMatchObject({ kind: 'client', statusCode: 2, httpStatus: null, parentSpanId: 's-1' });
  });

  it('reports rows whose field count does not match the header', async () => {
    const sink = await parseText(csvSpans, 'TraceID,SpanID,ParentID,PodName,OperationName,StartTimeUnixNano,EndTimeUnixNano\nt,s,root,p,op,1674981815752000000\n', 'x.csv');
    expect(sink.spanRecords).toHaveLength(0);
    expect(sink.issues[0]!.message).toMatch(/^6 fields where the header has 7/);
  });

  it('detects span tables and not log or metric tables', () => {
    expect(csvSpans.detect(fixture('csv-spans-nezha.csv').text, 'a.csv')).toBeGreaterThanOrEqual(0.9);
    expect(csvSpans.detect(fixture('csv-spans-skywalking.csv').text, 'a.csv')).toBeGreaterThanOrEqual(0.9);
    expect(csvSpans.detect(fixture('csv-logs-nezha.csv').text, 'a.csv')).toBe(0);
    expect(csvSpans.detect(fixture('csv-metrics-wide.csv').text, 'a.csv')).toBe(0);
  });
});

describe('csv-spans: absurd durations', () => {
  it('reports a row whose duration ends it past any plausible time', async () => {
    const sink = await parseText(csvSpans, 'TraceID,SpanID,StartTime,Duration\nt1,s1,1674981669000,99999999999999999999999999999\n', 's.csv');
    expect(sink.spanRecords).toHaveLength(0);
    expect(sink.issues.map((issue) => issue.line)).toEqual([2]);
  });
});
