import { logBatcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { normalizeService, normalizeSeverity } from '../normalize.js';
import { errorMessage, jsonValues } from '../read.js';
import type { Attributes, LogRecord, Sink } from '../records.js';
import { anyValueText, arrayOf, describeNanos, detectOtlp, isObject, isPlausibleNs, otlpAttributes, otlpId, otlpNanos } from './otlp-traces.js';

type Json = Record<string, unknown>;

function unwrap(value: unknown): Json | null {
  if (!isObject(value)) return null;
  if ('resourceLogs' in value) return value;
  return isObject(value.result) && 'resourceLogs' in value.result ? value.result : null;
}

function logRecord(record: Json, service: string | null, resource: Attributes, scopeName: string | null, sourceLine: number, issue: (line: number, message: string) => void): LogRecord | null {
  // timeUnixNano is optional in OTLP; the collector's observed time stands in when it is absent
  const tsNs = otlpNanos(record.timeUnixNano) ?? otlpNanos(record.observedTimeUnixNano);
  if (tsNs === null || !isPlausibleNs(tsNs)) {
    issue(sourceLine, `log record time ${describeNanos(record.timeUnixNano ?? record.observedTimeUnixNano)} is not a plausible timestamp; record skipped`);
    return null;
  }
  const attributes = otlpAttributes(record.attributes);
  if (typeof record.eventName === 'string' && record.eventName && attributes['event.name'] === undefined) attributes['event.name'] = record.eventName;
  if (scopeName && attributes['otel.scope.name'] === undefined) attributes['otel.scope.name'] = scopeName;
  for (const [key, value] of Object.entries(resource)) if (key !== 'service.name' && attributes[key] === undefined) attributes[key] = value;
  return {
    tsNs,
    service,
    severity: normalizeSeverity(record.severityText) ?? normalizeSeverity(record.severityNumber) ?? 'INFO',
    body: anyValueText(record.body) ?? '',
    traceId: otlpId(record.traceId, 16),
    spanId: otlpId(record.spanId, 8),
    attributes,
    sourceLine,
  };
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const issue = (line: number, message: string): void => sink.issue({ line, message });
  const batch = logBatcher(sink);
  let index = 0;
  for await (const { value, line, fromLines } of jsonValues(input, issue)) {
    const request = unwrap(value);
    if (!request) {
      issue(line, 'not an OTLP logs request (no "resourceLogs")');
      continue;
    }
    for (const resourceLogs of arrayOf(request.resourceLogs)) {
      if (!isObject(resourceLogs)) continue;
      const resource = otlpAttributes(isObject(resourceLogs.resource) ? resourceLogs.resource.attributes : undefined);
      const service = resource['service.name'] ? normalizeService(resource['service.name']) : null;
      for (const scopeLogs of arrayOf(resourceLogs.scopeLogs ?? resourceLogs.instrumentationLibraryLogs)) {
        if (!isObject(scopeLogs)) continue;
        const scope = isObject(scopeLogs.scope) ? scopeLogs.scope : isObject(scopeLogs.instrumentationLibrary) ? scopeLogs.instrumentationLibrary : null;
        const scopeName = scope && typeof scope.name === 'string' && scope.name ? scope.name : null;
        for (const record of arrayOf(scopeLogs.logRecords)) {
          index += 1;
          if (!isObject(record)) continue;
          const sourceLine = fromLines ? line : index;
          let log: LogRecord | null;
          try {
            log = logRecord(record, service, resource, scopeName, sourceLine, issue);
          } catch (error) {
            issue(sourceLine, `could not read log record: ${errorMessage(error)}`);
            continue;
          }
          if (!log) continue;
          await batch.add(log);
        }
      }
    }
  }
  await batch.flush();
}

export const otlpLogs: TelemetryFormat = {
  id: 'otlp-logs',
  label: 'OTLP JSON logs',
  signal: 'logs',
  detect: (head, path) => detectOtlp(head, 'resourceLogs', path),
  parse,
};
