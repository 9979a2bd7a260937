import type { StoreReader } from '../store/store.js';
import type { TraceQuery, TraceSummary } from './contract.js';
import { nsToIso, windowToNs } from './wireTime.js';
import searchTracesSql from './queries/search_traces.sql?raw';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

export async function searchTraces(read: <T>(fn: (reader: StoreReader) => Promise<T>) => Promise<T>, query: TraceQuery): Promise<TraceSummary[]> {
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
