-- DuckDB's own path for the same file: read_ndjson, then UNNEST resourceSpans -> scopeSpans -> spans.
CREATE TABLE flat_spans AS
WITH resources AS (
  SELECT unnest(resourceSpans) AS rs FROM read_ndjson_auto($path)
),
scopes AS (
  SELECT rs.resource AS resource, unnest(rs.scopeSpans) AS ss FROM resources
),
spans AS (
  SELECT resource, unnest(ss.spans) AS span FROM scopes
)
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
