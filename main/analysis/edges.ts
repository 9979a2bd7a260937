import type { StoreReader } from '../store/store.js';
import { withCalleeName } from './calleeName.js';
import { patternParams } from './patterns.js';
import callPairsSql from './sql/edge_call_pairs.sql?raw';
import callPairDeadlinesTemplate from './sql/call_pair_deadlines.sql?raw';
import deadlineCallsSql from './sql/deadline_calls.sql?raw';
import deadlineTimeoutMsSql from './sql/deadline_timeout_ms.sql?raw';
import edgeDiagnosticsSql from './sql/edge_diagnostics.sql?raw';

/** An analysis window in UTC nanoseconds (inclusive bounds). */
export interface NsWindow {
  fromNs: bigint;
  toNs: bigint;
}

/** Every timestamp a BIGINT column can hold. */
export function fullWindow(): NsWindow {
  return { fromNs: -(2n ** 63n), toNs: 2n ** 63n - 1n };
}

/** ISO 8601 with milliseconds, the wire format of timestamps. */
export function isoFromNs(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

/** call_pair_deadlines.sql with the one reading of a stated timeout put in for the client's and the server's attributes. */
const callPairDeadlinesSql = callPairDeadlinesTemplate.replace(/TIMEOUT_MS_OF\((\w+)\)/g, (_, column: string) =>
  `(\n${deadlineTimeoutMsSql.replace(/^--.*\n/gm, '').trim().replaceAll('ATTRIBUTES', column)}\n)`,
);

/** The SELECT that pairs caller spans with callee server spans (edge_call_pairs.sql), each call with its deadline (call_pair_deadlines.sql). */
export const CALL_PAIRS_SQL = `WITH pairs AS (\n${withCalleeName(callPairsSql)}\n)\n${callPairDeadlinesSql}`;

/**
 * Wraps a query that reads the `calls` relation (and, with `deadlines`, `deadline_calls`) so that
 * it runs over the calls whose caller span starts in the window: the rows of the call_pairs table
 * that rebuildDerived filled. Returns the statement and every parameter it needs; `extra` adds the
 * query's own.
 */
export function overCalls(
  body: string,
  window: NsWindow | undefined,
  options: { deadlines?: boolean; extra?: Record<string, number | bigint | string> } = {},
): { sql: string; params: Record<string, number | bigint | string> } {
  const { fromNs, toNs } = window ?? fullWindow();
  // Both are inlined where they are read rather than materialised: copying every call's columns
  // costs more than scanning call_pairs again (the window filter is pushed into the scan).
  // call_pairs stores no end times: they are computed here, where they are read.
  const ctes = [
    'calls AS NOT MATERIALIZED (SELECT *, c_start_ns + c_duration_ns AS c_end_ns, s_start_ns + s_duration_ns AS s_end_ns FROM call_pairs WHERE c_start_ns BETWEEN $from_ns AND $to_ns)',
  ];
  if (options.deadlines) ctes.push(`deadline_calls AS NOT MATERIALIZED (\n${deadlineCallsSql}\n)`);
  const sql = `WITH ${ctes.join(',\n')}\nSELECT * FROM (\n${body}\n)`;
  return { sql, params: { ...patternParams(sql), from_ns: fromNs, to_ns: toNs, ...options.extra } };
}

/** How one caller uses one callee in the window. Durations in milliseconds. */
export interface EdgeDiagnostic {
  caller: string;
  callee: string;
  calls: number;
  errors: number;
  timeouts: number;
  /** Calls that repeated the previous call's operation after it ended. */
  retries: number;
  /** Attempts per logical call: 1 without retries, 3 when every call was tried three times. */
  retry_amplification: number;
  /** Calls on this edge per calling parent span (parallel fan-out and retries both raise it). */
  fan_out: number;
  /** Calls that no server span answered (fast failures, uninstrumented or unreachable callee). */
  unanswered: number;
  client_p50_ms: number | null;
  client_p99_ms: number | null;
  server_p50_ms: number | null;
  server_p99_ms: number | null;
  /** Client duration minus server duration: network and (de)serialisation. */
  network_p50_ms: number | null;
  network_p99_ms: number | null;
  /** Server start minus client start: connection pool or queue wait before the request left. */
  queue_p50_ms: number | null;
  queue_p99_ms: number | null;
}

interface EdgeRow {
  caller: string;
  callee: string;
  calls: number;
  errors: number;
  timeouts: number;
  retries: number;
  parents: number;
  unanswered: number;
  client_p50_ms: number | null;
  client_p99_ms: number | null;
  server_p50_ms: number | null;
  server_p99_ms: number | null;
  network_p50_ms: number | null;
  network_p99_ms: number | null;
  queue_p50_ms: number | null;
  queue_p99_ms: number | null;
}

export async function edgeDiagnostics(reader: StoreReader, window?: NsWindow): Promise<EdgeDiagnostic[]> {
  const { sql, params } = overCalls(edgeDiagnosticsSql, window);
  const rows = await reader.all<EdgeRow>(sql, params);
  return rows.map((row) => {
    const logical = Math.max(1, row.calls - row.retries);
    return {
      caller: row.caller,
      callee: row.callee,
      calls: row.calls,
      errors: row.errors,
      timeouts: row.timeouts,
      retries: row.retries,
      retry_amplification: round(row.calls / logical),
      fan_out: round(row.calls / Math.max(1, row.parents)),
      unanswered: row.unanswered,
      client_p50_ms: roundOrNull(row.client_p50_ms),
      client_p99_ms: roundOrNull(row.client_p99_ms),
      server_p50_ms: roundOrNull(row.server_p50_ms),
      server_p99_ms: roundOrNull(row.server_p99_ms),
      network_p50_ms: roundOrNull(row.network_p50_ms),
      network_p99_ms: roundOrNull(row.network_p99_ms),
      queue_p50_ms: roundOrNull(row.queue_p50_ms),
      queue_p99_ms: roundOrNull(row.queue_p99_ms),
    };
  });
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
const roundOrNull = (value: number | null): number | null => (value === null ? null : round(value));
