-- Per service, over a window: requests it served (server, consumer or root spans), how many of
-- them failed, their latency percentiles, and how many of its spans (served or outgoing calls)
-- timed out. Spans of no kind count as served when they are their service's entry
-- (schema/008_kindless_entries.sql).
WITH scoped AS (
  SELECT service, duration_ns, status_code, http_status,
         (kind IN ('server', 'consumer') OR parent_span_id IS NULL
          OR (kind = 'unspecified' AND hash(trace_id, span_id) IN (SELECT span_key FROM kindless_entries))) AS served,
         -- A CASE, not an AND: only the failed spans' texts are then lower-cased and matched.
         CASE WHEN status_code = 2 OR http_status >= 500
              THEN rpc_status = 4 OR http_status IN (408, 504)
                   OR regexp_matches(lower(coalesce(status_message, '')), 'deadline|timeout|timed out')
              ELSE false END AS timed_out
  FROM spans
  WHERE start_ns >= $from_ns AND start_ns < $to_ns
)
SELECT
  service,
  count(*) FILTER (WHERE served) AS requests,
  count(*) FILTER (WHERE served AND (status_code = 2 OR http_status >= 500)) AS errors,
  count(*) FILTER (WHERE timed_out) AS timeouts,
  quantile_cont(duration_ns, 0.5) FILTER (WHERE served) / 1e6 AS p50_ms,
  quantile_cont(duration_ns, 0.99) FILTER (WHERE served) / 1e6 AS p99_ms
FROM scoped
GROUP BY service
ORDER BY errors DESC, requests DESC, service
