import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFile, planImport } from './index.js';
import { collectingSink } from './testdata/collect.js';

/*
 * Real exports from public repositories (../shared/corpus, see its SOURCES.md). Every expected
 * count is derived here from the file's own structure, independently of the importer.
 */

const corpus = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const path = (relative: string): string => corpus + relative;

type Json = Record<string, unknown>;

function texts(relative: string): string {
  const bytes = readFileSync(path(relative));
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.replace(/^\uFEFF/, '');
}

/** The JSON documents of a file: one per non-blank line when every line parses, else the whole file. */
function documents(relative: string): Json[] {
  const text = texts(relative);
  const lines = text.split('\n').filter((line) => line.trim());
  try {
    return lines.map((line) => JSON.parse(line) as Json);
  } catch {
    return [JSON.parse(text) as Json];
  }
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function countOtlp(relative: string, resourceKey: string, scopeKeys: string[], itemKey: string): number {
  let count = 0;
  for (const document of documents(relative)) {
    const request = (resourceKey in document ? document : (document.result as Json)) ?? {};
    for (const resource of list(request[resourceKey])) {
      for (const scopeKey of scopeKeys) for (const scope of list(resource[scopeKey])) count += list(scope[itemKey]).length;
    }
  }
  return count;
}

async function importFile(relative: string) {
  const [file] = await planImport([path(relative)]);
  const { sink, collected } = collectingSink();
  await parseFile(file!, sink);
  return { file: file!, ...collected };
}

describe.skipIf(!existsSync(corpus))('corpus: OTLP traces', () => {
  it.each([
    'otel-proto-examples/trace.json',
    'smartpcr-common/src/Common.Monitoring.Tests/TestData/Traces/otlp-traces.json',
    'jaeger/internal/storage/integration/fixtures/traces/example_trace.json',
    'jaeger/internal/storage/integration/fixtures/traces/log_tags_trace.json',
    'jaeger/internal/storage/v2/memory/fixtures/otel_traces_01.json',
  ])('%s', async (relative) => {
    const { file, spans, issues } = await importFile(relative);
    expect(file.format?.id).toBe('otlp-traces');
    expect(issues).toEqual([]);
    expect(spans.length).toBe(countOtlp(relative, 'resourceSpans', ['scopeSpans', 'instrumentationLibrarySpans'], 'spans'));
    expect(spans.every((span) => /^[0-9a-f]{32}$/.test(span.traceId) && /^[0-9a-f]{16}$/.test(span.spanId))).toBe(true);
  });

  it('Jaeger api_v3 GetTrace answer: unwraps "result" and reports spans that carry no times', async () => {
    const relative = 'jaeger/cmd/jaeger/internal/extension/jaegerquery/internal/apiv3/snapshots/GetTrace.json';
    let timed = 0;
    let untimed = 0;
    for (const document of documents(relative)) {
      for (const resource of list((document.result as Json).resourceSpans)) {
        for (const scope of list(resource.scopeSpans)) {
          for (const span of list(scope.spans)) {
            if (span.startTimeUnixNano) timed += 1;
            else untimed += 1;
          }
        }
      }
    }
    const { file, spans, issues } = await importFile(relative);
    expect(file.format?.id).toBe('otlp-traces');
    expect(spans).toHaveLength(timed);
    expect(issues).toHaveLength(untimed);
  });

  it('keeps the error status and the service of every span', async () => {
    const relative = 'jaeger/internal/storage/v2/memory/fixtures/otel_traces_01.json';
    const { spans } = await importFile(relative);
    let errors = 0;
    const services = new Set<string>();
    for (const document of documents(relative)) {
      for (const resource of list(document.resourceSpans)) {
        const name = list((resource.resource as Json).attributes).find((attribute) => attribute.key === 'service.name');
        for (const scope of list(resource.scopeSpans)) {
          for (const span of list(scope.spans)) {
            services.add(String((name?.value as Json).stringValue));
            if ((span.status as Json | undefined)?.code === 2) errors += 1;
          }
        }
      }
    }
    expect(spans.filter((span) => span.statusCode === 2)).toHaveLength(errors);
    expect(new Set(spans.map((span) => span.service))).toEqual(services);
  });
});

describe.skipIf(!existsSync(corpus))('corpus: OTLP logs and metrics', () => {
  it.each(['otel-proto-examples/logs.json', 'otel-proto-examples/events.json', 'lnav/test/logfile_otel_collector.jsonl'])('%s', async (relative) => {
    const { file, logs, issues } = await importFile(relative);
    expect(file.format?.id).toBe('otlp-logs');
    expect(issues).toEqual([]);
    expect(logs.length).toBe(countOtlp(relative, 'resourceLogs', ['scopeLogs', 'instrumentationLibraryLogs'], 'logRecords'));
  });

  it('otel-proto-examples/metrics.json: one point per sum/gauge point, count+sum+buckets per histogram', async () => {
    const relative = 'otel-proto-examples/metrics.json';
    let expected = 0;
    for (const document of documents(relative)) {
      for (const resource of list(document.resourceMetrics)) {
        for (const scope of list(resource.scopeMetrics)) {
          for (const metric of list(scope.metrics)) {
            for (const point of list((metric.sum as Json)?.dataPoints)) expected += point ? 1 : 0;
            for (const point of list((metric.gauge as Json)?.dataPoints)) expected += point ? 1 : 0;
            for (const point of list((metric.histogram as Json)?.dataPoints)) expected += 2 + list(point.bucketCounts).length;
            for (const point of list((metric.summary as Json)?.dataPoints)) expected += 2 + list(point.quantileValues).length;
            for (const point of list((metric.exponentialHistogram as Json)?.dataPoints)) {
              // count, sum, the zero bucket, +Inf, and one per positive and negative bucket
              expected += 4 + list((point.positive as Json)?.bucketCounts).length + list((point.negative as Json)?.bucketCounts).length;
            }
          }
        }
      }
    }
    const { file, points, issues } = await importFile(relative);
    expect(file.format?.id).toBe('otlp-metrics');
    expect(issues).toEqual([]);
    expect(points.length).toBe(expected);
  });
});

describe.skipIf(!existsSync(corpus))('corpus: JSON logs', () => {
  it.each([
    ['lnav/test/logfile_ecs_log.json', 'log.level'],
    ['lnav/test/logfile_journald.json', null],
    ['humanlog/test/benchmark/golang-zap/sample-zap.log.gz', 'level'],
    ['humanlog/test/benchmark/golang-zerolog-json/sample-zerolog-json.log.gz', 'level'],
  ])('%s', async (relative, levelKey) => {
    const records = texts(relative)
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Json);
    const { file, logs, issues } = await importFile(relative);
    expect(file.format?.id).toBe('json-logs');
    expect(issues).toEqual([]);
    expect(logs.length).toBe(records.length);
    if (levelKey) {
      const errors = records.filter((record) => String(record[levelKey]).toLowerCase() === 'error').length;
      expect(logs.filter((log) => log.severity === 'ERROR')).toHaveLength(errors);
    }
  });

  it('humanlog slog dump (.gz, 318k lines): every line, every ERROR', async () => {
    const relative = 'humanlog/test/benchmark/golang-slog-json/logdump.json.gz';
    const lines = texts(relative).split('\n').filter((line) => line.trim());
    const errors = lines.filter((line) => (JSON.parse(line) as Json).level === 'ERROR').length;
    const { file, logs, issues } = await importFile(relative);
    expect(file.format?.id).toBe('json-logs');
    expect(issues).toEqual([]);
    expect(logs.length).toBe(lines.length);
    expect(logs.filter((log) => log.severity === 'ERROR')).toHaveLength(errors);
    const first = JSON.parse(lines[0]!) as Json;
    expect(logs[0]!.tsNs).toBe(BigInt(Date.parse(String(first.time))) * 1_000_000n + BigInt(/\.\d{3}(\d{3})/.exec(String(first.time))![1]!) * 1000n);
  });
});

/** Sample lines of a text exposition: not comments, not blank, value not NaN, not an OpenMetrics _created. */
function countSamples(relative: string, openMetrics: boolean): number {
  return texts(relative)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .filter((line) => !/\}?\s+NaN(\s|$)/.test(line.split(' # ')[0]!))
    .filter((line) => !(openMetrics && /^\w+_created[{ ]/.test(line))).length;
}

describe.skipIf(!existsSync(corpus))('corpus: Prometheus', () => {
  it.each([
    ['prometheus/model/textparse/testdata/alltypes.237mfs.prom.txt', false],
    ['prometheus/cmd/promtool/testdata/metrics-test.prom', false],
    ['prometheus/model/textparse/testdata/1histogram.om.txt', true],
    ['prometheus/model/textparse/testdata/alltypes.5mfs.om.txt', true],
  ] as const)('%s', async (relative, openMetrics) => {
    const { file, points, issues } = await importFile(relative);
    expect(file.format?.id).toBe('prometheus-text');
    expect(issues).toEqual([]);
    expect(points.length).toBe(countSamples(relative, openMetrics));
  });

  it.each([
    'jaeger/internal/storage/metricstore/prometheus/metricstore/testdata/service_datapoint_response.json',
    'jaeger/internal/storage/metricstore/prometheus/metricstore/testdata/service_span_name_datapoint_response.json',
  ])('%s', async (relative) => {
    const [answer] = documents(relative) as Array<{ data: { result: Array<{ metric: Json; values: unknown[] }> } }>;
    const { file, points, issues } = await importFile(relative);
    expect(file.format?.id).toBe('prometheus-query');
    expect(issues).toEqual([]);
    expect(points.length).toBe(answer!.data.result.reduce((sum, series) => sum + series.values.length, 0));
    expect(points.map((point) => point.service)).toEqual(answer!.data.result.map((series) => series.metric.service_name));
  });
});
