import type { TraceDetail } from '../../../main/api/contract.js';

/** A span for tests, on its trace's time axis. */
export interface SpanSpec {
  id: string;
  parent: string | null;
  startMs: number;
  durationMs: number;
  service?: string;
  name?: string;
  statusCode?: number;
  deadlineMs?: number;
}

/** A trace as getTrace sends it: in start order, parents by index, names once, as the backend shapes it. */
export function wireTrace(specs: readonly SpanSpec[], marks: { critical?: string[]; orphans?: string[] } = {}): TraceDetail {
  const spans = [...specs].sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1));
  const indexOf = new Map(spans.map((span, index) => [span.id, index]));
  const strings: string[] = [];
  const known = new Map<string, number>();
  const intern = (text: string) => known.get(text) ?? known.set(text, strings.push(text) - 1).get(text)!;
  const indexes = (ids: readonly string[] = []) => ids.map((id) => indexOf.get(id)!);
  return {
    trace_id: 't1',
    start: '2024-05-01T10:00:00.000Z',
    strings,
    spans: {
      span_id: spans.map((span) => span.id),
      parent: spans.map((span) => (span.parent === null ? -1 : (indexOf.get(span.parent) ?? -1))),
      service: spans.map((span) => intern(span.service ?? 'svc')),
      name: spans.map((span) => intern(span.name ?? span.id)),
      kind: spans.map(() => intern('internal')),
      offset_ms: spans.map((span) => span.startMs),
      duration_ms: spans.map((span) => span.durationMs),
      status_code: spans.map((span) => span.statusCode ?? 0),
      http_status: spans.map(() => null),
      rpc_status: spans.map(() => null),
      deadline_ms: spans.map((span) => span.deadlineMs ?? null),
    },
    critical_path: indexes(marks.critical),
    orphans: indexes(marks.orphans),
    logs: [],
  };
}
