import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../api/contract.js';
import { TelemetryStore } from '../store/store.js';
import { analyze, compareWindows, eventRateSeries, metricSeries, overview, rebuildDerived, sloBurn } from './index.js';
import { buildGauge, buildSpans, importRecords, inIncident } from './testdata/rank_incidents.js';

/** The entry points over one small incident: a leaf slows down and its caller times out on it. */
let store: TelemetryStore;
let report: AnalysisReport;

beforeAll(async () => {
  store = await TelemetryStore.open(':memory:');
  await importRecords(store, {
    spans: buildSpans({ normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 800 }, apiTimeoutMs: 500 }),
    metrics: [
      ...buildGauge('jvm_gc_pause_seconds_max', 'leaf', { gc: 'G1' }, (ns) => (inIncident(ns) ? 0.9 : 0.02)),
      ...buildGauge('jvm_gc_pause_seconds_count', 'leaf', {}, (ns) => Number(ns / 1_000_000_000n) % 100000),
    ],
  });
  await rebuildDerived(store);
  report = await analyze(store);
});

afterAll(() => store.close());

describe('analysis entry points', () => {
  it('counts served requests, failures and timeouts per service', () => {
    const api = report.services.find((s) => s.service === 'api')!;
    expect(api.requests).toBeGreaterThan(0);
    expect(api.errors).toBeGreaterThan(0);
    expect(api.timeouts).toBeGreaterThan(0);
    expect(api.p99_ms!).toBeGreaterThanOrEqual(api.p50_ms!);
    expect(report.services.find((s) => s.service === 'leaf')?.errors).toBe(0);
  });

  it('counts the requests of spans that carry no kind (CSV span tables) where their parent is another service: services, window and SLO burn', async () => {
    const kindless = await TelemetryStore.open(':memory:');
    try {
      const spans = buildSpans({ normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 800 }, apiTimeoutMs: 500 });
      await importRecords(kindless, { spans: spans.map((span) => ({ ...span, kind: 'unspecified' as const })) });
      await rebuildDerived(kindless);
      const requests = (services: AnalysisReport['services']) => Object.fromEntries(services.map((s) => [s.service, s.requests]));
      const given = { from: report.window.from, to: report.window.to };
      const [withKinds, withoutKinds] = await Promise.all([analyze(store, given), analyze(kindless, given)]);
      expect(Object.values(requests(withKinds.services)).every((count) => count > 0)).toBe(true);
      expect(requests(withoutKinds.services)).toEqual(requests(withKinds.services));
      // the incident window is found from the same entry spans, and every service burns error budget alike
      expect((await analyze(kindless)).window).toEqual(report.window);
      const burns = async (of: TelemetryStore) => (await sloBurn(of, { target: 0.99 })).services.map((s) => [s.service, s.peak_5m?.burn ?? null]);
      expect(await burns(kindless)).toEqual(await burns(store));
    } finally {
      kindless.close();
    }
  });

  it('analyzes a given window as the incident', async () => {
    const given = await analyze(store, { from: report.baseline!.from, to: report.baseline!.to });
    expect(given.window).toEqual({ from: report.baseline!.from, to: report.baseline!.to });
    expect(given.root_causes).toEqual([]);
  });

  it('refuses a malformed window with a clear message', async () => {
    await expect(analyze(store, { from: 'soon', to: 'later' })).rejects.toThrow(/ISO 8601/);
  });

  it('gives the overview the call graph, the ranking and a per-minute event timeline', async () => {
    const view = await overview(store);
    expect(view.window).toEqual(report.window);
    expect(view.edges).toContainEqual(expect.objectContaining({ caller: 'api', callee: 'leaf' }));
    expect(view.root_causes[0]?.service).toBe(report.root_causes[0]?.service);
    for (const point of view.event_timeline) expect(Date.parse(point.bucket) % 60_000).toBe(0);
  });

  it('builds the same overview from an analysis of the same window as it computes on its own', async () => {
    const alone = await overview(store);
    expect(alone.deadline_findings).toEqual(report.deadline_findings);
    expect(await overview(store, undefined, report)).toEqual(alone);
  });

  it('downsamples a metric series to at most the points asked for, counters as rates', async () => {
    const [gauge] = await metricSeries(store, { name: 'jvm_gc_pause_seconds_max', maxPoints: 20 });
    expect(gauge!.points.length).toBeLessThanOrEqual(21);
    expect(gauge!.labels).toEqual({ gc: 'G1' });
    const [counter] = await metricSeries(store, { nameLike: '%pause_seconds_count', service: 'leaf' });
    expect(counter!.points.every((p) => Math.abs(p.value - 1) < 1e-9)).toBe(true);
    expect(await metricSeries(store, { name: 'no_such_metric' })).toEqual([]);
  });

  it('counts resilience events per step, zero-filled', async () => {
    const series = await eventRateSeries(store, { stepSeconds: 60 });
    expect(series.length).toBeGreaterThanOrEqual(30);
    const total = series.reduce((sum, p) => sum + p.count, 0);
    const timeouts = await eventRateSeries(store, { stepSeconds: 60, kinds: ['timeout', 'deadline_exceeded'] });
    expect(timeouts.reduce((sum, p) => sum + p.count, 0)).toBeLessThanOrEqual(total);
    expect(total).toBeGreaterThan(0);
  });

  it('compares the incident with the baseline and puts the failing operation on top', async () => {
    const comparison = await compareWindows(store, report.window, report.baseline!);
    expect(comparison.incident_spans).toBeGreaterThan(0);
    expect(comparison.baseline_spans).toBeGreaterThan(comparison.incident_spans);
    const top = comparison.differences.slice(0, 6).map((d) => d.value);
    expect(top.some((value) => /api|gateway|leaf/.test(value))).toBe(true);
    expect(comparison.differences.every((d, i, all) => i === 0 || all[i - 1]!.score >= d.score)).toBe(true);
  });

  it('burns error budget during the incident only, by error ratio over (1 - target)', async () => {
    const burn = await sloBurn(store, { target: 0.99 });
    const api = burn.services.find((s) => s.service === 'api')!;
    expect(api.peak_5m!.burn).toBeCloseTo(api.peak_5m!.error_ratio / 0.01, 2);
    expect(api.peak_5m!.burn).toBeGreaterThan(10);
    expect(burn.services.find((s) => s.service === 'leaf')!.peak_5m!.burn).toBe(0);
    await expect(sloBurn(store, { target: 1.5 })).rejects.toThrow(/between 0 and 1/);
  });
});
