import type { RootCauseKind } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import { EVENT_KINDS, METRIC_FAMILY_PATTERN, metricKind } from './kinds.js';
import type { IncidentWindows } from './window.js';
import metricAnomaliesSql from './sql/rank_metric_anomalies.sql?raw';
import eventsSql from './sql/rank_events.sql?raw';
import timeoutFitSql from './sql/rank_timeout_fit.sql?raw';
import lateCallsSql from './sql/rank_late_calls.sql?raw';
import servicesInBaselineSql from './sql/rank_services_in_baseline.sql?raw';

/**
 * The window parameters a ranking query uses (DuckDB refuses parameters a statement lacks); an
 * empty baseline when there is none.
 */
export function windowParams(sql: string, windows: IncidentWindows): Record<string, bigint> {
  const baseline = windows.baseline ?? { fromNs: windows.search.fromNs, toNs: windows.search.fromNs };
  const all: Record<string, bigint> = {
    base_from: baseline.fromNs,
    base_to: baseline.toNs,
    search_from: windows.search.fromNs,
    inc_from: windows.incident.fromNs,
    inc_to: windows.incident.toNs,
  };
  return Object.fromEntries(Object.entries(all).filter(([name]) => new RegExp(`\\$${name}\\b`).test(sql)));
}

/** A metric series of a mechanism family that left its baseline band during the incident. */
export interface MetricAnomaly {
  service: string;
  name: string;
  labels: string;
  kind: RootCauseKind;
  baseMean: number;
  incMax: number;
  onsetNs: bigint | null;
  /** How many baseline spreads the incident peak stands above the baseline mean. */
  strength: number;
}

interface MetricRow {
  service: string;
  name: string;
  labels: string;
  base_mean: number;
  base_sd: number;
  inc_max: number;
  inc_mean: number;
  inc_n: number;
  upper_band: number;
  onset_ns: string | null;
  points_above: number;
}

export async function metricAnomalies(reader: StoreReader, windows: IncidentWindows): Promise<MetricAnomaly[]> {
  if (!windows.baseline) return [];
  const rows = await reader.all<MetricRow>(metricAnomaliesSql, { ...windowParams(metricAnomaliesSql, windows), name_pattern: METRIC_FAMILY_PATTERN });
  const anomalies: MetricAnomaly[] = [];
  for (const row of rows) {
    const kind = metricKind(row.name);
    // Two points above the band, or every point when the series is too coarse to have two in the incident.
    if (!kind || row.points_above < Math.min(2, row.inc_n)) continue;
    const spread = row.base_sd + 0.05 * Math.abs(row.base_mean) + 1e-9;
    anomalies.push({
      service: row.service,
      name: row.name,
      labels: row.labels,
      kind,
      baseMean: row.base_mean,
      incMax: row.inc_max,
      onsetNs: row.onset_ns ? BigInt(row.onset_ns) : null,
      strength: (row.inc_max - row.base_mean) / spread,
    });
  }
  return anomalies;
}

/**
 * The services whose logs or spans reach into the baseline: only their event counts there can be
 * compared. An export that starts at the incident (as Nezha's one-minute trace and log files do,
 * beside metrics of the whole day) has a baseline for its metrics alone.
 */
export async function servicesInBaseline(reader: StoreReader, windows: IncidentWindows): Promise<Set<string>> {
  const rows = await reader.all<{ service: string }>(servicesInBaselineSql, windowParams(servicesInBaselineSql, windows));
  return new Set(rows.map((row) => row.service));
}

/** Resilience events of one service, peer and kind, baseline against incident. */
export interface EventCount {
  service: string;
  peer: string | null;
  kind: string;
  baseCount: number;
  incCount: number;
  /** Incident count beyond what the baseline rate predicts. */
  excess: number;
  firstNs: bigint | null;
  firstRef: string | null;
}

interface EventRow {
  service: string;
  peer: string | null;
  kind: string;
  base_count: number;
  inc_count: number;
  first_ns: string | null;
  first_ref: string | null;
}

export async function eventCounts(reader: StoreReader, windows: IncidentWindows): Promise<EventCount[]> {
  const rows = await reader.all<EventRow>(eventsSql, windowParams(eventsSql, windows));
  const baseSeconds = windows.baseline ? Number(windows.baseline.toNs - windows.baseline.fromNs) / 1e9 : 0;
  const incSeconds = Number(windows.incident.toNs - windows.incident.fromNs) / 1e9;
  return rows.map((row) => ({
    service: row.service,
    peer: row.peer,
    kind: row.kind,
    baseCount: row.base_count,
    incCount: row.inc_count,
    excess: row.inc_count - (baseSeconds > 0 ? (row.base_count * incSeconds) / baseSeconds : 0),
    firstNs: row.first_ns ? BigInt(row.first_ns) : null,
    firstRef: row.first_ref,
  }));
}

/** Event kinds whose excess on a service names a mechanism there. */
export function eventMechanisms(events: readonly EventCount[], service: string): { kind: RootCauseKind; excess: number; ref: string | null }[] {
  const found: { kind: RootCauseKind; excess: number; ref: string | null }[] = [];
  for (const event of events) {
    const kind = EVENT_KINDS[event.kind];
    if (!kind || event.service !== service) continue;
    if (event.excess >= 3) found.push({ kind, excess: event.excess, ref: event.firstRef });
  }
  return found;
}

export interface TimeoutFit {
  caller: string;
  callee: string;
  timeouts: number;
  waitMs: number;
  calleeBaseP50Ms: number | null;
  calleeBaseP99Ms: number | null;
  calleeIncP50Ms: number | null;
}

export async function timeoutFits(reader: StoreReader, windows: IncidentWindows): Promise<TimeoutFit[]> {
  if (!windows.baseline) return [];
  const rows = await reader.all<{
    caller: string;
    callee: string;
    timeouts: number;
    wait_ms: number;
    base_p50_ms: number | null;
    base_p99_ms: number | null;
    inc_p50_ms: number | null;
  }>(timeoutFitSql, windowParams(timeoutFitSql, windows));
  return rows.map((row) => ({
    caller: row.caller,
    callee: row.callee,
    timeouts: row.timeouts,
    waitMs: row.wait_ms,
    calleeBaseP50Ms: row.base_p50_ms,
    calleeBaseP99Ms: row.base_p99_ms,
    calleeIncP50Ms: row.inc_p50_ms,
  }));
}

export interface LateCalls {
  service: string;
  caller: string;
  baseLateCalls: number;
  incLateCalls: number;
  incLateRequests: number;
  firstNs: bigint | null;
  firstRef: string | null;
}

export async function lateCalls(reader: StoreReader, windows: IncidentWindows): Promise<LateCalls[]> {
  const rows = await reader.all<{
    service: string;
    caller: string;
    base_late_calls: number;
    inc_late_calls: number;
    inc_late_requests: number;
    first_ns: string | null;
    first_ref: string | null;
  }>(lateCallsSql, windowParams(lateCallsSql, windows));
  return rows.map((row) => ({
    service: row.service,
    caller: row.caller,
    baseLateCalls: row.base_late_calls,
    incLateCalls: row.inc_late_calls,
    incLateRequests: row.inc_late_requests,
    firstNs: row.first_ns ? BigInt(row.first_ns) : null,
    firstRef: row.first_ref,
  }));
}
