import { describe, expect, it } from 'vitest';
import { csvMetrics, parseLabels } from './csv-metrics.js';
import { fixture, parseFixture, parseText } from './more-formats.testkit.js';

describe('csv-metrics: long', () => {
  it('reads Prometheus label strings, the service from pod labels and counter types from names', async () => {
    const sink = await parseFixture(csvMetrics, 'csv-metrics-long.csv');
    const [breaker, memory] = sink.points;
    expect(breaker).toMatchObject({ name: 'circuit_breaker_requests_total', service: 'download', value: 127, metricType: 'counter', tsNs: 1726840080000000000n, sourceLine: 2 });
    expect(breaker!.labels).toMatchObject({ name: 'subtitle-client', result: 'failure', job: 'download', instance: '10.1.109.44:9090' });
    expect(memory).toMatchObject({ service: 'bolt-checkout', value: 1.5e8, metricType: 'gauge' });
  });

  it('skips NaN silently and reports a non-number by line', async () => {
    const sink = await parseFixture(csvMetrics, 'csv-metrics-long.csv');
    expect(sink.points).toHaveLength(2);
    expect(sink.issues.map((issue) => issue.line)).toEqual([5]);
  });

  it('parses label strings', () => {
    expect(parseLabels('{a="x,y",b="q\\"uote"}')).toEqual({ a: 'x,y', b: 'q"uote' });
    expect(parseLabels('{"a":"b","n":1}')).toEqual({ a: 'b', n: '1' });
    expect(parseLabels('a=1;b=2')).toEqual({ a: '1', b: '2' });
    expect(parseLabels('{}')).toEqual({});
    expect(parseLabels('{a="unterminated}')).toBeNull();
  });
});

describe('csv-metrics: wide', () => {
  it('splits <service>_<metric> columns and skips empty and NaN cells', async () => {
    const sink = await parseFixture(csvMetrics, 'csv-metrics-wide.csv');
    const at = (service: string, name: string) => sink.points.filter((p) => p.service === service && p.name === name).map((p) => p.value);
    expect(at('carts', 'cpu')).toEqual([1.25, 1.3]);
    expect(at('carts-db', 'cpu')).toEqual([100.19]);
    expect(at('carts', 'lat_50')).toEqual([4.5]);
    expect(sink.points).toHaveLength(6 + 4);
    expect(sink.issues).toHaveLength(0);
  });

  it('keeps column names as metrics of the pod named by a column or by the file', async () => {
    const sink = await parseFixture(csvMetrics, 'csv-metrics-payment-7d9f8c6b5-x2k4z_metric.csv');
    expect(new Set(sink.points.map((p) => p.name))).toEqual(new Set(['CpuUsage(m)', 'MemoryUsage(Mi)', 'PodSuccessRate(%)']));
    expect(new Set(sink.points.map((p) => p.service))).toEqual(new Set(['payment']));
    expect(sink.points[0]!.tsNs).toBe(1674981669000000000n);
    expect(sink.points[0]!.labels).toEqual({ Node: 'node-a', pod: 'payment-7d9f8c6b5-x2k4z' });
    const byFile = await parseText(csvMetrics, 'timestamp,CpuUsage\n1674981669,3\n', 'metrics/payment-7d9f8c6b5-x2k4z_metric.csv');
    expect(byFile.points[0]).toMatchObject({ service: 'payment', name: 'CpuUsage', value: 3 });
  });

  it('detects long and wide tables but not logs or spans', () => {
    expect(csvMetrics.detect(fixture('csv-metrics-long.csv').text, 'm.csv')).toBeGreaterThanOrEqual(0.85);
    expect(csvMetrics.detect(fixture('csv-metrics-wide.csv').text, 'm.csv')).toBeGreaterThanOrEqual(0.7);
    // a narrow per-pod table: its text columns (a second time column, the pod, the node) outnumber few metrics
    expect(csvMetrics.detect(fixture('csv-metrics-payment-7d9f8c6b5-x2k4z_metric.csv').text, 'm.csv')).toBeGreaterThanOrEqual(0.7);
    expect(csvMetrics.detect(fixture('csv-logs-nezha.csv').text, 'm.csv')).toBe(0);
    expect(csvMetrics.detect(fixture('csv-logs-gaia.csv').text, 'm.csv')).toBe(0);
    expect(csvMetrics.detect(fixture('csv-spans-nezha.csv').text, 'm.csv')).toBe(0);
  });
});

describe('csv-metrics: nameless series', () => {
  it('skips a wide column without a header name and reports a long row without a metric name', async () => {
    const wide = await parseText(csvMetrics, 'timestamp,,cpu\n1674981669,1,2\n', 'm.csv');
    expect(wide.points.map((point) => point.name)).toEqual(['cpu']);
    const long = await parseText(csvMetrics, 'timestamp,metric,value\n1674981669,,2\n1674981670,cpu,3\n', 'm.csv');
    expect(long.points.map((point) => point.name)).toEqual(['cpu']);
    expect(long.issues).toEqual([{ line: 2, message: 'no metric name; row skipped' }]);
  });
});
