-- Per service, over a window: requests it served (server, consumer or root spans), how many failed
-- or timed out, and their latency percentiles.
SELECT
  service,
  count(*) AS requests,
  count(*) FILTER (WHERE status_code = 2 OR http_status >= 500) AS errors,
  count(*) FILTER (WHERE rpc_status = 4 OR http_status IN (408, 504)
                     OR regexp_matches(lower(coalesce(status_message, '')), 'deadline|timeout|timed out')) AS timeouts,
  quantile_cont(duration_ns, 0.5) / 1e6 AS p50_ms,
  quantile_cont(duration_ns, 0.99) / 1e6 AS p99_ms
FROM spans
WHERE (kind IN ('server', 'consumer') OR parent_span_id IS NULL)
  AND start_ns >= $from_ns AND start_ns < $to_ns
GROUP BY service
ORDER BY errors DESC, requests DESC, service
