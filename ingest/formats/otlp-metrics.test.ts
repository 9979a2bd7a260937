import { describe, expect, it } from 'vitest';
import { fileSource, formatInput } from '../read.js';
import type { MetricPointRecord } from '../records.js';
import { collectingSink, fixturePath } from '../testdata/collect.js';
import { exponentialBuckets, otlpMetrics } from './otlp-metrics.js';

async function points() {
  const { sink, collected } = collectingSink();
  await otlpMetrics.parse(formatInput(fileSource(fixturePath('otlp-metrics.json'), null)), sink);
  return collected;
}

function named(all: MetricPointRecord[], name: string): MetricPointRecord[] {
  return all.filter((point) => point.name === name);
}

describe('OTLP JSON metrics', () => {
  it('turns sums into counters (monotonic) or gauges, with int values as numbers', async () => {
    const { points: all } = await points();
    const requests = named(all, 'gobreaker_requests_total');
    expect(requests.map((point) => [point.labels.result, point.value, point.metricType])).toEqual([
      ['rejected', 42, 'counter'],
      ['success', 900, 'counter'],
    ]);
    expect(requests[0]).toMatchObject({ tsNs: 1726841320000000000n, service: 'checkout' });
    expect(requests[0]!.labels['service.instance.id']).toBe('10.0.1.5:8080');
    expect(named(all, 'db_pool_in_use')[0]).toMatchObject({ value: 19, metricType: 'gauge' });
    expect(named(all, 'gobreaker_state')[0]).toMatchObject({ value: 2, metricType: 'gauge', labels: expect.objectContaining({ name: 'payment' }) });
  });

  it('emits _count, _sum and cumulative _bucket{le} points for histograms', async () => {
    const { points: all } = await points();
    expect(named(all, 'rpc_client_duration_seconds_count')[0]).toMatchObject({ value: 10, metricType: 'histogram' });
    expect(named(all, 'rpc_client_duration_seconds_sum')[0]!.value).toBe(3.5);
    expect(named(all, 'rpc_client_duration_seconds_bucket').map((point) => [point.labels.le, point.value])).toEqual([
      ['0.05', 1],
      ['0.25', 5],
      ['1', 8],
      ['+Inf', 10],
    ]);
  });

  it('emits exponential histogram buckets with base-2 bounds', async () => {
    const { points: all } = await points();
    expect(named(all, 'http_server_duration_seconds_count')[0]!.value).toBe(7);
    // scale 0: base 2. negative bucket 0 covers [-2, -1); zero bucket; positive offset -2 covers (0.25, 0.5], (0.5, 1], (1, 2]
    expect(named(all, 'http_server_duration_seconds_bucket').map((point) => [point.labels.le, point.value])).toEqual([
      ['-1', 1],
      ['0', 2],
      ['0.5', 4],
      ['1', 4],
      ['2', 7],
      ['+Inf', 7],
    ]);
  });

  it('emits summaries as _count, _sum and quantile points', async () => {
    const { points: all } = await points();
    expect(named(all, 'go_gc_duration_seconds_count')[0]).toMatchObject({ value: 232, metricType: 'summary' });
    expect(named(all, 'go_gc_duration_seconds').map((point) => [point.labels.quantile, point.value])).toEqual([
      ['0.5', 0.0001],
      ['1', 0.0052],
    ]);
  });

  it('attributes scraped pod metrics to the pod, not the scrape job', async () => {
    const { points: all } = await points();
    expect(named(all, 'container_cpu_cfs_throttled_seconds_total')[0]).toMatchObject({ service: 'payment', value: 12.5, metricType: 'counter' });
  });

  it('reports an implausible time and skips only that point', async () => {
    const { points: all, issues } = await points();
    expect(named(all, 'bad_time')).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/bad_time/);
  });

  it('keeps exponential buckets consistent with the total count', () => {
    const buckets = exponentialBuckets({ scale: 1, count: '3', zeroCount: '0', positive: { offset: 0, bucketCounts: ['1', '2'] } });
    expect(buckets.at(-1)).toEqual([Infinity, 3]);
    expect(buckets[1]![0]).toBeCloseTo(Math.SQRT2);
    expect(buckets[2]![0]).toBeCloseTo(2);
  });
});
