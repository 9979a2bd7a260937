/**
 * The demo incident in memory, before it is written out in real export formats. Times are
 * milliseconds after the incident's start (floats, so sub-millisecond precision survives); the
 * writers turn them into the absolute units each format uses.
 */

/** Integers become OTLP intValue, other numbers doubleValue, string lists arrayValue. */
export type AttributeValue = string | number | boolean | readonly string[];

export type DemoAttributes = ReadonlyArray<readonly [string, AttributeValue]>;

export interface DemoResource {
  service: string;
  attributes: DemoAttributes;
}

export interface InstrumentationScope {
  name: string;
  version: string;
}

export type DemoSpanStatus = { code: 0 } | { code: 2; message: string };

export interface DemoSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  scope: InstrumentationScope;
  name: string;
  kind: 'server' | 'client';
  startMs: number;
  endMs: number;
  attributes: DemoAttributes;
  status: DemoSpanStatus;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFieldValue = string | number | boolean;

export interface DemoLogLine {
  atMs: number;
  service: string;
  level: LogLevel;
  caller: string;
  msg: string;
  traceId: string | null;
  spanId: string | null;
  fields: ReadonlyArray<readonly [string, LogFieldValue]>;
}

export interface GcPause {
  startMs: number;
  endMs: number;
  cycle: number;
  heapLiveMb: number;
}

/** One series of a Prometheus query_range matrix: [unix seconds, value] pairs. */
export interface MatrixSeries {
  metric: Readonly<Record<string, string>>;
  values: ReadonlyArray<readonly [number, number]>;
}

/** One query_range answer, written as one file. `query` documents what produced it. */
export interface QueryRangeResult {
  fileName: string;
  query: string;
  series: MatrixSeries[];
}
