-- Log lines matching every given filter; an empty filter matches everything. `total` counts all matches.
SELECT
  'log:' || CAST(source_id AS VARCHAR) || ':' || CAST(source_line AS VARCHAR) AS ref,
  CAST(ts_ns AS VARCHAR) AS ts_ns,
  service,
  severity,
  body,
  trace_id,
  span_id,
  count(*) OVER () AS total
FROM logs
WHERE ($text = '' OR contains(lower(body), lower($text)))
  AND ($service = '' OR service = $service)
  AND ($severity = '' OR severity = $severity)
  AND ($trace_id = '' OR trace_id = $trace_id)
  AND ts_ns >= $from_ns AND ts_ns < $to_ns
ORDER BY ts_ns, source_id, source_line
LIMIT $limit
