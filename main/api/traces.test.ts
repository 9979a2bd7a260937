import { describe, expect, it } from 'vitest';
import { annotateSpans, criticalPath, deadlineBudgetMs, parseGrpcTimeout, readSpan, readTrace, warmTraceReads, type TimedSpan } from './traces.js';
import type { SpanRecord } from '../../ingest/records.js';
import { TelemetryStore } from '../store/store.js';
import { span as fixtureSpan } from '../agent/testing/telemetryFixture.js';

/**
 * Spans drawn as text, one per line: `<indent><id> <bar>` where the bar's column is its time in ms
 * ('=' marks the span's duration) and indentation by two spaces per level gives the parent.
 */
function drawn(art: string, extra: Record<string, Partial<TimedSpan>> = {}): TimedSpan[] {
  const lines = art.split('\n').filter((line) => line.trim() !== '');
  const parents: string[] = [];
  const spans: TimedSpan[] = [];
  for (const line of lines) {
    const match = /^( *)(\w+) +\|(.*)$/.exec(line);
    if (!match) throw new Error(`bad art line: ${line}`);
    const depth = match[1]!.length / 2;
    const id = match[2]!;
    const bar = match[3]!;
    const startMs = bar.indexOf('=');
    const endMs = bar.lastIndexOf('=') + 1;
    parents[depth] = id;
    spans.push({
      id,
      parentId: depth === 0 ? null : parents[depth - 1]!,
      kind: 'internal',
      startMs,
      endMs,
      statusCode: 0,
      statusMessage: null,
      rpcStatus: null,
      attributes: {},
      ...extra[id],
    });
  }
  return spans;
}

describe('criticalPath', () => {
  it('follows sequential children back from the end', () => {
    const spans = drawn(`
root |====================
  a  | =====
  b  |       ======
  c  |              =====
`);
    expect(criticalPath(spans)).toEqual(['root', 'c', 'b', 'a']);
  });

  it('takes only the last finisher of parallel children', () => {
    const spans = drawn(`
root |====================
  fast |  ====
  slow |  ==============
`);
    expect(criticalPath(spans)).toEqual(['root', 'slow']);
  });

  it('descends into the chosen child and skips a sibling that overlapped it', () => {
    const spans = drawn(`
root   |==================
  a    | ==========
    a1 |  ===
    a2 |      =====
  b    |   ========
  c    |            ====
`);
    // c ends last; before c started, a ended last; b overlaps a's run, so it is not waited on.
    expect(criticalPath(spans)).toEqual(['root', 'c', 'a', 'a2', 'a1']);
  });

  it('clips a child that outlives its parent and ignores children starting after the parent ended', () => {
    const spans = drawn(`
root    |==========
  late  |        ========
  after |            ====
  early | ====
`);
    expect(criticalPath(spans)).toEqual(['root', 'late', 'early']);
  });

  it('copes with a deep chain without recursion', () => {
    const spans: TimedSpan[] = Array.from({ length: 20_000 }, (_, index) => ({
      id: `s${index}`,
      parentId: index === 0 ? null : `s${index - 1}`,
      kind: 'internal',
      startMs: index * 0.001,
      endMs: 100 - index * 0.001,
      statusCode: 0,
      statusMessage: null,
      rpcStatus: null,
      attributes: {},
    }));
    expect(criticalPath(spans)).toHaveLength(20_000);
  });

  it('is empty for no spans', () => {
    expect(criticalPath([])).toEqual([]);
  });
});

describe('deadlines', () => {
  it('reads gRPC timeout units', () => {
    expect(parseGrpcTimeout('799985u')).toBeCloseTo(799.985);
    expect(parseGrpcTimeout('5S')).toBe(5000);
    expect(parseGrpcTimeout('2M')).toBe(120_000);
    expect(parseGrpcTimeout('1H')).toBe(3_600_000);
    expect(parseGrpcTimeout('250m')).toBe(250);
    expect(parseGrpcTimeout('1500000n')).toBeCloseTo(1.5);
    expect(parseGrpcTimeout('123456789S')).toBeNull();
    expect(parseGrpcTimeout('5s')).toBeNull();
  });

  it('prefers the grpc-timeout header (also as a JSON array) over deadline/timeout attributes', () => {
    expect(deadlineBudgetMs({ 'rpc.grpc.request.metadata.grpc-timeout': '["799985u"]', deadline_ms: '900' })).toBeCloseTo(799.985);
    expect(deadlineBudgetMs({ deadline_ms: '900' })).toBe(900);
    expect(deadlineBudgetMs({ 'http.client.timeout_ms': '300' })).toBe(300);
    expect(deadlineBudgetMs({ timeout: '300' })).toBeNull();
    expect(deadlineBudgetMs({ 'grpc-timeout': 'soon' })).toBeNull();
  });
});

describe('annotateSpans', () => {
  const art = `
gw        |==============================
  call    |  ==========
    serve |   ====================
`;

  it('marks a server span that outlived its caller giving up on the deadline, and gives it the caller deadline', () => {
    const spans = drawn(art, {
      call: { kind: 'client', statusCode: 2, statusMessage: 'context deadline exceeded', attributes: { 'grpc-timeout': '10m' } },
      serve: { kind: 'server' },
    });
    const result = annotateSpans(spans);
    expect([...result.orphans]).toEqual(['serve']);
    expect(result.deadlineMs.get('call')).toBe(12);
    expect(result.deadlineMs.get('serve')).toBe(12);
    expect(result.deadlineMs.has('gw')).toBe(false);
  });

  it('also recognises the gRPC status codes of a caller that gave up', () => {
    for (const rpcStatus of [1, 4]) {
      const spans = drawn(art, { call: { kind: 'client', rpcStatus }, serve: { kind: 'server' } });
      expect(annotateSpans(spans).orphans.has('serve')).toBe(true);
    }
  });

  it('does not call a server span orphaned when its caller failed for another reason or it finished in time', () => {
    const otherFailure = drawn(art, { call: { kind: 'client', statusCode: 2, statusMessage: 'connection refused' }, serve: { kind: 'server' } });
    expect(annotateSpans(otherFailure).orphans.size).toBe(0);
    const inTime = drawn(`
gw        |==============================
  call    |  ==========
    serve |   ======
`, { call: { kind: 'client', rpcStatus: 4 }, serve: { kind: 'server' } });
    expect(annotateSpans(inTime).orphans.size).toBe(0);
  });
});

describe('readTrace and readSpan', () => {
  const base = 1_726_841_320_000_000_000n;
  const span = (spanId: string, parentSpanId: string | null, fields: Partial<SpanRecord>): SpanRecord =>
    fixtureSpan({ traceId: 'feed', spanId, parentSpanId, service: 'checkout', startNs: base, endNs: base + 10_000_000n, ...fields });

  async function storeWithTrace(): Promise<TelemetryStore> {
    const store = await TelemetryStore.open(':memory:');
    await store.importSource({ path: 'trace', bytes: new TextEncoder().encode('trace-test'), format: 'test' }, async (sink) => {
      await sink.spans([
        span('root', null, {
          attributes: { 'http.route': '/pay' },
          events: [
            { tsNs: base + 3_000_000n, name: 'retry', attributes: { attempt: '2' } },
            { tsNs: base + 1_000_000n, name: 'exception', attributes: { 'exception.type': 'TimeoutError' } },
          ],
        }),
        // The call gives up after its 5 ms grpc-timeout; the server it called works on past it.
        span('call', 'root', {
          kind: 'client',
          startNs: base + 500_000n,
          endNs: base + 5_500_000n,
          statusCode: 2,
          statusMessage: 'deadline exceeded',
          rpcStatus: 4,
          attributes: { 'rpc.grpc.request.metadata.grpc-timeout': '5m' },
        }),
        span('serve', 'call', { service: 'payments', startNs: base + 1_000_000n, endNs: base + 9_000_000n }),
        span('stray', 'not-in-this-trace', { startNs: base + 2_000_000n, endNs: base + 3_000_000n }),
      ]);
    });
    return store;
  }

  it('sends each span as columns: parents by index, names once, offsets below the millisecond', async () => {
    const store = await storeWithTrace();
    const trace = await readTrace(store.withRead.bind(store), 'feed');
    const { spans, strings } = trace;
    const at = (id: string) => spans.span_id.indexOf(id);
    expect(trace.start).toBe(new Date(Number(base / 1_000_000n)).toISOString());
    expect(spans.span_id).toEqual(['root', 'call', 'serve', 'stray']);
    expect(spans.parent).toEqual([-1, at('root'), at('call'), -1]);
    expect(spans.service.map((index) => strings[index])).toEqual(['checkout', 'checkout', 'payments', 'checkout']);
    expect(new Set(strings).size).toBe(strings.length);
    expect(spans.offset_ms[at('call')]).toBeCloseTo(0.5, 9);
    expect(spans.duration_ms[at('call')]).toBeCloseTo(5, 9);
    expect(spans.rpc_status[at('call')]).toBe(4);
    store.close();
  });

  it('marks deadlines, orphans and the critical path by span index', async () => {
    const store = await storeWithTrace();
    const { spans, orphans, critical_path } = await readTrace(store.withRead.bind(store), 'feed');
    const at = (id: string) => spans.span_id.indexOf(id);
    expect(spans.deadline_ms[at('call')]).toBeCloseTo(5.5, 9);
    expect(spans.deadline_ms[at('serve')]).toBeCloseTo(5.5, 9);
    expect(spans.deadline_ms[at('root')]).toBeNull();
    expect(orphans).toEqual([at('serve')]);
    expect(critical_path[0]).toBe(at('root'));
    expect(critical_path).toContain(at('call'));
    store.close();
  });

  it('warms up on the largest trace, and on none in an empty workspace', async () => {
    const store = await storeWithTrace();
    await store.importSource({ path: 'tiny', bytes: new TextEncoder().encode('tiny-trace'), format: 'test' }, async (sink) => {
      await sink.spans([fixtureSpan({ traceId: 'tiny', spanId: 'only', service: 'checkout' })]);
    });
    expect(await warmTraceReads(store.withRead.bind(store))).toBe('feed');
    store.close();
    const empty = await TelemetryStore.open(':memory:');
    expect(await warmTraceReads(empty.withRead.bind(empty))).toBeNull();
    empty.close();
  });

  it('reads one span whole: attributes, status and its events in time order', async () => {
    const store = await storeWithTrace();
    const read = store.withRead.bind(store);
    const root = await readSpan(read, 'feed', 'root');
    expect(root!.attributes).toEqual({ 'http.route': '/pay' });
    expect(root!.events.map((e) => e.name)).toEqual(['exception', 'retry']);
    expect(root!.events[0]!.attributes).toEqual({ 'exception.type': 'TimeoutError' });
    const call = await readSpan(read, 'feed', 'call');
    expect(call).toMatchObject({ parent_span_id: 'root', status_message: 'deadline exceeded', rpc_status: 4, events: [] });
    expect(await readSpan(read, 'feed', 'nowhere')).toBeNull();
    store.close();
  });
});
