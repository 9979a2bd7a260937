import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { SpanFile } from '../../ingest/parallel/spanFiles.js';
import insertSpanFilesSql from './queries/insert_span_files.sql?raw';
import insertSpanEventFilesSql from './queries/insert_span_event_files.sql?raw';

interface StatementRunner {
  run(sql: string, params?: Record<string, DuckDBValue>): Promise<void>;
}

/**
 * Loads span files (from the parallel OTLP workers) into `spans` and `span_events` with DuckDB's
 * multi-threaded CSV reader: one statement per table for all the files, in their order.
 */
export async function insertSpanFiles(writer: StatementRunner, sourceId: number, files: readonly SpanFile[]): Promise<void> {
  if (files.length === 0) return;
  await writer.run(insertSpanFilesSql, { paths: listValue(files.map((file) => file.spansPath)), source_id: sourceId });
  const eventPaths = files.flatMap((file) => (file.eventsPath ? [file.eventsPath] : []));
  if (eventPaths.length > 0) await writer.run(insertSpanEventFilesSql, { paths: listValue(eventPaths), source_id: sourceId });
}
