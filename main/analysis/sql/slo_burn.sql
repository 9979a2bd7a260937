-- Error ratios per service over 5-minute buckets of its served requests (as stats_services.sql
-- counts them), with the trailing hour (12 buckets) beside each, for burn rates.
WITH buckets AS (
  SELECT service, start_ns // 300000000000 AS bucket,
         count(*) AS requests,
         count(*) FILTER (WHERE status_code = 2 OR http_status >= 500) AS errors
  FROM spans
  WHERE (kind IN ('server', 'consumer') OR parent_span_id IS NULL
         OR (kind = 'unspecified' AND hash(trace_id, span_id) IN (SELECT span_key FROM kindless_entries)))
    AND start_ns >= $from_ns AND start_ns < $to_ns
  GROUP BY ALL
)
SELECT service, CAST(bucket * 300000000000 AS VARCHAR) AS bucket_ns, requests, errors,
       sum(requests) OVER hour AS hour_requests,
       sum(errors) OVER hour AS hour_errors
FROM buckets
WINDOW hour AS (PARTITION BY service ORDER BY bucket RANGE BETWEEN 11 PRECEDING AND CURRENT ROW)
ORDER BY service, bucket
