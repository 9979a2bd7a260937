import type { TelemetryFormat } from '../format.js';
import { jsonLogs } from './json-logs.js';
import { otlpLogs } from './otlp-logs.js';
import { otlpMetrics } from './otlp-metrics.js';
import { otlpTraces } from './otlp-traces.js';
import { prometheusQuery } from './prometheus-query.js';
import { prometheusText } from './prometheus-text.js';
import { csvLogs } from './csv-logs.js';
import { csvMetrics } from './csv-metrics.js';
import { csvSpans } from './csv-spans.js';
import { envoyAccess } from './envoy-access.js';
import { jaeger } from './jaeger.js';
import { logfmt } from './logfmt.js';
import { plainLogs } from './plain-logs.js';
import { zipkin } from './zipkin.js';

/** Every format Causeway reads. Add a format: one import above, one entry below. */
export const FORMATS: readonly TelemetryFormat[] = [
  otlpTraces,
  otlpLogs,
  otlpMetrics,
  jsonLogs,
  prometheusQuery,
  prometheusText,
  jaeger,
  zipkin,
  csvSpans,
  csvLogs,
  csvMetrics,
  envoyAccess,
  logfmt,
  plainLogs,
];
