-- The metric series matching a name, a name pattern (SQL LIKE) and a service ('' for any), with
-- their point counts.
SELECT name, service, CAST(labels AS VARCHAR) AS labels, count(*) AS points,
       bool_or(metric_type = 'counter' OR regexp_matches(name, '(_total|_count|_sum)$')) AS cumulative
FROM metric_points
WHERE ($name = '' OR name = $name)
  AND ($name_like = '' OR name ILIKE $name_like)
  AND ($service = '' OR service = $service)
  AND ts_ns >= $from_ns AND ts_ns < $to_ns
GROUP BY ALL
ORDER BY name, service, labels
LIMIT $max_series
