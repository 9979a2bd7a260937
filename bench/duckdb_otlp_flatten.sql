-- DuckDB's own path for the same file: read_ndjson, then UNNEST resourceSpans -> scopeSpans -> spans
-- (duckdb_otlp_spans.sql), into a table of 12 columns, attributes as OTLP wrote them.
CREATE TABLE flat_spans AS
WITH OTLP_SPANS_CTES
SELECT
  span.traceId AS trace_id,
  span.spanId AS span_id,
  nullif(span.parentSpanId, '') AS parent_span_id,
  list_filter(resource.attributes, a -> a.key = 'service.name')[1].value.stringValue AS service,
  span.name AS name,
  span.kind AS kind,
  CAST(span.startTimeUnixNano AS BIGINT) AS start_ns,
  CAST(span.endTimeUnixNano AS BIGINT) AS end_ns,
  CAST(span.endTimeUnixNano AS BIGINT) - CAST(span.startTimeUnixNano AS BIGINT) AS duration_ns,
  coalesce(span.status.code, 0) AS status_code,
  span.status.message AS status_message,
  to_json(span.attributes) AS attributes
FROM spans;
