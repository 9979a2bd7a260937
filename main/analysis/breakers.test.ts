import { describe, expect, it } from 'vitest';
import type { LogRecord, MetricPointRecord, SpanRecord } from '../../ingest/records.js';
import { breakerTimelines, mergeInstanceTransitions, type BreakerTimelineDetail } from './breakers.js';
import { rebuildDerived } from './index.js';
import { T0, call, isoAt, log, metric, ms, storeWith } from './testdata/events_builders.js';

async function timelinesOf(records: { spans?: SpanRecord[]; logs?: LogRecord[]; metrics?: MetricPointRecord[] }, window?: { fromNs: bigint; toNs: bigint }): Promise<BreakerTimelineDetail[]> {
  const store = await storeWith(records);
  try {
    await rebuildDerived(store);
    return await store.withRead((r) => breakerTimelines(r, window));
  } finally {
    store.close();
  }
}

/** checkout calls payments; the traces make payments a known service. */
const topology = call({ trace: 'warm', id: 'w', caller: 'checkout', callee: 'payments', start: 0, end: 10 });

const states = (t: BreakerTimelineDetail) => t.transitions.map((x) => `${x.from}>${x.to}@${x.at}`);

describe.each([
  {
    library: 'gobreaker',
    lines: ['CB payments-client state changed: closed -> open', 'CB payments-client state changed: open -> half-open', 'CB payments-client state changed: half-open -> closed'],
    breaker: 'payments-client',
  },
  {
    library: 'resilience4j',
    lines: [
      "CircuitBreaker 'payments' changed state from CLOSED to OPEN",
      "CircuitBreaker 'payments' changed state from OPEN to HALF_OPEN",
      "CircuitBreaker 'payments' changed state from HALF_OPEN to CLOSED",
    ],
    breaker: 'payments',
  },
  {
    library: 'a generic "from X to Y" line',
    lines: ["circuit breaker 'payments-cb' moved from closed to open", "circuit breaker 'payments-cb' moved from open to half_open", "circuit breaker 'payments-cb' moved from half_open to closed"],
    breaker: 'payments-cb',
  },
])('a breaker from $library logs', ({ lines, breaker }) => {
  //   t(s):      10        40          41
  //   state:  closed->open  ->half-open  ->closed
  it('gives the timeline, the breaker and the service it protects', async () => {
    const logs = lines.map((body, i) => log({ at: [10_000, 40_000, 41_000][i]!, service: 'checkout', body }));
    const [timeline, ...others] = await timelinesOf({ spans: topology, logs });
    expect(others).toEqual([]);
    expect(timeline).toMatchObject({ service: 'checkout', breaker, protects: 'payments', source: 'log', open_count: 1 });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(10_000)}`, `open>half-open@${isoAt(40_000)}`, `half-open>closed@${isoAt(41_000)}`]);
    expect(timeline!.transitions[0]!.ref).toMatch(/^log:\d+:\d+$/);
  });
});

describe('breaker timelines', () => {
  it('folds the breakers of several pods into one service-level timeline', async () => {
    //   pod-a:  open@10 ........ closed@50
    //   pod-b:       open@12 ............. closed@70
    //   service: open@10 ..................... closed@70
    const logs = [
      log({ at: 10_000, service: 'checkout', body: 'CB payments-client state changed: closed -> open', attributes: { pod: 'a' } }),
      log({ at: 12_000, service: 'checkout', body: 'CB payments-client state changed: closed -> open', attributes: { pod: 'b' } }),
      log({ at: 50_000, service: 'checkout', body: 'CB payments-client state changed: half-open -> closed', attributes: { pod: 'a' } }),
      log({ at: 70_000, service: 'checkout', body: 'CB payments-client state changed: half-open -> closed', attributes: { pod: 'b' } }),
    ];
    const [timeline] = await timelinesOf({ spans: topology, logs });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(10_000)}`, `open>closed@${isoAt(70_000)}`]);
    expect(timeline).toMatchObject({ instances: 2, first_opened_at: isoAt(10_000), last_closed_at: isoAt(70_000) });
  });

  it('counts flapping and the time from the first timeout to the first opening', async () => {
    const spans = [...topology, ...call({ trace: 't1', id: 'slow', caller: 'checkout', callee: 'payments', start: 4_000, end: 4_300, rpc: 4 })];
    const logs = [10_000, 30_000, 50_000].flatMap((at) => [
      log({ at, service: 'checkout', body: 'CB payments-client state changed: closed -> open' }),
      log({ at: at + 5_000, service: 'checkout', body: 'CB payments-client state changed: half-open -> closed' }),
    ]);
    const [timeline] = await timelinesOf({ spans, logs });
    expect(timeline!.open_count).toBe(3);
    expect(timeline!.first_timeout_to_open_ms).toBeCloseTo(10_000 - 4_300, 3);
  });

  it('reads a gobreaker state gauge when nothing logs the breaker', async () => {
    //   gauge (0 closed, 2 open):  0 0 2 2 0
    const metrics = [0, 0, 2, 2, 0].map((value, i) =>
      metric({ at: i * 15_000, name: 'gobreaker_state', service: 'checkout', labels: { name: 'payments-client', pod: 'a' }, value }),
    );
    const [timeline] = await timelinesOf({ spans: topology, metrics });
    expect(timeline).toMatchObject({ breaker: 'payments-client', protects: 'payments', source: 'metric' });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(30_000)}`, `open>closed@${isoAt(60_000)}`]);
    expect(timeline!.transitions[0]!.ref).toBe('series:gobreaker_state{name="payments-client",pod="a"}');
  });

  it('reads resilience4j state series labelled by state', async () => {
    const point = (at: number, state: string, value: number) =>
      metric({ at, name: 'resilience4j_circuitbreaker_state', service: 'checkout', labels: { name: 'payments', state }, value });
    const metrics = [
      point(0, 'closed', 1), point(0, 'open', 0), point(0, 'half_open', 0),
      point(15_000, 'closed', 0), point(15_000, 'open', 1), point(15_000, 'half_open', 0),
      point(30_000, 'closed', 0), point(30_000, 'open', 0), point(30_000, 'half_open', 1),
      point(45_000, 'closed', 1), point(45_000, 'open', 0), point(45_000, 'half_open', 0),
    ];
    const [timeline] = await timelinesOf({ spans: topology, metrics });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(15_000)}`, `open>half-open@${isoAt(30_000)}`, `half-open>closed@${isoAt(45_000)}`]);
  });

  it('reads Envoy circuit-breaker gauges as one breaker per upstream cluster, open while any threshold is tripped', async () => {
    //   t(s):              0   15   30   40   50
    //   rq_pending_open:   0    1    1    0
    //   cx_open:           0         1         0
    //   cluster breaker:  closed open ......... closed@50
    const cluster = 'outbound|8080||payments.default.svc.cluster.local';
    const gauge = (resource: string, at: number, value: number) =>
      metric({ at, name: `envoy_cluster_circuit_breakers_default_${resource}_open`, service: 'checkout', labels: { envoy_cluster_name: cluster, pod: 'checkout-1' }, value });
    const metrics = [
      ...[[0, 0], [15_000, 1], [30_000, 1], [40_000, 0]].map(([at, v]) => gauge('rq_pending', at!, v!)),
      ...[[0, 0], [30_000, 1], [50_000, 0]].map(([at, v]) => gauge('cx', at!, v!)),
    ];
    const [timeline, ...others] = await timelinesOf({ spans: topology, metrics });
    expect(others).toEqual([]);
    expect(timeline).toMatchObject({ service: 'checkout', breaker: 'payments', protects: 'payments', source: 'metric', open_count: 1 });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(15_000)}`, `open>closed@${isoAt(50_000)}`]);
  });

  it('reads statsd-named Envoy gauges, which carry the cluster in the metric name', async () => {
    const metrics = [[0, 0], [20_000, 1], [25_000, 0]].map(([at, value]) =>
      metric({ at: at!, name: 'cluster.payments.circuit_breakers.default.rq_open', service: 'checkout', value: value! }),
    );
    const [timeline] = await timelinesOf({ spans: topology, metrics });
    expect(timeline).toMatchObject({ breaker: 'payments', protects: 'payments', source: 'metric' });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(20_000)}`, `open>closed@${isoAt(25_000)}`]);
  });

  it('prefers log lines over the gauge of the same breaker', async () => {
    const logs = [log({ at: 10_000, service: 'checkout', body: 'CB payments-client state changed: closed -> open' })];
    const metrics = [0, 2].map((value, i) => metric({ at: i * 15_000, name: 'gobreaker_state', service: 'checkout', labels: { name: 'payments-client' }, value }));
    const timelines = await timelinesOf({ spans: topology, logs, metrics });
    expect(timelines.map((t) => t.source)).toEqual(['log']);
  });

  it('infers a breaker from calls that fail fast without reaching the callee', async () => {
    //   answered  | fast failures 20s..26s          | answered
    //   0s        | 20  22  24  26                  | 40s
    const spans = [
      ...call({ trace: 'a', id: 'a', caller: 'checkout', callee: 'payments', start: 0, end: 30 }),
      ...[20_000, 22_000, 24_000, 26_000].flatMap((at, i) =>
        call({ trace: `f${i}`, id: `f${i}`, caller: 'checkout', callee: 'payments', start: at, end: at + 1, error: true, message: 'circuit breaker is open', answered: false }),
      ),
      ...call({ trace: 'b', id: 'b', caller: 'checkout', callee: 'payments', start: 40_000, end: 40_030 }),
    ];
    const [timeline, ...others] = await timelinesOf({ spans });
    expect(others).toEqual([]);
    expect(timeline).toMatchObject({ service: 'checkout', breaker: 'payments', protects: 'payments', source: 'behaviour', open_count: 1 });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(20_000)}`, `open>closed@${isoAt(26_001)}`]);
    expect(timeline!.transitions[0]!.ref).toBe('span:f0/f0');
  });

  it('gives a breaker known only from its resilience4j refusals its name and open intervals', async () => {
    //   t(s):   10 12 14 ............................ 100 101
    //   refused: x  x  x      (no transition line)      x   x
    //   open:   [10 .. 14]                             [100 .. 101]
    const refusal = "io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker 'backendA' is OPEN and does not permit further calls";
    const logs = [10_000, 12_000, 14_000, 100_000, 101_000].map((at) => log({ at, service: 'checkout', severity: 'ERROR', body: refusal }));
    const [timeline, ...others] = await timelinesOf({ spans: topology, logs });
    expect(others).toEqual([]);
    expect(timeline).toMatchObject({ service: 'checkout', breaker: 'backendA', source: 'log', open_count: 2 });
    expect(states(timeline!)).toEqual([
      `closed>open@${isoAt(10_000)}`,
      `open>closed@${isoAt(14_000)}`,
      `closed>open@${isoAt(100_000)}`,
      `open>closed@${isoAt(101_000)}`,
    ]);
    expect(timeline!.transitions[0]!.ref).toMatch(/^log:\d+:\d+$/);
  });

  it('lets a logged state transition of the same breaker win over its refusals', async () => {
    const logs = [
      log({ at: 10_000, service: 'checkout', body: "CircuitBreaker 'payments' changed state from CLOSED to OPEN" }),
      log({ at: 11_000, service: 'checkout', body: "CircuitBreaker 'payments' is OPEN and does not permit further calls" }),
    ];
    const [timeline, ...others] = await timelinesOf({ spans: topology, logs });
    expect(others).toEqual([]);
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(10_000)}`]);
  });

  it('names the breaker of refused calls from the exception on their spans and keeps the callee it protects', async () => {
    const spans = [20_000, 22_000, 24_000].flatMap((at, i) =>
      call({ trace: `n${i}`, id: `n${i}`, caller: 'checkout', callee: 'payments', start: at, end: at + 1, error: true, answered: false,
        message: "CircuitBreaker 'paymentsBreaker' is OPEN and does not permit further calls" }),
    );
    const [timeline, ...others] = await timelinesOf({ spans: [...topology, ...spans] });
    expect(others).toEqual([]);
    expect(timeline).toMatchObject({ service: 'checkout', breaker: 'paymentsBreaker', protects: 'payments', source: 'behaviour', open_count: 1 });
    expect(states(timeline!)).toEqual([`closed>open@${isoAt(20_001)}`, `open>closed@${isoAt(24_001)}`]);
  });

  it('infers nothing from calls that failed after reaching the callee', async () => {
    const spans = [20_000, 22_000, 24_000].flatMap((at, i) =>
      call({ trace: `f${i}`, id: `f${i}`, caller: 'checkout', callee: 'payments', start: at, end: at + 300, rpc: 4 }),
    );
    expect(await timelinesOf({ spans })).toEqual([]);
  });

  it('keeps only the transitions inside the window', async () => {
    const logs = [
      log({ at: 10_000, service: 'checkout', body: 'CB payments-client state changed: closed -> open' }),
      log({ at: 100_000, service: 'checkout', body: 'CB payments-client state changed: open -> half-open' }),
    ];
    const [timeline] = await timelinesOf({ spans: topology, logs }, { fromNs: ms(50_000), toNs: ms(200_000) });
    expect(states(timeline!)).toEqual([`open>half-open@${isoAt(100_000)}`]);
  });
});

describe('mergeInstanceTransitions', () => {
  it('starts an instance in the state its first report leaves', () => {
    const merged = mergeInstanceTransitions([
      { tsNs: T0 + 5n, instance: 'a', from: 'open', to: 'half-open', ref: 'r1' },
      { tsNs: T0 + 6n, instance: 'a', from: 'half-open', to: 'closed', ref: 'r2' },
    ]);
    expect(merged.map((m) => `${m.from}>${m.to}`)).toEqual(['open>half-open', 'half-open>closed']);
  });
});
