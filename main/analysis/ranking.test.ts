import { afterEach, describe, expect, it } from 'vitest';
import { TelemetryStore } from '../store/store.js';
import { analyze, overview, rebuildDerived } from './index.js';
import type { LogRecord, Severity } from '../../ingest/records.js';
import { INCIDENT_FROM_NS, INCIDENT_TO_NS, MINUTE_NS, NS_PER_MS, T0_NS, buildGauge, buildSpans, importRecords, inIncident, type IncidentSpec } from './testdata/rank_incidents.js';

const stores: TelemetryStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

async function analyzed(records: Parameters<typeof importRecords>[1]) {
  const store = await TelemetryStore.open(':memory:');
  stores.push(store);
  await importRecords(store, records);
  await rebuildDerived(store);
  return analyze(store);
}

const slowLeaf: IncidentSpec = {
  normal: { leafWorkMs: 10 },
  incident: { leafWorkMs: 800 },
  apiTimeoutMs: 500,
};

describe('root-cause ranking', () => {
  it("ranks a slow leaf first, not the callers that time out on it", async () => {
    const report = await analyzed({ spans: buildSpans(slowLeaf) });
    expect(report.root_causes[0]?.service).toBe('leaf');
    expect(report.root_causes.map((c) => c.service)).not.toContain('api');
    const started = Date.parse(report.root_causes[0]!.started_at);
    expect(started).toBeGreaterThanOrEqual(Number((INCIDENT_FROM_NS - MINUTE_NS) / 1_000_000n));
    expect(started).toBeLessThan(Number(INCIDENT_TO_NS / 1_000_000n));
    expect(report.root_causes[0]!.evidence.some((e) => e.ref.startsWith('span:'))).toBe(true);
    for (const [index, cause] of report.root_causes.entries()) {
      expect(cause.confidence).toBeGreaterThan(0);
      expect(cause.confidence).toBeLessThanOrEqual(index === 0 ? 1 : report.root_causes[index - 1]!.confidence);
      expect(Number.isNaN(Date.parse(cause.started_at))).toBe(false);
    }
  });

  it('finds the incident window and a baseline before it', async () => {
    const report = await analyzed({ spans: buildSpans(slowLeaf) });
    const from = Date.parse(report.window.from);
    const to = Date.parse(report.window.to);
    const incidentFromMs = Number(INCIDENT_FROM_NS / 1_000_000n);
    const incidentToMs = Number(INCIDENT_TO_NS / 1_000_000n);
    expect(Math.abs(from - incidentFromMs)).toBeLessThanOrEqual(60_000);
    expect(Math.abs(to - incidentToMs)).toBeLessThanOrEqual(60_000);
    expect(report.baseline).not.toBeNull();
    expect(Date.parse(report.baseline!.to)).toBeLessThanOrEqual(from);
  });

  it('does not count errors that were already there in the baseline', async () => {
    const report = await analyzed({ spans: buildSpans({ ...slowLeaf, noisyErrorEvery: 5 }) });
    expect(report.root_causes[0]?.service).toBe('leaf');
    expect(report.root_causes.map((c) => c.service)).not.toContain('noisy');
    expect(report.services.find((s) => s.service === 'noisy')?.errors).toBeGreaterThan(0);
  });

  it('takes the kind gc_pause from a GC pause metric that jumps with the slowdown', async () => {
    const gc = buildGauge('jvm_gc_pause_seconds_max', 'leaf', { gc: 'G1 Old Generation' }, (ns) => (inIncident(ns) ? 0.9 : 0.02 + Number(ns % 7n) / 1000));
    const cpu = buildGauge('process_cpu_usage', 'api', {}, () => 0.3);
    const report = await analyzed({ spans: buildSpans(slowLeaf), metrics: [...gc, ...cpu] });
    expect(report.root_causes[0]).toMatchObject({ service: 'leaf', kind: 'gc_pause' });
    expect(report.root_causes[0]!.evidence.some((e) => e.ref.startsWith('series:jvm_gc_pause_seconds_max'))).toBe(true);
  });

  it('calls a slowdown cpu_saturation when a noisy CPU share hits its limit, even if memory rises more steadily', async () => {
    //   cpu_usage_rate(%):  50..90 noisy in the baseline  |  100 (the limit) in the incident
    //   memory(Mi):         36 steady                     |  46
    const noise = (ns: bigint) => Number((ns / 15_000_000_000n) % 5n);
    const cpu = buildGauge('CpuUsageRate(%)', 'leaf', {}, (ns) => (inIncident(ns) ? 100 : 50 + 10 * noise(ns)));
    const memory = buildGauge('MemoryUsage(Mi)', 'leaf', {}, (ns) => (inIncident(ns) ? 46 : 36 + noise(ns) / 10));
    const report = await analyzed({ spans: buildSpans(slowLeaf), metrics: [...cpu, ...memory] });
    expect(report.root_causes[0]).toMatchObject({ service: 'leaf', kind: 'cpu_saturation' });
    expect(report.root_causes[0]!.evidence.some((e) => e.ref.startsWith('series:CpuUsageRate(%)'))).toBe(true);
  });

  it('leaves the kind unknown when nothing corroborates a slowdown', async () => {
    const report = await analyzed({ spans: buildSpans(slowLeaf) });
    expect(report.root_causes[0]).toMatchObject({ service: 'leaf', kind: 'unknown' });
  });

  it('calls a database span slowdown slow_query on the service that issues the queries', async () => {
    const report = await analyzed({
      spans: buildSpans({
        normal: { leafWorkMs: 5, dependency: { name: 'quotes-db', system: 'postgresql', durationMs: 2 } },
        incident: { leafWorkMs: 5, dependency: { name: 'quotes-db', system: 'postgresql', durationMs: 700 } },
        apiTimeoutMs: 500,
      }),
    });
    expect(report.root_causes[0]).toMatchObject({ service: 'leaf', kind: 'slow_query' });
    expect(report.root_causes[0]!.summary).toContain('postgresql');
  });

  it('blames an unreachable dependency (connection refused) as dependency_down', async () => {
    const report = await analyzed({
      spans: buildSpans({
        normal: { leafWorkMs: 5, dependency: { name: 'quote-cache', system: 'redis', durationMs: 0.5 } },
        incident: { leafWorkMs: 5, dependency: { name: 'quote-cache', system: 'redis', durationMs: 0.3, error: 'dial tcp 10.0.0.7:6379: connect: connection refused' } },
        apiTimeoutMs: 500,
      }),
    });
    expect(report.root_causes[0]).toMatchObject({ service: 'quote-cache', kind: 'dependency_down' });
    expect(report.root_causes[0]!.edge).toEqual({ caller: 'leaf', callee: 'quote-cache' });
  });

  it('calls a leaf that starts failing on its own error_return', async () => {
    const report = await analyzed({
      spans: buildSpans({ normal: { leafWorkMs: 5 }, incident: { leafWorkMs: 5, leafError: 'IllegalStateException: price table missing' }, apiTimeoutMs: 500 }),
    });
    expect(report.root_causes[0]).toMatchObject({ service: 'leaf', kind: 'error_return' });
  });

  it("names a caller whose timeout fires below the callee's normal latency misconfigured_timeout", async () => {
    const report = await analyzed({ spans: buildSpans({ normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 10, timeoutMs: 8 }, apiTimeoutMs: 500 }) });
    expect(report.root_causes[0]).toMatchObject({ service: 'api', kind: 'misconfigured_timeout', edge: { caller: 'api', callee: 'leaf' } });
    expect(report.root_causes.map((c) => c.service)).not.toContain('leaf');
  });

  it('puts delay that only one caller sees between its client and the callee server spans on the network path', async () => {
    const report = await analyzed({ spans: buildSpans({ normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 10, networkDelayMs: 250 }, apiTimeoutMs: 1000 }) });
    expect(report.root_causes[0]).toMatchObject({ service: 'api', kind: 'network_latency', edge: { caller: 'api', callee: 'leaf' } });
  });

  it('calls the same delay connection_pool_exhaustion when the caller reports waiting for its pool', async () => {
    const pending = buildGauge('hikaricp_connections_pending', 'api', { pool: 'leaf-client' }, (ns) => (inIncident(ns) ? 40 : Number(ns % 2n)));
    const report = await analyzed({
      spans: buildSpans({ normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 10, networkDelayMs: 250 }, apiTimeoutMs: 1000 }),
      metrics: pending,
    });
    expect(report.root_causes[0]).toMatchObject({ service: 'api', kind: 'connection_pool_exhaustion' });
  });

  it('ranks a caller that multiplies its calls to a struggling callee above the callee (retry_storm)', async () => {
    const report = await analyzed({
      spans: buildSpans({ normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 300, attempts: 4 }, apiTimeoutMs: 200 }),
    });
    expect(report.root_causes[0]).toMatchObject({ service: 'api', kind: 'retry_storm', edge: { caller: 'api', callee: 'leaf' } });
    expect(report.root_causes.map((c) => c.service)).toContain('leaf');
  });

  it('does not call timeouts without extra attempts a retry storm', async () => {
    const report = await analyzed({ spans: buildSpans({ normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 800 }, apiTimeoutMs: 500 }) });
    expect(report.root_causes.some((c) => c.kind === 'retry_storm')).toBe(false);
  });

  it("does not blame deadline propagation when a service's own slow work makes its later calls late", async () => {
    const report = await analyzed({
      spans: buildSpans({
        normal: { leafWorkMs: 10, dependency: { name: 'quotes-db', system: 'postgresql', durationMs: 2 } },
        incident: { leafWorkMs: 800, dependency: { name: 'quotes-db', system: 'postgresql', durationMs: 2 } },
        apiTimeoutMs: 500,
      }),
    });
    expect(report.root_causes[0]).toMatchObject({ service: 'leaf', kind: 'unknown' });
  });

  it('ranks from metrics alone when there are no traces, earliest anomaly first', async () => {
    const cpu = buildGauge('container_cpu_usage_seconds', 'billing', {}, (ns) => (inIncident(ns) ? 3.8 : 1 + Number(ns % 3n) / 100));
    const heap = buildGauge('jvm_memory_used_bytes', 'ledger', { area: 'heap' }, (ns) => (inIncident(ns) && ns >= INCIDENT_FROM_NS + 3n * MINUTE_NS ? 9e8 : 2e8 + Number(ns % 5n)));
    const report = await analyzed({ metrics: [...cpu, ...heap] });
    expect(report.root_causes.map((c) => [c.service, c.kind])).toEqual([
      ['billing', 'cpu_saturation'],
      ['ledger', 'memory_pressure'],
    ]);
  });

  it("says when a service's logged errors have nothing before the incident to be compared with, and weighs them less", async () => {
    const flat = buildGauge('queue_depth', 'orders', {}, () => 4);
    const logs: LogRecord[] = [];
    const log = (tsNs: bigint, service: string, severity: Severity, body: string) =>
      logs.push({ tsNs, service, severity, body, traceId: null, spanId: null, attributes: {}, sourceLine: logs.length + 1 });
    // orders logs all along and starts failing; billing's logs begin with the incident
    for (let ts = T0_NS; ts < INCIDENT_TO_NS; ts += 30_000n * NS_PER_MS) log(ts, 'orders', 'INFO', 'order placed');
    for (let n = 0n; n < 12n; n += 1n) {
      log(INCIDENT_FROM_NS + n * 20_000n * NS_PER_MS, 'orders', 'ERROR', 'payment declined');
      log(INCIDENT_FROM_NS + n * 20_000n * NS_PER_MS + NS_PER_MS, 'billing', 'ERROR', 'invoice failed');
    }
    const report = await analyzed({ metrics: flat, logs });
    const orders = report.root_causes.find((c) => c.service === 'orders');
    const billing = report.root_causes.find((c) => c.service === 'billing');
    expect(report.baseline).not.toBeNull();
    expect(orders?.summary).toContain('against 0 in the baseline');
    expect(billing?.summary).toContain('nothing it logged or traced before the incident');
    expect(billing?.summary_zh).toContain('无法判断');
    expect(report.root_causes.map((c) => c.service).slice(0, 2)).toEqual(['orders', 'billing']);
    expect(billing!.confidence).toBeLessThan(orders!.confidence);
    // the logs as a whole reach into the baseline (orders'), so the report names no kind as late
    expect(report.signals_after_baseline).toBeUndefined();
  });

  it('names the kinds of telemetry that begin only after the baseline, with when each begins', async () => {
    const flat = buildGauge('queue_depth', 'orders', {}, () => 4);
    const firstLog = INCIDENT_FROM_NS + 5n * NS_PER_MS;
    const logs: LogRecord[] = Array.from({ length: 12 }, (_, n) => ({
      tsNs: firstLog + BigInt(n) * 20_000n * NS_PER_MS,
      service: 'billing',
      severity: 'ERROR' as Severity,
      body: 'invoice failed',
      traceId: null,
      spanId: null,
      attributes: {},
      sourceLine: n + 1,
    }));
    const report = await analyzed({ metrics: flat, logs });
    expect(report.baseline).not.toBeNull();
    expect(report.signals_after_baseline).toEqual([{ signal: 'logs', from: new Date(Number(firstLog / 1_000_000n)).toISOString() }]);
    // the overview the app opens on says the same
    expect((await overview(stores.at(-1)!)).signals_after_baseline).toEqual(report.signals_after_baseline);
  });

  it('ranks nothing for a quiet dataset', async () => {
    const report = await analyzed({ spans: buildSpans({ normal: { leafWorkMs: 5 }, incident: { leafWorkMs: 5 }, apiTimeoutMs: 500 }) });
    expect(report.root_causes).toEqual([]);
  });
});
