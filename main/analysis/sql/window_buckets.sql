-- Per time bucket and service: requests, errors and mean duration of the service's entry spans
-- (server or consumer spans, roots, or spans of no kind whose parent is another service's:
-- schema/008_kindless_entries.sql), the raw material for finding the incident window. Log
-- lines count too, as a separate series per service ("<service>#logs", errors = ERROR and FATAL
-- lines), so that exports without traces still show when things went wrong.
SELECT
  CAST(floor((start_ns - $origin_ns) / $step_ns) AS BIGINT) AS bucket,
  service,
  count(*) AS n,
  count(*) FILTER (WHERE status_code = 2 OR http_status >= 500) AS errors,
  avg(duration_ns) / 1e6 AS mean_ms
FROM spans
WHERE (kind IN ('server', 'consumer') OR parent_span_id IS NULL
       OR (kind = 'unspecified' AND hash(trace_id, span_id) IN (SELECT span_key FROM kindless_entries)))
  AND start_ns >= $origin_ns AND start_ns < $end_ns
GROUP BY ALL
UNION ALL
SELECT
  CAST(floor((ts_ns - $origin_ns) / $step_ns) AS BIGINT) AS bucket,
  coalesce(service, '') || '#logs' AS service,
  count(*) AS n,
  count(*) FILTER (WHERE severity IN ('ERROR', 'FATAL')) AS errors,
  0 AS mean_ms
FROM logs
WHERE ts_ns >= $origin_ns AND ts_ns < $end_ns
GROUP BY ALL
