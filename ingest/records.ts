/**
 * The normalized records every format parser emits. Timestamps are UTC nanoseconds (bigint) so that
 * nothing is lost between formats; service names are already normalized (see normalize.ts).
 * Attributes are flat string maps: nested values are JSON-encoded by the parser.
 */

export type Attributes = Record<string, string>;

export type SpanKind = 'server' | 'client' | 'producer' | 'consumer' | 'internal' | 'unspecified';

/** OTLP's status: 0 unset, 1 ok, 2 error. Formats that only say "error" map to 2. */
export type SpanStatusCode = 0 | 1 | 2;

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: SpanKind;
  startNs: bigint;
  endNs: bigint;
  statusCode: SpanStatusCode;
  statusMessage: string | null;
  httpStatus: number | null;
  rpcSystem: string | null;
  /** gRPC status code (0..16) when the span carries one. */
  rpcStatus: number | null;
  peerService: string | null;
  attributes: Attributes;
  resource: Attributes;
  events: SpanEventRecord[];
  /** 1-based line (JSON lines, CSV) or record index in the file, for "open the source record". */
  sourceLine: number;
}

export interface SpanEventRecord {
  tsNs: bigint;
  name: string;
  attributes: Attributes;
}

export type Severity = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

export interface LogRecord {
  tsNs: bigint;
  service: string | null;
  severity: Severity;
  body: string;
  traceId: string | null;
  spanId: string | null;
  attributes: Attributes;
  sourceLine: number;
}

export type MetricType = 'gauge' | 'counter' | 'histogram' | 'summary';

export interface MetricPointRecord {
  tsNs: bigint;
  name: string;
  service: string | null;
  labels: Attributes;
  value: number;
  metricType: MetricType;
  sourceLine: number;
}

/** A problem with one part of the input: reported with its line, never fatal to the rest of the file. */
export interface ParseIssue {
  line: number;
  message: string;
}

/** Where parsers send what they read. main/store implements it with DuckDB appenders. */
export interface Sink {
  spans(batch: SpanRecord[]): void | Promise<void>;
  logs(batch: LogRecord[]): void | Promise<void>;
  metricPoints(batch: MetricPointRecord[]): void | Promise<void>;
  issue(issue: ParseIssue): void;
}
