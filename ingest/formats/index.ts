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
import { k8sEvents } from './k8s-events.js';
import { logfmt } from './logfmt.js';
import { mysqlSlow } from './mysql-slow.js';
import { plainLogs } from './plain-logs.js';
import { redisLog } from './redis-log.js';
import { zipkin } from './zipkin.js';

/** Every format Causeway reads. Add a format: one import above, one entry below. */
export const FORMATS: readonly TelemetryFormat[] = [
  otlpTraces,
  otlpLogs,
  otlpMetrics,
  jsonLogs,
  k8sEvents,
  prometheusQuery,
  prometheusText,
  jaeger,
  zipkin,
  csvSpans,
  csvLogs,
  csvMetrics,
  envoyAccess,
  mysqlSlow,
  redisLog,
  logfmt,
  plainLogs,
];
