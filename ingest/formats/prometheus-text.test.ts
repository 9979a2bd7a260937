import { describe, expect, it } from 'vitest';
import { fileSource, formatInput } from '../read.js';
import { collectingSink, fixturePath } from '../testdata/collect.js';
import { parseSampleLine, prometheusText } from './prometheus-text.js';

const MODIFIED_NS = 1726841400000000000n;

async function parseFixture(name: string) {
  const { sink, collected } = collectingSink();
  await prometheusText.parse(formatInput(fileSource(fixturePath(name), MODIFIED_NS)), sink);
  return collected;
}

describe('Prometheus text exposition', () => {
  it('reads samples with declared types, labels and timestamps', async () => {
    const { points } = await parseFixture('metrics.prom');
    expect(points.find((point) => point.name === 'gobreaker_state')).toMatchObject({ value: 2, metricType: 'gauge', service: 'checkout', tsNs: 1726841320885000000n, sourceLine: 3 });
    expect(points.filter((point) => point.name.startsWith('rpc_duration_seconds')).map((point) => [point.name, point.labels.le ?? null, point.value, point.metricType])).toEqual([
      ['rpc_duration_seconds_bucket', '0.1', 3, 'histogram'],
      ['rpc_duration_seconds_bucket', '+Inf', 5, 'histogram'],
      ['rpc_duration_seconds_sum', null, 1.25, 'histogram'],
      ['rpc_duration_seconds_count', null, 5, 'histogram'],
    ]);
    expect(points.filter((point) => point.name.startsWith('go_gc')).every((point) => point.metricType === 'summary')).toBe(true);
  });

  it('stamps samples without a timestamp with the file modification time', async () => {
    const { points } = await parseFixture('metrics.prom');
    const requests = points.find((point) => point.name === 'http_requests_total');
    expect(requests).toMatchObject({ tsNs: MODIFIED_NS, metricType: 'counter', labels: { path: '/a "quoted" b', code: '504' } });
  });

  it('reports a malformed line and skips NaN samples', async () => {
    const { points, issues } = await parseFixture('metrics.prom');
    expect(issues).toEqual([{ line: 15, message: expect.stringMatching(/weird.*not a number/) }]);
    expect(points.some((point) => point.name === 'stale_value')).toBe(false);
    expect(points).toHaveLength(9);
  });
});

describe('OpenMetrics', () => {
  it('reads second-resolution timestamps, ignores exemplars and _created samples', async () => {
    const { points, issues } = await parseFixture('metrics.om.txt');
    expect(issues).toEqual([]);
    expect(points.map((point) => [point.name, point.value, point.tsNs, point.metricType])).toEqual([
      ['timeouts_total', 17, 1726841320500000000n, 'counter'],
      ['pool_wait_seconds', 0.75, 1726841320500000000n, 'gauge'],
    ]);
  });
});

describe('parseSampleLine', () => {
  it('reads the quoted metric name form', () => {
    expect(parseSampleLine('{"http.server.duration", le="1"} 4')).toEqual({ name: 'http.server.duration', labels: { le: '1' }, value: '4', timestamp: null });
  });

  it('explains what is wrong', () => {
    expect(parseSampleLine('x{a="1" 2')).toMatch(/value|unterminated|quoted/);
  });
});
