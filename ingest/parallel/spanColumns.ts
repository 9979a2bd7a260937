import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, SpanRecord } from '../records.js';

/*
 * Spans as the store appends them: one array per column, numbers in typed arrays that move between
 * threads without a copy, texts (attribute maps already JSON-encoded) in plain arrays. The parallel
 * OTLP workers hand spans over this way, so the thread that appends them has no objects to rebuild.
 */
export interface SpanColumns {
  count: number;
  traceId: string[];
  spanId: string[];
  parentSpanId: (string | null)[];
  service: string[];
  name: string[];
  kind: string[];
  startNs: BigInt64Array<ArrayBuffer>;
  endNs: BigInt64Array<ArrayBuffer>;
  statusCode: Int8Array<ArrayBuffer>;
  statusMessage: (string | null)[];
  httpStatus: (number | null)[];
  rpcSystem: (string | null)[];
  rpcStatus: (number | null)[];
  peerService: (string | null)[];
  attributes: string[];
  resource: string[];
  sourceLine: Int32Array<ArrayBuffer>;
  events: SpanEventColumns;
}

/** The spans' events, in span order; `span` is the index of the event's span in its SpanColumns. */
export interface SpanEventColumns {
  count: number;
  span: Int32Array<ArrayBuffer>;
  tsNs: BigInt64Array<ArrayBuffer>;
  name: string[];
  attributes: string[];
}

/** The records as columns. */
export function spanColumnsOf(records: readonly SpanRecord[]): SpanColumns {
  const count = records.length;
  const eventCount = records.reduce((sum, span) => sum + span.events.length, 0);
  const columns: SpanColumns = {
    count,
    traceId: new Array<string>(count),
    spanId: new Array<string>(count),
    parentSpanId: new Array<string | null>(count),
    service: new Array<string>(count),
    name: new Array<string>(count),
    kind: new Array<string>(count),
    startNs: new BigInt64Array(count),
    endNs: new BigInt64Array(count),
    statusCode: new Int8Array(count),
    statusMessage: new Array<string | null>(count),
    httpStatus: new Array<number | null>(count),
    rpcSystem: new Array<string | null>(count),
    rpcStatus: new Array<number | null>(count),
    peerService: new Array<string | null>(count),
    attributes: new Array<string>(count),
    resource: new Array<string>(count),
    sourceLine: new Int32Array(count),
    events: { count: eventCount, span: new Int32Array(eventCount), tsNs: new BigInt64Array(eventCount), name: new Array<string>(eventCount), attributes: new Array<string>(eventCount) },
  };
  const resourceJson = lastJson();
  let event = 0;
  for (let row = 0; row < count; row += 1) {
    const span = records[row]!;
    columns.traceId[row] = span.traceId;
    columns.spanId[row] = span.spanId;
    columns.parentSpanId[row] = span.parentSpanId;
    columns.service[row] = span.service;
    columns.name[row] = span.name;
    columns.kind[row] = span.kind;
    columns.startNs[row] = span.startNs;
    columns.endNs[row] = span.endNs;
    columns.statusCode[row] = span.statusCode;
    columns.statusMessage[row] = span.statusMessage;
    columns.httpStatus[row] = span.httpStatus;
    columns.rpcSystem[row] = span.rpcSystem;
    columns.rpcStatus[row] = span.rpcStatus;
    columns.peerService[row] = span.peerService;
    columns.attributes[row] = JSON.stringify(span.attributes);
    columns.resource[row] = resourceJson(span.resource);
    columns.sourceLine[row] = span.sourceLine;
    for (const spanEvent of span.events) {
      columns.events.span[event] = row;
      columns.events.tsNs[event] = spanEvent.tsNs;
      columns.events.name[event] = spanEvent.name;
      columns.events.attributes[event] = JSON.stringify(spanEvent.attributes);
      event += 1;
    }
  }
  return columns;
}

/** The columns held in typed arrays. */
type NumberColumns = Pick<SpanColumns, 'startNs' | 'endNs' | 'statusCode' | 'sourceLine'> & { events: Pick<SpanEventColumns, 'span' | 'tsNs'> };

/** The buffers of the columns' typed arrays: posted to another thread, they move instead of being copied. */
export function transferablesOf(columns: NumberColumns): ArrayBuffer[] {
  return [columns.startNs, columns.endNs, columns.statusCode, columns.sourceLine, columns.events.span, columns.events.tsNs].map((array) => array.buffer);
}

/**
 * JSON of an attribute map, remembering the last map encoded: the spans of one request share their
 * resource map, so it is encoded once per request rather than once per span.
 */
function lastJson(): (attributes: Attributes) => string {
  let last: Attributes | null = null;
  let json = '';
  return (attributes) => {
    if (attributes !== last) {
      last = attributes;
      json = JSON.stringify(attributes);
    }
    return json;
  };
}

/** A sink that appends span columns. The store offers one while it imports a file. */
export interface SpanColumnsSink {
  /** Appends the spans and their events after everything appended so far. */
  spanColumns(columns: SpanColumns): void;
}

/*
 * The span-columns sink travels beside the record Sink rather than inside it: the layers between the
 * store and the parser wrap the Sink in plain objects that only know its four methods.
 */
const spanColumnsSinkContext = new AsyncLocalStorage<SpanColumnsSink>();

/** Runs `parse` with `sink` offered to any parser that can produce span columns. */
export function withSpanColumnsSink<T>(sink: SpanColumnsSink, parse: () => Promise<T>): Promise<T> {
  return spanColumnsSinkContext.run(sink, parse);
}

/** The span-columns sink of the import running in this async context, if it offers one. */
export function currentSpanColumnsSink(): SpanColumnsSink | undefined {
  return spanColumnsSinkContext.getStore();
}

/** Runs `parse` with no span-columns sink offered: parsers then send records through the Sink only. */
export function withoutSpanColumnsSink<T>(parse: () => Promise<T>): Promise<T> {
  return spanColumnsSinkContext.exit(parse);
}
