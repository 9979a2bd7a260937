import { NOT_A_TRACE_REQUEST, TraceSpanConverter, unwrapTraceRequest } from '../formats/otlp-traces.js';
import { errorMessage } from '../read.js';
import type { ParseIssue, SpanRecord } from '../records.js';
import type { SpanColumnBatch, SpanColumns, SpanEventColumns } from './spanColumns.js';

/**
 * Converts a chunk of OTLP JSON lines (one trace request per line) into span columns, with the same
 * records and the same problems, in the same order, as the sequential OTLP traces parser.
 */
export function convertTraceLines(texts: readonly string[], lineNumbers: Int32Array): SpanColumnBatch {
  const issues: ParseIssue[] = [];
  const issue = (line: number, message: string): void => {
    issues.push({ line, message });
  };
  const converter = new TraceSpanConverter(issue);
  const records: SpanRecord[] = [];
  for (let index = 0; index < texts.length; index += 1) {
    const trimmed = texts[index]!.trim();
    if (trimmed === '') continue;
    const line = lineNumbers[index]!;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      issue(line, `malformed JSON: ${errorMessage(error)}`);
      continue;
    }
    const request = unwrapTraceRequest(value);
    if (!request) {
      issue(line, NOT_A_TRACE_REQUEST);
      continue;
    }
    for (const record of converter.spans(request, line, true)) records.push(record);
  }
  return { spans: spanColumns(records), events: eventColumns(records), issues };
}

function spanColumns(records: readonly SpanRecord[]): SpanColumns {
  const count = records.length;
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
    durationNs: new BigInt64Array(count),
    statusCode: new Int8Array(count),
    statusMessage: new Array<string | null>(count),
    httpStatus: new Array<number | null>(count),
    rpcSystem: new Array<string | null>(count),
    rpcStatus: new Array<number | null>(count),
    peerService: new Array<string | null>(count),
    attributes: new Array<string>(count),
    resource: new Array<string>(count),
    sourceLine: new Int32Array(count),
  };
  // spans of one request share their resource map: encode it once
  let lastResource: SpanRecord['resource'] | null = null;
  let lastResourceJson = '';
  for (let index = 0; index < count; index += 1) {
    const span = records[index]!;
    columns.traceId[index] = span.traceId;
    columns.spanId[index] = span.spanId;
    columns.parentSpanId[index] = span.parentSpanId;
    columns.service[index] = span.service;
    columns.name[index] = span.name;
    columns.kind[index] = span.kind;
    columns.startNs[index] = span.startNs;
    columns.endNs[index] = span.endNs;
    columns.durationNs[index] = span.endNs - span.startNs;
    columns.statusCode[index] = span.statusCode;
    columns.statusMessage[index] = span.statusMessage;
    columns.httpStatus[index] = span.httpStatus;
    columns.rpcSystem[index] = span.rpcSystem;
    columns.rpcStatus[index] = span.rpcStatus;
    columns.peerService[index] = span.peerService;
    columns.attributes[index] = JSON.stringify(span.attributes);
    if (span.resource !== lastResource) {
      lastResource = span.resource;
      lastResourceJson = JSON.stringify(span.resource);
    }
    columns.resource[index] = lastResourceJson;
    columns.sourceLine[index] = span.sourceLine;
  }
  return columns;
}

function eventColumns(records: readonly SpanRecord[]): SpanEventColumns {
  let count = 0;
  for (const span of records) count += span.events.length;
  const columns: SpanEventColumns = {
    count,
    traceId: new Array<string>(count),
    spanId: new Array<string>(count),
    tsNs: new BigInt64Array(count),
    name: new Array<string>(count),
    attributes: new Array<string>(count),
  };
  let index = 0;
  for (const span of records) {
    for (const event of span.events) {
      columns.traceId[index] = span.traceId;
      columns.spanId[index] = span.spanId;
      columns.tsNs[index] = event.tsNs;
      columns.name[index] = event.name;
      columns.attributes[index] = JSON.stringify(event.attributes);
      index += 1;
    }
  }
  return columns;
}

/** The buffers of a batch's typed arrays, handed over to the receiving thread instead of copied. */
export function transferablesOf(batch: SpanColumnBatch): ArrayBuffer[] {
  const { spans, events } = batch;
  return [spans.startNs, spans.endNs, spans.durationNs, spans.statusCode, spans.sourceLine, events.tsNs].map((array) => array.buffer as ArrayBuffer);
}
