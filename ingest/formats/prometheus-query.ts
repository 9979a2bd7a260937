import { basename } from 'node:path';
import { metricPointBatcher, type Batcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { epochToNs, normalizeService, podToService } from '../normalize.js';
import { jsonErrorLine, errorMessage } from '../read.js';
import type { Attributes, MetricPointRecord, MetricType, Sink } from '../records.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Labels that name the workload directly, most specific first. */
const SERVICE_LABELS = ['service', 'service_name', 'service.name', 'app', 'app_kubernetes_io_name', 'app.kubernetes.io/name', 'k8s_app'];
const POD_LABELS = ['pod', 'pod_name', 'kubernetes_pod_name', 'k8s.pod.name', 'k8s_pod_name'];

/** gRPC metrics put the protobuf service ("shop.v1.CartService") in a `service` label: not a workload. */
const PROTOBUF_SERVICE = /^[a-z_][\w]*(\.[\w]+)*\.[A-Z]\w*$/;

/**
 * The service a series belongs to. A pod label beats `job`: scrape jobs such as "kubelet" or
 * "kubernetes-pods" describe the scraper, the pod names the workload measured.
 */
export function serviceFromLabels(labels: Attributes): string | null {
  for (const key of SERVICE_LABELS) {
    const value = labels[key];
    if (value && !PROTOBUF_SERVICE.test(value)) return normalizeService(value);
  }
  for (const key of POD_LABELS) {
    const value = labels[key];
    if (value) return podToService(value);
  }
  const job = labels.job;
  // prometheus-operator jobs read "<namespace>/<name>"
  if (job) return normalizeService(job.slice(job.lastIndexOf('/') + 1));
  return null;
}

/** The metric type when the source does not say: from Prometheus naming conventions. */
export function inferMetricType(name: string, labels: Attributes): MetricType {
  if (name.endsWith('_bucket') && 'le' in labels) return 'histogram';
  if ('quantile' in labels) return 'summary';
  if (/_(total|count|sum)$/.test(name)) return 'counter';
  return 'gauge';
}

/** A sample value: Prometheus writes them as strings, including "NaN" and "+Inf". */
export function sampleValue(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  // NaN is Prometheus' staleness marker and +-Inf has no place in averages: neither is a sample
  return Number.isFinite(number) ? number : null;
}

interface Series {
  name: string;
  labels: Attributes;
  service: string | null;
  metricType: MetricType;
}

function seriesOf(metric: unknown, fallbackName: string): Series {
  const labels: Attributes = {};
  let name = fallbackName;
  if (isObject(metric)) {
    for (const [key, value] of Object.entries(metric)) {
      if (key === '__name__') name = String(value);
      else if (value !== null && value !== undefined) labels[key] = String(value);
    }
  }
  return { name, labels, service: serviceFromLabels(labels), metricType: inferMetricType(name, labels) };
}

class PointWriter {
  private readonly batch: Batcher<MetricPointRecord>;

  constructor(private readonly sink: Sink) {
    this.batch = metricPointBatcher(sink);
  }

  async add(series: Series, sample: unknown, sourceLine: number): Promise<void> {
    if (!Array.isArray(sample) || sample.length < 2) {
      this.sink.issue({ line: sourceLine, message: `series ${series.name}: sample ${JSON.stringify(sample)} is not [time, value]` });
      return;
    }
    const tsNs = epochToNs(sample[0] as number | string);
    if (tsNs === null) {
      this.sink.issue({ line: sourceLine, message: `series ${series.name}: time ${JSON.stringify(sample[0])} is not a plausible timestamp; sample skipped` });
      return;
    }
    const value = isObject(sample[1]) ? null : sampleValue(sample[1]);
    if (value !== null) {
      this.batch.push({ tsNs, name: series.name, service: series.service, labels: series.labels, value, metricType: series.metricType, sourceLine });
    } else if (isObject(sample[1])) {
      this.nativeHistogram(series, tsNs, sample[1], sourceLine);
    }
    await this.batch.flushWhenFull();
  }

  /** Native histograms ("histograms": [[t, {count, sum, buckets}]]) keep their count and sum. */
  private nativeHistogram(series: Series, tsNs: bigint, histogram: Json, sourceLine: number): void {
    for (const [suffix, raw] of [['_count', histogram.count], ['_sum', histogram.sum]] as const) {
      const value = sampleValue(raw);
      if (value !== null) this.batch.push({ tsNs, name: series.name + suffix, service: series.service, labels: series.labels, value, metricType: 'histogram', sourceLine });
    }
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const text = await input.text();
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch (error) {
    sink.issue({ line: jsonErrorLine(text, error) ?? 1, message: `malformed JSON: ${errorMessage(error)}` });
    return;
  }
  const data = isObject(response) && isObject(response.data) ? response.data : null;
  if (!data) {
    sink.issue({ line: 1, message: 'not a Prometheus API response (no "data" object)' });
    return;
  }
  if (isObject(response) && response.status === 'error') {
    sink.issue({ line: 1, message: `the query failed: ${String(response.error ?? response.errorType ?? 'error')}` });
  }
  // a query such as rate(x[5m]) drops __name__; the file's name is the best name left
  const fallbackName = basename(input.path).replace(/\.(json|gz)$/gi, '') || 'query';
  const writer = new PointWriter(sink);
  const result = data.result;
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    await writer.add(seriesOf(undefined, fallbackName), result, 1);
  } else if (Array.isArray(result)) {
    for (let index = 0; index < result.length; index += 1) {
      const entry = result[index] as unknown;
      const sourceLine = index + 1;
      if (!isObject(entry)) {
        sink.issue({ line: sourceLine, message: 'series entry is not an object' });
        continue;
      }
      const series = seriesOf(entry.metric, fallbackName);
      if (Array.isArray(entry.values)) for (const sample of entry.values) await writer.add(series, sample, sourceLine);
      if (Array.isArray(entry.histograms)) for (const sample of entry.histograms) await writer.add(series, sample, sourceLine);
      if (Array.isArray(entry.value)) await writer.add(series, entry.value, sourceLine);
      if (entry.histogram !== undefined) await writer.add(series, entry.histogram, sourceLine);
    }
  } else {
    sink.issue({ line: 1, message: `unsupported resultType ${JSON.stringify(data.resultType)}` });
  }
  await writer.flush();
}

function detect(head: string, path: string): number {
  const start = head.trimStart();
  if (!start.startsWith('{')) return 0;
  const opening = start.slice(0, 4096);
  const resultType = /"resultType"\s*:\s*"(matrix|vector|scalar)"/.exec(opening);
  if (!resultType) return 0;
  const named = /prom|query/i.test(basename(path)) ? 0.01 : 0;
  return (/"status"\s*:\s*"(success|error)"/.test(opening) ? 0.95 : 0.85) + named;
}

export const prometheusQuery: TelemetryFormat = {
  id: 'prometheus-query',
  label: 'Prometheus query / query_range JSON',
  signal: 'metrics',
  detect,
  parse,
};
