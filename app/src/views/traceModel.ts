import type { LogRow, SpanRow, TimeWindow } from '../../../main/api/contract.js';

/** One waterfall row: a span placed on the trace's time axis (ms from the trace's first span). */
export interface WaterfallRow {
  span: SpanRow;
  depth: number;
  offsetMs: number;
  durationMs: number;
  /** Where the caller's deadline expires, on the same axis; null when none is known. */
  deadlineMs: number | null;
  critical: boolean;
}

export interface Waterfall {
  rows: WaterfallRow[];
  /** From the first span's start to the last span's end (or the latest deadline, if later). */
  totalMs: number;
}

/** Spans in tree order (each parent followed by its children, earliest first), with depths. */
export function buildWaterfall(spans: readonly SpanRow[], criticalPath: readonly string[] = []): Waterfall {
  if (spans.length === 0) return { rows: [], totalMs: 0 };
  // Parsed once: sorting 10,000 spans would otherwise parse each start time about fourteen times.
  const startMs = new Map(spans.map((span) => [span.span_id, Date.parse(span.start)]));
  const startOf = (span: SpanRow) => startMs.get(span.span_id)!;
  const origin = spans.reduce((earliest, span) => Math.min(earliest, startOf(span)), Number.POSITIVE_INFINITY);
  const ids = new Set(spans.map((span) => span.span_id));
  const onPath = new Set(criticalPath);
  const children = new Map<string, SpanRow[]>();
  const roots: SpanRow[] = [];
  for (const span of spans) {
    const parent = span.parent_span_id;
    if (parent && parent !== span.span_id && ids.has(parent)) {
      const siblings = children.get(parent) ?? [];
      siblings.push(span);
      children.set(parent, siblings);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: SpanRow, b: SpanRow) => startOf(a) - startOf(b) || (a.span_id < b.span_id ? -1 : a.span_id > b.span_id ? 1 : 0);
  const rows: WaterfallRow[] = [];
  const placed = new Set<string>();
  // An explicit stack: traces can be thousands of spans deep.
  const stack: { span: SpanRow; depth: number }[] = [...roots].sort(byStart).reverse().map((span) => ({ span, depth: 0 }));
  let totalMs = 0;
  while (stack.length > 0) {
    const { span, depth } = stack.pop()!;
    if (placed.has(span.span_id)) continue;
    placed.add(span.span_id);
    const offsetMs = startOf(span) - origin;
    const deadlineMs = span.deadline_at ? Date.parse(span.deadline_at) - origin : null;
    totalMs = Math.max(totalMs, offsetMs + span.duration_ms, deadlineMs ?? 0);
    rows.push({ span, depth, offsetMs, durationMs: span.duration_ms, deadlineMs, critical: onPath.has(span.span_id) });
    const kids = [...(children.get(span.span_id) ?? [])].sort(byStart).reverse();
    for (const child of kids) stack.push({ span: child, depth: depth + 1 });
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

export function spanLogs(logs: readonly LogRow[], spanId: string): LogRow[] {
  return logs.filter((log) => log.span_id === spanId);
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
