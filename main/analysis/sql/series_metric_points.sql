-- One series' points, averaged into buckets of $step_ns when the series is longer than the chart
-- can show. Counters are shown as per-second rates (resets dropped).
WITH raw AS (
  SELECT ts_ns, value,
         (value - lag(value) OVER (ORDER BY ts_ns)) / nullif((ts_ns - lag(ts_ns) OVER (ORDER BY ts_ns)) / 1e9, 0) AS rate
  FROM metric_points
  WHERE name = $name AND coalesce(service, '') = $service AND CAST(labels AS VARCHAR) = $labels
    AND ts_ns >= $from_ns AND ts_ns < $to_ns
),
points AS (
  SELECT ts_ns, CASE WHEN $cumulative THEN rate ELSE value END AS v FROM raw
)
SELECT CAST((ts_ns // $step_ns) * $step_ns AS VARCHAR) AS ts_ns, avg(v) AS value
FROM points
WHERE v IS NOT NULL AND isfinite(v) AND (NOT $cumulative OR v >= 0)
GROUP BY 1
ORDER BY 1
