import type { StoreReader } from '../store/store.js';
import type { SpanDetail, TraceDetail, TraceQuery, TraceSummary } from './contract.js';
import { nsToIso, windowToNs } from './wireTime.js';
import largestTraceSql from './queries/largest_trace.sql?raw';
import searchTracesSql from './queries/search_traces.sql?raw';
import spanSql from './queries/span.sql?raw';
import spanEventsSql from './queries/span_events.sql?raw';
import traceSpansSql from './queries/trace_spans.sql?raw';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

type Read = <T>(fn: (reader: StoreReader) => Promise<T>) => Promise<T>;

export async function searchTraces(read: Read, query: TraceQuery): Promise<TraceSummary[]> {
  const window = query.window ? windowToNs(query.window) : null;
  const rows = await read((r) =>
    r.all<Omit<TraceSummary, 'start'> & { start_ns: string }>(searchTracesSql, {
      service: query.service ?? '',
      operation: query.operation ?? '',
      status: query.status ?? '',
      attribute_key: query.attribute?.key ?? '',
      attribute_value: query.attribute?.value ?? '',
      min_duration_ms: query.min_duration_ms ?? 0,
      max_duration_ms: query.max_duration_ms ?? Number.MAX_SAFE_INTEGER,
      from_ns: window ? window.fromNs : null,
      to_ns: window ? window.toNs : null,
      limit: Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT),
    }),
  );
  return rows.map(({ start_ns, ...row }) => ({ ...row, start: nsToIso(start_ns), services: [...row.services] }));
}

/** A span as trace_spans.sql reads it: what the waterfall draws and what its deadlines and orphans need. */
export interface TraceSpanRow {
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: string;
  /** The trace's first span's start, epoch ms. */
  origin_ms: number;
  /** From the trace's first span's start. */
  offset_ms: number;
  duration_ms: number;
  status_code: number;
  http_status: number | null;
  rpc_status: number | null;
  /** Only on failed spans. */
  status_message: string | null;
  /** Only where an attribute may hold a deadline. */
  deadline_attributes: string | null;
}

/** Enough spans for the JIT to optimise the trace code; the largest traces would keep a server busy for seconds. */
const WARM_UP_MAX_SPANS = 10_000;

/**
 * Reads the workspace's largest trace (of at most 10,000 spans) once and drops it, so that the first
 * trace a user opens finds the code compiled and the columns read; returns which trace it read.
 */
export async function warmTraceReads(read: Read): Promise<string | null> {
  const [largest] = await read((r) => r.all<{ trace_id: string }>(largestTraceSql, { max_spans: WARM_UP_MAX_SPANS }));
  if (!largest) return null;
  await readTrace(read, largest.trace_id);
  return largest.trace_id;
}

/** A trace's spans on the wire; `start` is null when the trace has no spans (only log lines). */
export type TraceShape = Pick<TraceDetail, 'strings' | 'spans' | 'critical_path' | 'orphans'> & { start: string | null };

/** A trace's spans with deadlines, orphans and its critical path, all computed from the spans themselves. */
export async function readTrace(read: Read, traceId: string): Promise<TraceShape> {
  const rows = await read((r) => r.all<TraceSpanRow>(traceSpansSql, { trace_id: traceId }));
  return traceShape(rows, traceId);
}

/** Spans (in start order) as the wire's columns, each name once in `strings`. */
export function traceShape(rows: readonly TraceSpanRow[], traceId: string): TraceShape {
  const indexOf = new Map(rows.map((row, index) => [row.span_id, index]));
  const timed = rows.map(
    (row): TimedSpan => ({
      id: row.span_id,
      parentId: row.parent_span_id || null,
      kind: row.kind,
      startMs: row.offset_ms,
      endMs: row.offset_ms + row.duration_ms,
      statusCode: row.status_code,
      statusMessage: row.status_message,
      rpcStatus: row.rpc_status,
      attributes: parseAttributes(row.deadline_attributes, traceId, row.span_id),
    }),
  );
  const annotations = annotateSpans(timed);
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (text: string): number => {
    let index = stringIndex.get(text);
    if (index === undefined) {
      index = strings.push(text) - 1;
      stringIndex.set(text, index);
    }
    return index;
  };
  const parentIndex = (row: TraceSpanRow): number => {
    const index = row.parent_span_id && row.parent_span_id !== row.span_id ? indexOf.get(row.parent_span_id) : undefined;
    return index ?? -1;
  };
  return {
    start: rows[0] ? new Date(rows[0].origin_ms).toISOString() : null,
    strings,
    spans: {
      span_id: rows.map((row) => row.span_id),
      parent: rows.map(parentIndex),
      service: rows.map((row) => intern(row.service)),
      name: rows.map((row) => intern(row.name)),
      kind: rows.map((row) => intern(row.kind)),
      offset_ms: timed.map((span) => span.startMs),
      duration_ms: rows.map((row) => row.duration_ms),
      status_code: rows.map((row) => row.status_code),
      http_status: rows.map((row) => row.http_status ?? null),
      rpc_status: rows.map((row) => row.rpc_status ?? null),
      deadline_ms: timed.map((span) => annotations.deadlineMs.get(span.id) ?? null),
    },
    critical_path: annotations.criticalPath.map((id) => indexOf.get(id)!),
    orphans: timed.flatMap((span, index) => (annotations.orphans.has(span.id) ? [index] : [])),
  };
}

type SpanQueryRow = Omit<SpanDetail, 'start' | 'attributes' | 'events' | 'logs'> & { start_ns: string; attributes: string | null };

/** One span whole but for its log lines; null when the trace holds no such span. */
export async function readSpan(read: Read, traceId: string, spanId: string): Promise<Omit<SpanDetail, 'logs'> | null> {
  const [rows, events] = await Promise.all([
    read((r) => r.all<SpanQueryRow>(spanSql, { trace_id: traceId, span_id: spanId })),
    read((r) => r.all<{ ts_ns: string; name: string; attributes: string | null }>(spanEventsSql, { trace_id: traceId, span_id: spanId })),
  ]);
  const row = rows[0];
  if (!row) return null;
  return {
    trace_id: row.trace_id,
    span_id: row.span_id,
    parent_span_id: row.parent_span_id ?? null,
    service: row.service,
    name: row.name,
    kind: row.kind,
    start: nsToIso(row.start_ns),
    duration_ms: row.duration_ms,
    status_code: row.status_code,
    status_message: row.status_message ?? null,
    http_status: row.http_status ?? null,
    rpc_status: row.rpc_status ?? null,
    attributes: parseAttributes(row.attributes, traceId, spanId),
    events: events.map((event) => ({ ts: nsToIso(event.ts_ns), name: event.name, attributes: parseAttributes(event.attributes, traceId, spanId) })),
  };
}

function parseAttributes(text: string | null, traceId: string, spanId: string): Record<string, string> {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    throw new Error(`span ${traceId}/${spanId}: attributes are not JSON: ${text.slice(0, 80)}`);
  }
}

/** One span on a trace-relative time axis (milliseconds). */
export interface TimedSpan {
  id: string;
  parentId: string | null;
  kind: string;
  startMs: number;
  endMs: number;
  statusCode: number;
  statusMessage: string | null;
  rpcStatus: number | null;
  attributes: Record<string, string>;
}

export interface SpanAnnotations {
  criticalPath: string[];
  /** When each span's caller stops waiting, on the same axis as the spans. */
  deadlineMs: Map<string, number>;
  orphans: Set<string>;
}

export function annotateSpans(spans: readonly TimedSpan[]): SpanAnnotations {
  const deadlineMs = new Map<string, number>();
  for (const span of spans) {
    const budget = deadlineBudgetMs(span.attributes);
    if (budget !== null) deadlineMs.set(span.id, span.startMs + budget);
  }
  const byId = new Map(spans.map((span) => [span.id, span]));
  const orphans = new Set<string>();
  for (const span of spans) {
    const parent = span.parentId ? byId.get(span.parentId) : undefined;
    if (span.kind !== 'server' || !parent || parent.kind !== 'client') continue;
    // The server works under its caller's deadline even though only the client recorded it.
    const inherited = deadlineMs.get(parent.id);
    if (!deadlineMs.has(span.id) && inherited !== undefined) deadlineMs.set(span.id, inherited);
    if (span.endMs > parent.endMs && gaveUpOnDeadline(parent)) orphans.add(span.id);
  }
  return { criticalPath: criticalPath(spans), deadlineMs, orphans };
}

const GRPC_TIMEOUT_UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/** The time a span's caller allowed it, from a grpc-timeout header or a deadline/timeout attribute. */
export function deadlineBudgetMs(attributes: Record<string, string>): number | null {
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.toLowerCase().includes('grpc-timeout')) continue;
    const parsed = parseGrpcTimeout(firstValue(value));
    if (parsed !== null) return parsed;
  }
  for (const [key, value] of Object.entries(attributes)) {
    const name = key.toLowerCase().split('.').pop();
    if (name !== 'deadline_ms' && name !== 'timeout_ms') continue;
    const ms = Number(firstValue(value));
    if (Number.isFinite(ms) && ms > 0) return ms;
  }
  return null;
}

/** gRPC's wire form: at most 8 digits and a unit (H, M, S, m, u, n). */
export function parseGrpcTimeout(value: string): number | null {
  const match = /^\s*(\d{1,8})([HMSmun])\s*$/.exec(value);
  return match ? Number(match[1]) * GRPC_TIMEOUT_UNIT_MS[match[2]!]! : null;
}

/** Attribute values arrive as plain strings or as a JSON array of strings (repeated metadata). */
function firstValue(value: unknown): string {
  if (Array.isArray(value)) return String(value[0] ?? '');
  const text = String(value);
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return String(parsed[0] ?? '');
    } catch {
      return text;
    }
  }
  return text;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_CANCELLED = 1;

function gaveUpOnDeadline(client: TimedSpan): boolean {
  if (client.rpcStatus === GRPC_DEADLINE_EXCEEDED || client.rpcStatus === GRPC_CANCELLED) return true;
  return client.statusCode === 2 && /deadline|timeout|timed out|cancel/i.test(client.statusMessage ?? '');
}

/**
 * Jaeger UI's critical path: from the root, the child that finished last (clipped to its parent),
 * then, before that child started, the child that finished last before then, and so on, descending
 * into each chosen child the same way. Returns span ids, root first, in the order they were reached.
 */
export function criticalPath(spans: readonly TimedSpan[]): string[] {
  if (spans.length === 0) return [];
  const ids = new Set(spans.map((span) => span.id));
  const children = new Map<string, TimedSpan[]>();
  const roots: TimedSpan[] = [];
  for (const span of spans) {
    if (span.parentId && ids.has(span.parentId) && span.parentId !== span.id) {
      const siblings = children.get(span.parentId) ?? [];
      siblings.push(span);
      children.set(span.parentId, siblings);
    } else {
      roots.push(span);
    }
  }
  const root = roots.reduce((best, span) =>
    span.startMs < best.startMs || (span.startMs === best.startMs && span.endMs > best.endMs) ? span : best,
  );
  const path: string[] = [];
  const visited = new Set<string>();
  interface Frame { start: number; cursor: number; next: number; children: { span: TimedSpan; start: number; end: number }[] }
  const frameFor = (span: TimedSpan, start: number, end: number): Frame => ({
    start,
    cursor: end,
    next: 0,
    // A child that outlives its parent only counts until the parent ended (the parent did not wait).
    children: (children.get(span.id) ?? [])
      .filter((child) => child.startMs < end && !visited.has(child.id))
      .map((child) => ({ span: child, start: Math.max(child.startMs, start), end: Math.min(child.endMs, end) }))
      .sort((a, b) => b.end - a.end),
  });
  visited.add(root.id);
  path.push(root.id);
  const stack: Frame[] = [frameFor(root, root.startMs, root.endMs)];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    while (frame.next < frame.children.length && frame.children[frame.next]!.end > frame.cursor) frame.next += 1;
    const chosen = frame.children[frame.next];
    if (!chosen || chosen.end <= frame.start) {
      stack.pop();
      continue;
    }
    frame.next += 1;
    frame.cursor = chosen.start;
    if (visited.has(chosen.span.id)) continue;
    visited.add(chosen.span.id);
    path.push(chosen.span.id);
    stack.push(frameFor(chosen.span, chosen.start, chosen.end));
  }
  return path;
}
