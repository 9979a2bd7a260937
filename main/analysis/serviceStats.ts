import type { ServiceStats } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import type { NsWindow } from './window.js';
import statsSql from './sql/stats_services.sql?raw';

interface StatsRow {
  service: string;
  requests: number;
  errors: number;
  timeouts: number;
  p50_ms: number | null;
  p99_ms: number | null;
}

const round = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 100) / 100);

/** Requests each service served in the window (server, consumer and root spans), failures, latency. */
export async function serviceStats(reader: StoreReader, window: NsWindow): Promise<ServiceStats[]> {
  const rows = await reader.all<StatsRow>(statsSql, { from_ns: window.fromNs, to_ns: window.toNs });
  return rows.map((row) => ({
    service: row.service,
    requests: row.requests,
    errors: row.errors,
    timeouts: row.timeouts,
    p50_ms: round(row.p50_ms),
    p99_ms: round(row.p99_ms),
  }));
}
