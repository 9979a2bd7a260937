import { AsyncLocalStorage } from 'node:async_hooks';
import type { ParseIssue } from '../records.js';

/**
 * Spans column by column, as the parallel OTLP workers build them and the store appends them: one
 * entry per span in every column, nanosecond columns as int64 arrays (no bigint per value), and
 * attribute maps already JSON-encoded. Plain arrays and typed arrays survive `postMessage`.
 */
export interface SpanColumns {
  count: number;
  traceId: string[];
  spanId: string[];
  parentSpanId: (string | null)[];
  service: string[];
  name: string[];
  kind: string[];
  startNs: BigInt64Array;
  endNs: BigInt64Array;
  durationNs: BigInt64Array;
  statusCode: Int8Array;
  statusMessage: (string | null)[];
  httpStatus: (number | null)[];
  rpcSystem: (string | null)[];
  rpcStatus: (number | null)[];
  peerService: (string | null)[];
  attributes: string[];
  resource: string[];
  sourceLine: Int32Array;
}

export interface SpanEventColumns {
  count: number;
  traceId: string[];
  spanId: string[];
  tsNs: BigInt64Array;
  name: string[];
  attributes: string[];
}

/** What one chunk of lines became: its spans, their events, and the problems met, in line order. */
export interface SpanColumnBatch {
  spans: SpanColumns;
  events: SpanEventColumns;
  issues: ParseIssue[];
}

/** A sink that takes spans column-wise. The store offers one while it imports a file. */
export interface SpanColumnsSink {
  spanColumns(spans: SpanColumns, events: SpanEventColumns): void | Promise<void>;
}

/*
 * The column sink travels beside the record Sink rather than inside it: the layers between the
 * store and the parser wrap the Sink in plain objects that only know its four methods.
 */
const columnsSinkContext = new AsyncLocalStorage<SpanColumnsSink>();

/** Runs `parse` with `sink` offered to any parser that can produce span columns. */
export function withSpanColumnsSink<T>(sink: SpanColumnsSink, parse: () => Promise<T>): Promise<T> {
  return columnsSinkContext.run(sink, parse);
}

/** The column sink of the import running in this async context, if it offers one. */
export function currentSpanColumnsSink(): SpanColumnsSink | undefined {
  return columnsSinkContext.getStore();
}

/** Runs `parse` with no column sink offered: parsers then send records through the Sink only. */
export function withoutSpanColumnsSink<T>(parse: () => Promise<T>): Promise<T> {
  return columnsSinkContext.exit(parse);
}
