import { describe, expect, it } from 'vitest';
import { fileSource, formatInput } from '../read.js';
import { collectingSink, fixturePath, memoryInput } from '../testdata/collect.js';
import { prometheusQuery, serviceFromLabels } from './prometheus-query.js';

async function parseFixture(name: string) {
  const { sink, collected } = collectingSink();
  await prometheusQuery.parse(formatInput(fileSource(fixturePath(name), null)), sink);
  return collected;
}

describe('Prometheus query_range JSON (matrix)', () => {
  it('reads every finite sample with its series labels, service and time', async () => {
    const { points, issues } = await parseFixture('prometheus-query-range.json');
    const throttled = points.filter((point) => point.name === 'container_cpu_cfs_throttled_seconds_total');
    // the NaN staleness marker is not a sample
    expect(throttled.map((point) => [point.tsNs, point.value])).toEqual([
      [1726841320000000000n, 1.5],
      [1726841335000000000n, 1.75],
    ]);
    expect(throttled[0]).toMatchObject({ service: 'payment', metricType: 'counter', sourceLine: 1 });
    expect(throttled[0]!.labels).toEqual({ container: 'payment', job: 'kubelet', namespace: 'shop', pod: 'payment-6f7b8c9d5-x2k4z' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 4 });
  });

  it('does not take a gRPC service label for the workload', async () => {
    const { points } = await parseFixture('prometheus-query-range.json');
    const handled = points.find((point) => point.name === 'grpc_client_handled_total');
    expect(handled).toMatchObject({ service: 'checkout', tsNs: 1726841320500000000n, value: 12 });
  });

  it('infers summary quantiles and names unnamed series after the file', async () => {
    const { points } = await parseFixture('prometheus-query-range.json');
    expect(points.find((point) => point.name === 'http_request_duration_seconds')).toMatchObject({ metricType: 'summary', service: 'gateway' });
    expect(points.find((point) => point.labels.app === 'cart')).toMatchObject({ name: 'prometheus-query-range', service: 'cart', value: 0.25 });
  });
});

describe('Prometheus query JSON (vector)', () => {
  it('reads one sample per series', async () => {
    const { points } = await parseFixture('prometheus-query-vector.json');
    expect(points.map((point) => [point.name, point.service, point.value, point.tsNs])).toEqual([
      ['up', 'node-exporter', 1, 1726841320123000000n],
      ['up', 'emailservice', 0, 1726841320123000000n],
    ]);
  });

  it('reports a broken document with its line', async () => {
    const { sink, collected } = collectingSink();
    await prometheusQuery.parse(memoryInput('q.json', '{"status":"success",\n"data":{"resultType":"matrix",\n"result":[}}'), sink);
    expect(collected.points).toEqual([]);
    expect(collected.issues).toHaveLength(1);
    expect(collected.issues[0]!.line).toBe(3);
  });
});

describe('serviceFromLabels', () => {
  it.each([
    [{ service: 'cart', pod: 'other-6f7b8c9d5-x2k4z' }, 'cart'],
    [{ job: 'kubelet', pod: 'payment-6f7b8c9d5-x2k4z' }, 'payment'],
    [{ job: 'node-exporter' }, 'node-exporter'],
    [{ job: 'monitoring/orders' }, 'orders'],
    [{ service_name: 'emailservice' }, 'emailservice'],
    [{ instance: '10.0.0.1:9100' }, null],
  ])('%o -> %s', (labels, expected) => expect(serviceFromLabels(labels)).toBe(expected));
});
