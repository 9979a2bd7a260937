import { DuckDBDataChunk, type DuckDBAppender, type DuckDBValue } from '@duckdb/node-api';
import type { SpanColumns, SpanEventColumns } from '../../ingest/parallel/spanColumns.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** A column as DuckDB's data chunk reads it: anything indexable, typed arrays included. */
type ColumnValues = ArrayLike<DuckDBValue>;

/**
 * Appends span columns (from the parallel OTLP workers) in the column order of `spans` and
 * `span_events`: no per-row objects, no JSON encoding here, the workers did both.
 */
export function appendSpanColumns(spanAppender: DuckDBAppender, eventAppender: DuckDBAppender, sourceId: number, spans: SpanColumns, events: SpanEventColumns): void {
  appendChunks(spanAppender, spans.count, [
    spans.traceId,
    spans.spanId,
    spans.parentSpanId,
    spans.service,
    spans.name,
    spans.kind,
    spans.startNs,
    spans.endNs,
    spans.durationNs,
    spans.statusCode,
    spans.statusMessage,
    spans.httpStatus,
    spans.rpcSystem,
    spans.rpcStatus,
    spans.peerService,
    spans.attributes,
    spans.resource,
    constant(sourceId, spans.count),
    spans.sourceLine,
  ]);
  appendChunks(eventAppender, events.count, [events.traceId, events.spanId, events.tsNs, events.name, events.attributes, constant(sourceId, events.count)]);
}

function constant(value: number, count: number): Int32Array {
  return new Int32Array(count).fill(value);
}

function appendChunks(appender: DuckDBAppender, rowCount: number, columns: readonly ColumnValues[]): void {
  if (rowCount === 0) return;
  const types = columns.map((_, index) => appender.columnType(index));
  for (let offset = 0; offset < rowCount; offset += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, rowCount - offset);
    const chunk = DuckDBDataChunk.create(types, rows);
    for (let column = 0; column < columns.length; column += 1) {
      chunk.setColumnValues(column, sliceOf(columns[column]!, offset, rows));
    }
    appender.appendDataChunk(chunk);
  }
}

function sliceOf(values: ColumnValues, offset: number, rows: number): readonly DuckDBValue[] {
  const slice = ArrayBuffer.isView(values) ? (values as unknown as Int32Array).subarray(offset, offset + rows) : Array.prototype.slice.call(values, offset, offset + rows);
  // setColumnValues only indexes the values and reads their length, which typed arrays provide
  return slice as unknown as readonly DuckDBValue[];
}
