import { NOT_A_TRACE_REQUEST, TraceSpanConverter, unwrapTraceRequest } from '../formats/otlp-traces.js';
import { jsonLineValue, lineText } from '../read.js';
import type { ParseIssue, SpanRecord } from '../records.js';

/**
 * What one chunk of lines became: its spans and the problems met, in line order, with line numbers
 * counted from 1 at the chunk's first line; `lines` is how many lines the chunk held.
 */
export interface TraceChunk {
  records: SpanRecord[];
  issues: ParseIssue[];
  lines: number;
}

const NEWLINE = 0x0a;

/**
 * Converts a chunk of OTLP JSON lines (one trace request per line), given as UTF-8 bytes that hold
 * whole lines only, into span records, with the same records and the same problems, in the same
 * order, as the sequential OTLP traces parser. Lines are cut on LF and decoded one by one without
 * the CR of a CRLF, as the line reader does (`lineText`): JSON.parse reads substrings of a chunk
 * decoded whole at half speed.
 */
export function traceRecordsOfBytes(chunk: Uint8Array): TraceChunk {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const issues: ParseIssue[] = [];
  const issue = (line: number, message: string): void => {
    issues.push({ line, message });
  };
  const converter = new TraceSpanConverter(issue);
  const records: SpanRecord[] = [];
  let line = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(NEWLINE, start);
    const lineEnd = newline === -1 ? bytes.length : newline;
    const trimmed = lineText(bytes, start, lineEnd).trim();
    line += 1;
    start = lineEnd + 1;
    if (trimmed === '') continue;
    const value = jsonLineValue(trimmed, line, issue);
    if (value === undefined) continue;
    const request = unwrapTraceRequest(value);
    if (!request) {
      issue(line, NOT_A_TRACE_REQUEST);
      continue;
    }
    for (const record of converter.spans(request, line, true)) records.push(record);
  }
  return { records, issues, lines: line };
}
