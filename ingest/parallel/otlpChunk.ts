import { NOT_A_TRACE_REQUEST, TraceSpanConverter, unwrapTraceRequest } from '../formats/otlp-traces.js';
import { errorMessage } from '../read.js';
import type { Attributes, ParseIssue, SpanRecord } from '../records.js';
import { SPAN_FILE_DELIMITER as D, SPAN_FILE_QUOTE as Q } from './spanFiles.js';

/** What one chunk of lines became: its spans and the problems met, in line order. */
export interface TraceChunk {
  records: SpanRecord[];
  issues: ParseIssue[];
}

/**
 * Converts a chunk of OTLP JSON lines (one trace request per line) into span records, with the same
 * records and the same problems, in the same order, as the sequential OTLP traces parser.
 */
export function traceRecordsOfLines(texts: readonly string[], lineNumbers: Int32Array): TraceChunk {
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
  return { records, issues };
}

/** The span and event rows of some records in the layout of spanFiles.ts. */
export interface SpanFileTexts {
  spans: string;
  /** Empty when the spans have no events. */
  events: string;
}

/**
 * The records as span-file rows, or null when one of them cannot be stored that way, so that the
 * chunk takes the record path and both paths keep storing the same rows:
 * - JSON.stringify writes a lone UTF-16 surrogate as a `\udXXX` escape, which DuckDB's JSON type
 *   rejects when it loads text (an appender stores it unchecked);
 * - DuckDB's CSV reader refuses rows longer than its max_line_size (2 MB by default; raising it
 *   makes every reader thread allocate sixteen times as much).
 */
export function spanFileTexts(records: readonly SpanRecord[]): SpanFileTexts | null {
  const spanRows: string[] = [];
  const eventRows: string[] = [];
  // spans of one request share their resource map: encode it once
  let lastResource: Attributes | null = null;
  let resourceJson = '';
  for (const span of records) {
    if (span.resource !== lastResource) {
      lastResource = span.resource;
      resourceJson = JSON.stringify(span.resource);
      if (hasLoneSurrogateEscape(resourceJson)) return null;
    }
    const attributes = JSON.stringify(span.attributes);
    if (hasLoneSurrogateEscape(attributes)) return null;
    const traceId = text(span.traceId);
    const spanId = text(span.spanId);
    const row =
      traceId + D + spanId + D + nullableText(span.parentSpanId) + D + text(span.service) + D + text(span.name) + D + span.kind + D +
        span.startNs + D + span.endNs + D + span.statusCode + D + nullableText(span.statusMessage) + D + nullableNumber(span.httpStatus) + D +
        nullableText(span.rpcSystem) + D + nullableNumber(span.rpcStatus) + D + nullableText(span.peerService) + D + attributes + D + resourceJson + D +
        span.sourceLine + '\n';
    if (!fitsOneRow(row)) return null;
    spanRows.push(row);
    for (const event of span.events) {
      const eventAttributes = JSON.stringify(event.attributes);
      if (hasLoneSurrogateEscape(eventAttributes)) return null;
      const eventRow = traceId + D + spanId + D + event.tsNs + D + text(event.name) + D + eventAttributes + '\n';
      if (!fitsOneRow(eventRow)) return null;
      eventRows.push(eventRow);
    }
  }
  return { spans: spanRows.join(''), events: eventRows.join('') };
}

/** Under DuckDB's default max_line_size (2 MiB); a UTF-16 code unit takes at most 3 bytes of UTF-8. */
const MAX_ROW_BYTES = 2_000_000;

function fitsOneRow(row: string): boolean {
  return row.length * 3 <= MAX_ROW_BYTES || Buffer.byteLength(row) <= MAX_ROW_BYTES;
}

/** JSON.stringify escapes only control characters and lone surrogates as `\uXXXX`, and both rarely occur. */
function hasLoneSurrogateEscape(json: string): boolean {
  return json.includes('\\u') && LONE_SURROGATE_ESCAPE.test(json);
}

const LONE_SURROGATE_ESCAPE = /\\ud[89a-f]/;
const DOUBLED_QUOTE = Q + Q;

/** A text field: enclosed when it is empty (an empty field is NULL) or holds a control character. */
function text(value: string): string {
  if (value === '') return DOUBLED_QUOTE;
  return hasControlCharacter(value) ? Q + value.replaceAll(Q, DOUBLED_QUOTE) + Q : value;
}

/** The delimiter, the quote and line breaks are all control characters. A loop: faster than a regular expression on short texts. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    if (value.charCodeAt(index) < 0x20) return true;
  }
  return false;
}

function nullableText(value: string | null): string {
  return value === null ? '' : text(value);
}

function nullableNumber(value: number | null): string {
  return value === null ? '' : String(value);
}
