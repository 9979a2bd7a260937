import type { StoreReader } from './store.js';
import sourceCountsSql from './queries/source_counts.sql?raw';

export interface SourceCounts {
  spans: number;
  logs: number;
  metricPoints: number;
}

export async function sourceCounts(reader: StoreReader, sourceId: number): Promise<SourceCounts> {
  const rows = await reader.all<{ spans: number; logs: number; metric_points: number }>(sourceCountsSql, { source_id: sourceId });
  const row = rows[0]!;
  return { spans: row.spans, logs: row.logs, metricPoints: row.metric_points };
}
