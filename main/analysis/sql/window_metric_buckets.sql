-- Per time bucket and gauge series of a mechanism family ($name_pattern): the mean level, shaped
-- like window_buckets.sql (level in mean_ms, no errors) so the same badness applies. Used only when
-- spans and logs show no incident. Cumulative series are left out: they only ever grow.
SELECT
  CAST(floor((ts_ns - $origin_ns) / $step_ns) AS BIGINT) AS bucket,
  coalesce(service, '') || '#' || name || CAST(labels AS VARCHAR) AS service,
  count(*) AS n,
  0 AS errors,
  avg(value) AS mean_ms
FROM metric_points
WHERE ts_ns >= $origin_ns AND ts_ns < $end_ns
  AND metric_type <> 'counter' AND NOT regexp_matches(name, '(_total|_count|_sum|_bucket)$')
  AND regexp_matches(lower(name), $name_pattern)
GROUP BY ALL
