/**
 * Writes spans as the OpenTelemetry collector's file exporter does: one ExportTraceServiceRequest
 * per line in OTLP/JSON (ids as lowercase hex, times as decimal strings of nanoseconds, kinds and
 * status codes as numbers, int64 values as strings). Each line is one batch that a service's SDK
 * exported, the way the batch span processor sends them.
 */
import type { AttributeValue, DemoAttributes, DemoResource, DemoSpan } from '../model.js';

export interface TraceExportBatch {
  resource: DemoResource;
  spans: DemoSpan[];
}

export interface BatchSpanProcessorSettings {
  scheduleDelayMs: number;
  maxExportBatchSize: number;
}

/** The OpenTelemetry SDK defaults. */
export const defaultBatchSpanProcessor: BatchSpanProcessorSettings = { scheduleDelayMs: 5_000, maxExportBatchSize: 512 };

const spanKind = { internal: 1, server: 2, client: 3 } as const;

/**
 * Groups each service's spans into the batches its SDK would export: every `scheduleDelayMs` (from
 * the service's own phase) it sends the spans that ended since, at most `maxExportBatchSize` at a
 * time. Batches come out in export order, as the collector would receive them.
 */
export function batchLikeSdk(spans: readonly DemoSpan[], resources: readonly DemoResource[], phaseMsByService: ReadonlyMap<string, number>, settings: BatchSpanProcessorSettings = defaultBatchSpanProcessor): TraceExportBatch[] {
  const timed: Array<TraceExportBatch & { exportAtMs: number; order: number }> = [];
  resources.forEach((resource, order) => {
    const phaseMs = phaseMsByService.get(resource.service) ?? 0;
    const byExport = new Map<number, DemoSpan[]>();
    for (const span of spans) {
      if (span.service !== resource.service) continue;
      const tick = Math.ceil((span.endMs - phaseMs) / settings.scheduleDelayMs);
      const list = byExport.get(tick) ?? [];
      list.push(span);
      byExport.set(tick, list);
    }
    for (const [tick, tickSpans] of byExport) {
      for (let i = 0; i < tickSpans.length; i += settings.maxExportBatchSize) {
        timed.push({ resource, spans: tickSpans.slice(i, i + settings.maxExportBatchSize), exportAtMs: phaseMs + tick * settings.scheduleDelayMs, order });
      }
    }
  });
  timed.sort((a, b) => a.exportAtMs - b.exportAtMs || a.order - b.order);
  return timed.map(({ resource, spans: batchSpans }) => ({ resource, spans: batchSpans }));
}

/** One JSON line per batch; `startEpochMs` is the instant that span times are offsets from. */
export function otlpTraceLines(batches: readonly TraceExportBatch[], startEpochMs: number): string {
  return batches.map((batch) => JSON.stringify(exportRequest(batch, startEpochMs)) + '\n').join('');
}

function exportRequest(batch: TraceExportBatch, startEpochMs: number): unknown {
  const scopes = new Map<string, { scope: { name: string; version: string }; spans: unknown[] }>();
  for (const span of batch.spans) {
    const entry = scopes.get(span.scope.name) ?? { scope: { name: span.scope.name, version: span.scope.version }, spans: [] };
    entry.spans.push(otlpSpan(span, startEpochMs));
    scopes.set(span.scope.name, entry);
  }
  return {
    resourceSpans: [{
      resource: { attributes: keyValues(batch.resource.attributes) },
      scopeSpans: [...scopes.values()],
    }],
  };
}

function otlpSpan(span: DemoSpan, startEpochMs: number): unknown {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId === null ? {} : { parentSpanId: span.parentSpanId }),
    name: span.name,
    kind: spanKind[span.kind],
    startTimeUnixNano: unixNanos(startEpochMs, span.startMs),
    endTimeUnixNano: unixNanos(startEpochMs, span.endMs),
    attributes: keyValues(span.attributes),
    status: span.status.code === 0 ? {} : { code: span.status.code, message: span.status.message },
  };
}

export function unixNanos(startEpochMs: number, offsetMs: number): string {
  if (!Number.isInteger(startEpochMs)) throw new Error(`start must be whole milliseconds, got ${startEpochMs}`);
  return (BigInt(startEpochMs) * 1_000_000n + BigInt(Math.round(offsetMs * 1e6))).toString();
}

function keyValues(attributes: DemoAttributes): unknown[] {
  return attributes.map(([key, value]) => ({ key, value: anyValue(value) }));
}

function anyValue(value: AttributeValue): unknown {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
}
