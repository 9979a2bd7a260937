import { NOT_A_TRACE_REQUEST, TraceSpanConverter, unwrapTraceRequest } from '../formats/otlp-traces.js';
import { errorMessage } from '../read.js';
import type { ParseIssue, SpanRecord } from '../records.js';

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
