import { describe, expect, it } from 'vitest';
import type { DeadlineFinding } from '../api/contract.js';
import type { SpanRecord } from '../../ingest/records.js';
import { deadlineFindings, edgeTimeout, silentTimeout } from './deadlines.js';
import { rebuildDerived } from './index.js';
import { call, isoAt, ms, span, storeWith } from './testdata/events_builders.js';

async function findingsOf(spans: SpanRecord[]): Promise<DeadlineFinding[]> {
  const store = await storeWith({ spans });
  try {
    await rebuildDerived(store);
    return await store.withRead((r) => deadlineFindings(r));
  } finally {
    store.close();
  }
}

const kinds = (findings: DeadlineFinding[]) => findings.map((f) => `${f.kind} ${f.caller}->${f.callee} x${f.count}`).sort();

/** Healthy background traffic to `callee`: `n` calls lasting `durations` in turn. */
function healthy(caller: string, callee: string, n: number, durations: number[], startAt = 0): SpanRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const d = durations[i % durations.length]!;
    const start = startAt + i * 1000;
    return call({ trace: `h-${caller}-${i}`, id: `h${i}`, caller, callee, start, end: start + d + 2, server: { start: start + 1, end: start + 1 + d } });
  }).flat();
}

describe.each([
  {
    title: 'orphan work: the callee runs on long after the caller gave up',
    //   api    |--- 200 ms ---x DEADLINE_EXCEEDED
    //   orders  |------------------------ 2000 ms ----|
    spans: [0, 1, 2].flatMap((i) =>
      call({ trace: `o${i}`, id: `c${i}`, caller: 'api', callee: 'orders', start: i * 5000, end: i * 5000 + 200, rpc: 4, server: { start: i * 5000 + 1, end: i * 5000 + 2000 } }),
    ),
    expected: ['deadline_exceeded api->orders x3', 'orphan_work api->orders x3'],
  },
  {
    title: 'a propagated deadline: the callee stops with its caller',
    //   api    |--- 200 ms ---x
    //   orders  |--- 199 ms --x
    spans: [0, 1, 2].flatMap((i) =>
      call({ trace: `p${i}`, id: `c${i}`, caller: 'api', callee: 'orders', start: i * 5000, end: i * 5000 + 200, rpc: 4, server: { start: i * 5000 + 1, end: i * 5000 + 199, error: true } }),
    ),
    expected: ['deadline_exceeded api->orders x3'],
  },
  {
    title: 'a client timeout below the callee p99, seen only in where the calls end',
    //   orders normally takes 30..80 ms; api gives up at 40 ms (HTTP 504 at 40.x ms)
    spans: [
      ...healthy('web', 'orders', 60, [30, 45, 60, 80, 35, 50, 70, 78, 33, 42]),
      ...[0, 1, 2, 3].flatMap((i) =>
        call({ trace: `m${i}`, id: `m${i}`, caller: 'api', callee: 'orders', start: 70_000 + i * 1000, end: 70_000 + i * 1000 + 40 + i * 0.2, http: 504, error: true, server: { start: 70_000 + i * 1000 + 1, end: 70_000 + i * 1000 + 40 } }),
      ),
    ],
    expected: ['deadline_exceeded api->orders x4', 'timeout_below_callee_p99 api->orders x4'],
  },
  {
    title: 'a child deadline longer than the parent has left',
    //   edge -> api  grpc-timeout 300m
    //   api  -> orders at +100 ms with deadline_ms 1000 (only 200 ms left)
    spans: [0, 1].flatMap((i) => [
      ...call({ trace: `b${i}`, id: `in${i}`, caller: 'edge', callee: 'api', start: i * 5000, end: i * 5000 + 250, attributes: { 'rpc.grpc.request.metadata.grpc-timeout': '300m' } }),
      ...call({ trace: `b${i}`, id: `out${i}`, parent: `in${i}s`, caller: 'api', callee: 'orders', start: i * 5000 + 100, end: i * 5000 + 200, attributes: { deadline_ms: '1000' } }),
    ]),
    expected: ['child_timeout_exceeds_budget api->orders x2'],
  },
  {
    title: 'a child deadline that keeps no reserve (seed decay model)',
    //   edge -> api  X-Request-Timeout 1000; api -> orders passes 990 of ~995 ms left
    spans: [
      ...call({ trace: 'd', id: 'in', caller: 'edge', callee: 'api', start: 0, end: 300, attributes: { 'http.request.header.x-request-timeout': '1000' } }),
      ...call({ trace: 'd', id: 'out', parent: 'ins', caller: 'api', callee: 'orders', start: 5, end: 200, attributes: { timeout_ms: '990' } }),
    ],
    expected: ['budget_decay api->orders x1'],
  },
  {
    title: 'a decayed child deadline within the model',
    spans: [
      ...call({ trace: 'd', id: 'in', caller: 'edge', callee: 'api', start: 0, end: 300, attributes: { 'rpc.grpc.request.metadata.grpc-timeout': '1S' } }),
      ...call({ trace: 'd', id: 'out', parent: 'ins', caller: 'api', callee: 'orders', start: 5, end: 200, attributes: { 'rpc.grpc.request.metadata.grpc-timeout': '800000u' } }),
    ],
    expected: [],
  },
  {
    title: 'an absolute child deadline (X-Deadline-Timestamp, ISO 8601) beyond what the parent has left',
    //   edge -> api  grpc-timeout 300m
    //   api  -> orders at +100 ms, deadline at +1100 ms (1000 ms, only 200 ms left)
    spans: [0, 1].flatMap((i) => [
      ...call({ trace: `t${i}`, id: `in${i}`, caller: 'edge', callee: 'api', start: i * 5000, end: i * 5000 + 250, attributes: { 'rpc.grpc.request.metadata.grpc-timeout': '300m' } }),
      ...call({
        trace: `t${i}`, id: `out${i}`, parent: `in${i}s`, caller: 'api', callee: 'orders', start: i * 5000 + 100, end: i * 5000 + 200,
        attributes: { 'http.request.header.x-deadline-timestamp': isoAt(i * 5000 + 1100) },
      }),
    ]),
    expected: ['child_timeout_exceeds_budget api->orders x2'],
  },
  {
    title: 'an absolute deadline in epoch milliseconds that keeps no reserve',
    //   edge -> api  deadline at +1000 ms; api -> orders at +5 ms, deadline at +995 ms (990 of 995 ms left)
    spans: [
      ...call({ trace: 'e', id: 'in', caller: 'edge', callee: 'api', start: 0, end: 300, attributes: { deadline_at: String(ms(1000) / 1_000_000n) } }),
      ...call({ trace: 'e', id: 'out', parent: 'ins', caller: 'api', callee: 'orders', start: 5, end: 200, attributes: { deadline_at: String(ms(995) / 1_000_000n) } }),
    ],
    expected: ['budget_decay api->orders x1'],
  },
  {
    title: 'the seed decay model tightens with depth (alpha 0.10 at hop 1, 0.15 at hop 2, 0.20 at hop 3)',
    //   client -> a (deadline 1000) -> b -> c -> d: at hop h the model allows remaining x (1 - alpha_h) - 5 ms,
    //   alpha = min(0.1 + 0.05 (h - 1), 0.3): hop 1 0.10 (895 ms of 1000), hop 3 0.20 (795 ms of 1000).
    spans: [
      ...call({ trace: 'h', id: 'h0', caller: 'client', callee: 'a', start: 0, end: 900, attributes: { deadline_ms: '1000' } }),
      ...call({ trace: 'h', id: 'h1', parent: 'h0s', caller: 'a', callee: 'b', start: 0, end: 800, attributes: { deadline_ms: '800' } }),
      ...call({ trace: 'h', id: 'h2', parent: 'h1s', caller: 'b', callee: 'c', start: 0, end: 700, attributes: { deadline_ms: '700' } }),
      ...call({ trace: 'h', id: 'h3', parent: 'h2s', caller: 'c', callee: 'd', start: 0, end: 600, attributes: { deadline_ms: '690' } }),
    ],
    // a->b: 800 of 1000 left at hop 1 (model 895); b->c: 700 of 800 at hop 2 (model 675: no reserve);
    // c->d: 690 of 700 at hop 3 (model 555: no reserve).
    expected: ['budget_decay b->c x1', 'budget_decay c->d x1'],
  },
  {
    title: 'retries that outlast the parent budget',
    //   edge -> api  deadline 500 ms;  api -> orders: 3 attempts of 200 ms each
    spans: [
      ...call({ trace: 'r', id: 'in', caller: 'edge', callee: 'api', start: 0, end: 500, rpc: 4, attributes: { deadline_ms: '500' } }),
      ...[0, 1, 2].flatMap((i) =>
        call({ trace: 'r', id: `a${i}`, parent: 'ins', caller: 'api', callee: 'orders', start: 10 + i * 210, end: 10 + i * 210 + 200, rpc: 14 }),
      ),
    ],
    expected: ['deadline_exceeded edge->api x1', 'retry_exceeds_budget api->orders x1'],
  },
])('$title', ({ spans, expected }) => {
  it('gives exactly the expected findings', async () => {
    expect(kinds(await findingsOf(spans))).toEqual([...expected].sort());
  });
});

describe('deadline findings', () => {
  it('cite the spans behind them', async () => {
    const spans = call({ trace: 'o', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 200, rpc: 4, server: { start: 1, end: 3000 } });
    const orphan = (await findingsOf(spans)).find((f) => f.kind === 'orphan_work');
    expect(orphan?.evidence).toEqual([expect.objectContaining({ kind: 'span', ref: 'span:o/cs' })]);
    expect(orphan?.summary).toMatch(/2800 ms/);
  });

  it('cite the calls that exceed or outlast their budget', async () => {
    //   edge -> api deadline 500 ms; api -> orders with deadline_ms 900, tried three times
    const spans = [
      ...call({ trace: 'r', id: 'in', caller: 'edge', callee: 'api', start: 0, end: 500, rpc: 4, attributes: { deadline_ms: '500' } }),
      ...[0, 1, 2].flatMap((i) =>
        call({ trace: 'r', id: `a${i}`, parent: 'ins', caller: 'api', callee: 'orders', start: 10 + i * 210, end: 10 + i * 210 + 200, rpc: 14, attributes: { deadline_ms: '900' } }),
      ),
    ];
    const findings = await findingsOf(spans);
    const refsOf = (kind: string) => findings.find((f) => f.kind === kind)?.evidence?.map((e) => e.ref);
    // Most excess first: the later an attempt starts, the less of the 500 ms is left.
    expect(refsOf('child_timeout_exceeds_budget')).toEqual(['span:r/a2', 'span:r/a1', 'span:r/a0']);
    expect(refsOf('retry_exceeds_budget')).toEqual(['span:r/a0']);
  });

  it('do not blame a caller for timeouts its callee passed up', async () => {
    //   edge -> api -> orders: orders times out at api (own); edge sees the error passed up
    const spans = [0, 1, 2, 3].flatMap((i) => [
      ...call({ trace: `x${i}`, id: `in${i}`, caller: 'edge', callee: 'api', start: i * 1000, end: i * 1000 + 45, rpc: 4 }),
      ...call({ trace: `x${i}`, id: `out${i}`, parent: `in${i}s`, caller: 'api', callee: 'orders', start: i * 1000 + 2, end: i * 1000 + 42, rpc: 4 }),
      span({ trace: `h${i}`, id: `h${i}`, service: 'orders', start: i * 1000, end: i * 1000 + 500 }),
    ]);
    const findings = await findingsOf(spans);
    expect(findings.filter((f) => f.kind === 'timeout_below_callee_p99').map((f) => f.caller)).toEqual(['api']);
  });
});

describe('edgeTimeout', () => {
  const base = { with_deadline: 0, deadline_p50_ms: null, own_timeouts: 5, timed_out_p10_ms: 99.8, timed_out_p50_ms: 100, timed_out_p90_ms: 100.4 };
  it.each([
    { title: 'a stated deadline wins', row: { ...base, with_deadline: 3, deadline_p50_ms: 250 }, expected: { ms: 250, inferred: false } },
    { title: 'a tight cluster of timed-out durations', row: base, expected: { ms: 100, inferred: true } },
    { title: 'scattered durations reveal no timeout', row: { ...base, timed_out_p10_ms: 40, timed_out_p90_ms: 900 }, expected: null },
    { title: 'too few timeouts reveal no timeout', row: { ...base, own_timeouts: 2 }, expected: null },
  ])('$title', ({ row, expected }) => {
    expect(edgeTimeout(row)).toEqual(expected);
  });
});

describe('silentTimeout', () => {
  const base = { unexplained_failures: 20, unexplained_p10_ms: 3001, unexplained_p50_ms: 3002, unexplained_p90_ms: 3004 };
  it.each([
    { title: 'failures that all end after the same wait', row: base, expected: 3002 },
    { title: 'failures at scattered times', row: { ...base, unexplained_p10_ms: 400, unexplained_p90_ms: 9000 }, expected: null },
    { title: 'fast failures (refusals) are no timer', row: { ...base, unexplained_p10_ms: 1, unexplained_p50_ms: 1, unexplained_p90_ms: 2 }, expected: null },
    { title: 'too few failures', row: { ...base, unexplained_failures: 2 }, expected: null },
  ])('$title', ({ row, expected }) => {
    expect(silentTimeout(row)).toBe(expected);
  });

  it('reports an edge whose causeless failures cluster at one duration', async () => {
    const spans = [0, 1, 2, 3, 4].flatMap((i) => call({ trace: `s${i}`, id: `c${i}`, caller: 'admin', callee: 'config', start: i * 5000, end: i * 5000 + 3002 + (i % 2), error: true, answered: false }));
    const findings = await findingsOf(spans);
    expect(findings.filter((f) => f.kind === 'deadline_exceeded').map((f) => `${f.caller}->${f.callee} x${f.count}`)).toEqual(['admin->config x5']);
  });
});
