-- The earliest and latest timestamp of any span, log or metric point.
SELECT CAST(min(ts) AS VARCHAR) AS from_ns, CAST(max(ts) AS VARCHAR) AS to_ns FROM (
  SELECT min(start_ns) AS ts FROM spans UNION ALL SELECT max(end_ns) FROM spans
  UNION ALL SELECT min(ts_ns) FROM logs UNION ALL SELECT max(ts_ns) FROM logs
  UNION ALL SELECT min(ts_ns) FROM metric_points UNION ALL SELECT max(ts_ns) FROM metric_points
)
