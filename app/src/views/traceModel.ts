import type { LogRow, TimeWindow, TraceDetail } from '../../../main/api/contract.js';

/** One span as the waterfall draws it, on its trace's time axis (ms from the trace's first span). */
export interface TraceSpan {
  /** Where the span sits in Trace.spans. */
  index: number;
  spanId: string;
  /** The parent's index in Trace.spans; -1 for a root (or a parent the trace does not hold). */
  parent: number;
  service: string;
  name: string;
  kind: string;
  offsetMs: number;
  durationMs: number;
  statusCode: number;
  httpStatus: number | null;
  rpcStatus: number | null;
  /** Where the caller's deadline expires, on the same axis; null when none is known. */
  deadlineMs: number | null;
  /** Kept working after its caller had given up. */
  orphan: boolean;
  critical: boolean;
}

export interface Trace {
  traceId: string;
  /** Epoch milliseconds of the trace's first span: offset 0. */
  startMs: number;
  /** In start order. */
  spans: TraceSpan[];
  logs: LogRow[];
}

/** The wire's columns as one object per span, each flag resolved once. */
export function toTrace(detail: TraceDetail): Trace {
  const { spans: columns, strings } = detail;
  const orphans = new Set(detail.orphans);
  const critical = new Set(detail.critical_path);
  const spans = columns.span_id.map(
    (spanId, index): TraceSpan => ({
      index,
      spanId,
      parent: columns.parent[index]!,
      service: strings[columns.service[index]!]!,
      name: strings[columns.name[index]!]!,
      kind: strings[columns.kind[index]!]!,
      offsetMs: columns.offset_ms[index]!,
      durationMs: columns.duration_ms[index]!,
      statusCode: columns.status_code[index]!,
      httpStatus: columns.http_status[index] ?? null,
      rpcStatus: columns.rpc_status[index] ?? null,
      deadlineMs: columns.deadline_ms[index] ?? null,
      orphan: orphans.has(index),
      critical: critical.has(index),
    }),
  );
  return { traceId: detail.trace_id, startMs: Date.parse(detail.start), spans, logs: detail.logs };
}

/** The wall-clock time of a point on a trace's axis. */
export function traceTime(trace: Pick<Trace, 'startMs'>, offsetMs: number): string {
  return new Date(trace.startMs + offsetMs).toISOString();
}

/** One waterfall row: a span and how deep it sits in the call tree. */
export interface WaterfallRow {
  span: TraceSpan;
  depth: number;
}

export interface Waterfall {
  rows: WaterfallRow[];
  /** From the first span's start to the last span's end (or the latest deadline, if later). */
  totalMs: number;
}

/** Spans in tree order (each parent followed by its children, earliest first), with depths. */
export function buildWaterfall(spans: readonly TraceSpan[]): Waterfall {
  const children = new Map<number, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const span of spans) {
    if (span.parent < 0 || span.parent === span.index) {
      roots.push(span);
      continue;
    }
    const siblings = children.get(span.parent);
    if (siblings) siblings.push(span);
    else children.set(span.parent, [span]);
  }
  // Latest first, so that popping the stack yields the earliest.
  const latestFirst = (a: TraceSpan, b: TraceSpan) => b.offsetMs - a.offsetMs || (a.spanId < b.spanId ? 1 : a.spanId > b.spanId ? -1 : 0);
  const rows: WaterfallRow[] = [];
  const placed = new Set<number>();
  // An explicit stack: traces can be thousands of spans deep.
  const stack: WaterfallRow[] = roots.sort(latestFirst).map((span) => ({ span, depth: 0 }));
  let totalMs = 0;
  while (stack.length > 0) {
    const row = stack.pop()!;
    const { span, depth } = row;
    if (placed.has(span.index)) continue;
    placed.add(span.index);
    totalMs = Math.max(totalMs, span.offsetMs + span.durationMs, span.deadlineMs ?? 0);
    rows.push(row);
    const kids = children.get(span.index);
    if (kids) for (const child of kids.sort(latestFirst)) stack.push({ span: child, depth: depth + 1 });
  }
  return { rows, totalMs };
}

/** The rows a scrolled list must render: those in view plus a margin, as a half-open range. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): { first: number; last: number } {
  if (count <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, Math.floor(Math.max(0, scrollTop) / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first: Math.min(first, last), last };
}

/** The instant a clicked chart point stands for: a time x value ([time, value] pairs, or {value: [...]}). */
export function chartPointTime(data: unknown): string | null {
  const value = typeof data === 'object' && data !== null && !Array.isArray(data) && 'value' in data ? (data as { value: unknown }).value : data;
  const x = Array.isArray(value) ? value[0] : value;
  const ms = typeof x === 'number' ? x : typeof x === 'string' ? Date.parse(x) : Number.NaN;
  // Plain numbers below 1e11 are not epoch milliseconds (they are values or indexes).
  if (!Number.isFinite(ms) || (typeof x === 'number' && ms < 1e11)) return null;
  return new Date(ms).toISOString();
}

export function windowAround(iso: string, halfWidthMs: number): TimeWindow {
  const at = Date.parse(iso);
  return { from: new Date(at - halfWidthMs).toISOString(), to: new Date(at + halfWidthMs).toISOString() };
}
