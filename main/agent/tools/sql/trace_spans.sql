-- The spans of one trace in start order; one more than the limit tells the caller it was cut.
SELECT
  span_id,
  parent_span_id,
  service,
  name,
  kind,
  CAST(start_ns AS VARCHAR) AS start_ns,
  duration_ns / 1e6 AS duration_ms,
  status_code,
  status_message,
  http_status,
  rpc_status,
  peer_service
FROM spans
WHERE trace_id = $trace_id
ORDER BY start_ns, span_id
LIMIT $limit
