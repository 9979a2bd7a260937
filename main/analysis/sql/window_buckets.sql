-- Per time bucket and service: requests, errors and mean duration of the service's entry spans
-- (server or consumer spans, or roots), the raw material for finding the incident window.
SELECT
  CAST(floor((start_ns - $origin_ns) / $step_ns) AS BIGINT) AS bucket,
  service,
  count(*) AS n,
  count(*) FILTER (WHERE status_code = 2 OR http_status >= 500) AS errors,
  avg(duration_ns) / 1e6 AS mean_ms
FROM spans
WHERE (kind IN ('server', 'consumer') OR parent_span_id IS NULL)
  AND start_ns >= $origin_ns AND start_ns < $end_ns
GROUP BY ALL
