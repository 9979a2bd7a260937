-- Per metric series whose name matches $name_pattern: its baseline level and spread, its incident
-- peak, and when it first left the baseline band (or reached the limit it is a share of). Counters
-- become per-second rates first.
WITH raw AS (
  SELECT service, name, CAST(labels AS VARCHAR) AS labels, ts_ns, value,
         metric_type = 'counter' OR regexp_matches(name, '(_total|_count|_sum)$') AS cumulative
  FROM metric_points
  WHERE service IS NOT NULL AND ts_ns >= least($base_from, $search_from) AND ts_ns < greatest($base_to, $inc_to)
    AND regexp_matches(lower(name), $name_pattern)
),
points AS (
  SELECT service, name, labels, ts_ns,
         CASE WHEN cumulative
              THEN (value - lag(value) OVER w) / nullif((ts_ns - lag(ts_ns) OVER w) / 1e9, 0)
              ELSE value END AS v
  FROM raw
  WINDOW w AS (PARTITION BY service, name, labels ORDER BY ts_ns)
),
valid AS (SELECT * FROM points WHERE v IS NOT NULL AND v >= 0 AND isfinite(v)),
stats AS (
  SELECT service, name, labels,
         avg(v) FILTER (WHERE ts_ns >= $base_from AND ts_ns < $base_to) AS base_mean,
         coalesce(stddev_pop(v) FILTER (WHERE ts_ns >= $base_from AND ts_ns < $base_to), 0) AS base_sd,
         count(*) FILTER (WHERE ts_ns >= $base_from AND ts_ns < $base_to) AS base_n,
         max(v) FILTER (WHERE ts_ns >= $inc_from AND ts_ns < $inc_to) AS inc_max,
         avg(v) FILTER (WHERE ts_ns >= $inc_from AND ts_ns < $inc_to) AS inc_mean,
         count(*) FILTER (WHERE ts_ns >= $inc_from AND ts_ns < $inc_to) AS inc_n,
         max(v) AS max_v
  FROM valid GROUP BY ALL
),
-- A share of a limit (CPU or memory use in percent or as a ratio) tops out at its limit, so a noisy
-- series can never leave its band by much: reaching the limit is the anomaly.
scaled AS (
  SELECT * EXCLUDE (max_v),
         CASE WHEN regexp_matches(lower(name), '%|percent|pct') THEN 100
              WHEN regexp_matches(lower(name), 'util|ratio|usage_?rate') THEN CASE WHEN max_v <= 1.5 THEN 1 ELSE 100 END
         END AS full_scale
  FROM stats
),
banded AS (
  SELECT * EXCLUDE (full_scale),
         CASE WHEN full_scale IS NOT NULL AND base_mean < 0.85 * full_scale
              THEN least(base_mean + 4 * (base_sd + 0.05 * abs(base_mean)), 0.95 * full_scale)
              ELSE base_mean + 4 * (base_sd + 0.05 * abs(base_mean)) END + 1e-9 AS upper_band
  FROM scaled WHERE base_n >= 3
)
SELECT b.service, b.name, b.labels, b.base_mean, b.base_sd, b.inc_max, b.inc_mean, b.inc_n, b.upper_band,
       CAST(min(p.ts_ns) FILTER (WHERE p.ts_ns >= $search_from AND p.ts_ns < $inc_to AND p.v > b.upper_band) AS VARCHAR) AS onset_ns,
       count(*) FILTER (WHERE p.ts_ns >= $inc_from AND p.ts_ns < $inc_to AND p.v > b.upper_band) AS points_above
FROM banded b JOIN valid p ON p.service = b.service AND p.name = b.name AND p.labels = b.labels
WHERE b.inc_max > b.upper_band
GROUP BY ALL
