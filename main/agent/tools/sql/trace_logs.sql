-- The log lines linked to one trace, in time order.
SELECT
  'log:' || CAST(source_id AS VARCHAR) || ':' || CAST(source_line AS VARCHAR) AS ref,
  CAST(ts_ns AS VARCHAR) AS ts_ns,
  service,
  severity,
  body,
  span_id
FROM logs
WHERE trace_id = $trace_id
ORDER BY ts_ns, source_id, source_line
LIMIT $limit
