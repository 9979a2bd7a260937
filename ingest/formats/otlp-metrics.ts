import { metricPointBatcher, type Batcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { normalizeService, podToService } from '../normalize.js';
import { errorMessage, jsonValues } from '../read.js';
import type { Attributes, MetricPointRecord, MetricType, Sink } from '../records.js';
import { arrayOf, describeNanos, detectOtlp, isObject, isPlausibleNs, otlpAttributes, otlpNanos } from './otlp-traces.js';
import { sampleValue, serviceFromLabels } from './prometheus-query.js';

type Json = Record<string, unknown>;

function unwrap(value: unknown): Json | null {
  if (!isObject(value)) return null;
  if ('resourceMetrics' in value) return value;
  return isObject(value.result) && 'resourceMetrics' in value.result ? value.result : null;
}

/**
 * The workload a resource measures. When the collector scrapes Prometheus targets, service.name is
 * the scrape job ("kubelet") while k8s.pod.name names the pod measured, so the pod wins.
 */
function resourceService(resource: Attributes): string | null {
  const deployment = resource['k8s.deployment.name'];
  if (deployment) return normalizeService(deployment);
  const pod = resource['k8s.pod.name'];
  if (pod) return podToService(pod);
  const service = resource['service.name'];
  if (service && !service.startsWith('unknown_service')) return normalizeService(service);
  return null;
}

/** Prometheus' spelling of a bucket bound, so `le` labels match what a scrape would show. */
function boundLabel(bound: number): string {
  if (bound === Infinity) return '+Inf';
  if (bound === -Infinity) return '-Inf';
  return String(bound);
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value !== '') return sampleValue(value);
  return null;
}

class MetricReader {
  private readonly batch: Batcher<MetricPointRecord>;

  constructor(
    sink: Sink,
    private readonly issue: (line: number, message: string) => void,
  ) {
    this.batch = metricPointBatcher(sink);
  }

  async metric(metric: Json, resource: Attributes, resourceServiceName: string | null, sourceLine: number): Promise<void> {
    const name = typeof metric.name === 'string' ? metric.name : '';
    if (!name) {
      this.issue(sourceLine, 'metric without a name skipped');
      return;
    }
    for (const kind of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const) {
      const body = metric[kind];
      if (!isObject(body)) continue;
      for (const point of arrayOf(body.dataPoints)) {
        if (!isObject(point)) continue;
        try {
          this.point(kind, body, point, name, resource, resourceServiceName, sourceLine);
        } catch (error) {
          this.issue(sourceLine, `metric ${name}: could not read data point: ${errorMessage(error)}`);
        }
        await this.batch.flushWhenFull();
      }
    }
  }

  private point(kind: 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary', body: Json, point: Json, name: string, resource: Attributes, resourceServiceName: string | null, sourceLine: number): void {
    const tsNs = otlpNanos(point.timeUnixNano);
    if (tsNs === null || !isPlausibleNs(tsNs)) {
      this.issue(sourceLine, `metric ${name}: data point time ${describeNanos(point.timeUnixNano)} is not a plausible timestamp; point skipped`);
      return;
    }
    const labels = otlpAttributes(point.attributes, { ...resource });
    const service = resourceServiceName ?? serviceFromLabels(labels);
    const emit = (pointName: string, value: number | null, metricType: MetricType, extra?: Attributes): void => {
      if (value === null) return;
      this.batch.push({ tsNs, name: pointName, service, labels: extra ? { ...labels, ...extra } : labels, value, metricType, sourceLine });
    };
    switch (kind) {
      case 'gauge':
        emit(name, numberOf(point.asDouble ?? point.asInt), 'gauge');
        return;
      case 'sum':
        // a sum that may go down (isMonotonic false) is an up-down counter: a gauge to Prometheus
        emit(name, numberOf(point.asDouble ?? point.asInt), body.isMonotonic === true ? 'counter' : 'gauge');
        return;
      case 'summary':
        emit(`${name}_count`, numberOf(point.count), 'summary');
        emit(`${name}_sum`, numberOf(point.sum), 'summary');
        for (const quantile of arrayOf(point.quantileValues)) {
          if (!isObject(quantile)) continue;
          emit(name, numberOf(quantile.value), 'summary', { quantile: String(numberOf(quantile.quantile) ?? 0) });
        }
        return;
      case 'histogram': {
        emit(`${name}_count`, numberOf(point.count), 'histogram');
        emit(`${name}_sum`, numberOf(point.sum), 'histogram');
        const bounds = arrayOf(point.explicitBounds).map(numberOf);
        const counts = arrayOf(point.bucketCounts).map(numberOf);
        let cumulative = 0;
        for (let index = 0; index < counts.length; index += 1) {
          cumulative += counts[index] ?? 0;
          const bound = index < bounds.length ? (bounds[index] ?? Infinity) : Infinity;
          emit(`${name}_bucket`, cumulative, 'histogram', { le: boundLabel(bound) });
        }
        return;
      }
      case 'exponentialHistogram':
        emit(`${name}_count`, numberOf(point.count), 'histogram');
        emit(`${name}_sum`, numberOf(point.sum), 'histogram');
        for (const [le, count] of exponentialBuckets(point)) emit(`${name}_bucket`, count, 'histogram', { le: boundLabel(le) });
        return;
    }
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}

/**
 * Cumulative (upper bound, count) pairs of an exponential histogram. Bucket i covers
 * (base^i, base^(i+1)] with base = 2^(2^-scale); negative buckets mirror that below zero.
 */
export function exponentialBuckets(point: Json): Array<[number, number]> {
  const scale = numberOf(point.scale) ?? 0;
  const base = 2 ** (2 ** -scale);
  const out: Array<[number, number]> = [];
  let cumulative = 0;
  const negative = isObject(point.negative) ? point.negative : null;
  if (negative) {
    const offset = numberOf(negative.offset) ?? 0;
    const counts = arrayOf(negative.bucketCounts).map((count) => numberOf(count) ?? 0);
    for (let index = counts.length - 1; index >= 0; index -= 1) {
      cumulative += counts[index]!;
      out.push([-(base ** (offset + index)), cumulative]);
    }
  }
  cumulative += numberOf(point.zeroCount) ?? 0;
  out.push([0, cumulative]);
  const positive = isObject(point.positive) ? point.positive : null;
  if (positive) {
    const offset = numberOf(positive.offset) ?? 0;
    const counts = arrayOf(positive.bucketCounts).map((count) => numberOf(count) ?? 0);
    for (let index = 0; index < counts.length; index += 1) {
      cumulative += counts[index]!;
      out.push([base ** (offset + index + 1), cumulative]);
    }
  }
  out.push([Infinity, Math.max(cumulative, numberOf(point.count) ?? 0)]);
  return out;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const issue = (line: number, message: string): void => sink.issue({ line, message });
  const reader = new MetricReader(sink, issue);
  let index = 0;
  for await (const { value, line, fromLines } of jsonValues(input, issue)) {
    const request = unwrap(value);
    if (!request) {
      issue(line, 'not an OTLP metrics request (no "resourceMetrics")');
      continue;
    }
    for (const resourceMetrics of arrayOf(request.resourceMetrics)) {
      if (!isObject(resourceMetrics)) continue;
      const resource = otlpAttributes(isObject(resourceMetrics.resource) ? resourceMetrics.resource.attributes : undefined);
      const service = resourceService(resource);
      for (const scopeMetrics of arrayOf(resourceMetrics.scopeMetrics ?? resourceMetrics.instrumentationLibraryMetrics)) {
        if (!isObject(scopeMetrics)) continue;
        for (const metric of arrayOf(scopeMetrics.metrics)) {
          index += 1;
          if (isObject(metric)) await reader.metric(metric, resource, service, fromLines ? line : index);
        }
      }
    }
  }
  await reader.flush();
}

export const otlpMetrics: TelemetryFormat = {
  id: 'otlp-metrics',
  label: 'OTLP JSON metrics',
  signal: 'metrics',
  detect: (head, path) => detectOtlp(head, 'resourceMetrics', path),
  parse,
};
