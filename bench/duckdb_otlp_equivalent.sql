-- DuckDB's own path to the table Causeway's import writes (main/store/schema/001_core.sql), from the
-- same file: read_ndjson, UNNEST resourceSpans -> scopeSpans -> spans (duckdb_otlp_spans.sql), then
-- what the import does per span: kinds as words, the HTTP and gRPC status and the peer read from the
-- attributes, attributes (with the scope's name) and resource as JSON objects. Only the line numbers
-- are left out: DuckDB's reader does not give them. bench:ingest checks the table against Causeway's.
CREATE TABLE spans AS
WITH OTLP_SPANS_CTES,
mapped AS (
  SELECT span, scope_name,
         map_from_entries(list_transform(span.attributes, a -> {'key': a.key, 'value': coalesce(a.value.stringValue, CAST(a.value.intValue AS VARCHAR))})) AS attrs,
         map_from_entries(list_transform(resource.attributes, a -> {'key': a.key, 'value': a.value.stringValue})) AS res
  FROM spans
)
SELECT
  span.traceId AS trace_id,
  span.spanId AS span_id,
  nullif(span.parentSpanId, '') AS parent_span_id,
  res['service.name'] AS service,
  span.name AS name,
  ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'][coalesce(span.kind, 0) + 1] AS kind,
  CAST(span.startTimeUnixNano AS BIGINT) AS start_ns,
  CAST(span.endTimeUnixNano AS BIGINT) AS end_ns,
  CAST(span.endTimeUnixNano AS BIGINT) - CAST(span.startTimeUnixNano AS BIGINT) AS duration_ns,
  CAST(coalesce(span.status.code, 0) AS TINYINT) AS status_code,
  json_extract_string(to_json(span.status), '$.message') AS status_message,
  TRY_CAST(coalesce(attrs['http.response.status_code'], attrs['http.status_code']) AS SMALLINT) AS http_status,
  attrs['rpc.system'] AS rpc_system,
  TRY_CAST(attrs['rpc.grpc.status_code'] AS TINYINT) AS rpc_status,
  CASE WHEN span.kind IN (3, 4) THEN coalesce(attrs['peer.service'], attrs['server.address'], attrs['net.peer.name']) END AS peer_service,
  CAST(to_json(map_concat(attrs, MAP {'otel.scope.name': scope_name})) AS JSON) AS attributes,
  CAST(to_json(res) AS JSON) AS resource
FROM mapped;
