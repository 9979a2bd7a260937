SELECT CAST(min(lo) AS VARCHAR) AS from_ns, CAST(max(hi) AS VARCHAR) AS to_ns
FROM (
  SELECT min(start_ns) AS lo, max(end_ns) AS hi FROM spans
  UNION ALL SELECT min(ts_ns), max(ts_ns) FROM logs
  UNION ALL SELECT min(ts_ns), max(ts_ns) FROM metric_points
);
