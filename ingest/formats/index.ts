import type { TelemetryFormat } from '../format.js';
import { jsonLogs } from './json-logs.js';
import { otlpLogs } from './otlp-logs.js';
import { otlpMetrics } from './otlp-metrics.js';
import { otlpTraces } from './otlp-traces.js';
import { prometheusQuery } from './prometheus-query.js';
import { prometheusText } from './prometheus-text.js';

/** Every format Causeway reads. Add a format: one import above, one entry below. */
export const FORMATS: readonly TelemetryFormat[] = [
  otlpTraces,
  otlpLogs,
  otlpMetrics,
  jsonLogs,
  prometheusQuery,
  prometheusText,
];
