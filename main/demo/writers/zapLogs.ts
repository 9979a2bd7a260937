/**
 * Writes log lines as go.uber.org/zap's production JSON encoder does: level, ts (epoch seconds as a
 * float), caller, msg, then the logger's fields (service, trace context) and the call's fields.
 */
import type { DemoLogLine } from '../model.js';

/** One JSON object per line; `startEpochMs` is the instant that `atMs` offsets count from. */
export function zapLogLines(lines: readonly DemoLogLine[], startEpochMs: number): string {
  return lines.map((line) => JSON.stringify(zapEntry(line, startEpochMs)) + '\n').join('');
}

function zapEntry(line: DemoLogLine, startEpochMs: number): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    level: line.level,
    ts: Math.round((startEpochMs + line.atMs) * 1000) / 1e6,
    caller: line.caller,
    msg: line.msg,
    service: line.service,
  };
  if (line.traceId !== null) entry.trace_id = line.traceId;
  if (line.spanId !== null) entry.span_id = line.spanId;
  for (const [key, value] of line.fields) entry[key] = value;
  return entry;
}
