-- The time range the loaded spans cover; logs and metrics as a fallback when there are no spans.
SELECT
  CAST(coalesce((SELECT min(start_ns) FROM spans), (SELECT min(ts_ns) FROM logs), (SELECT min(ts_ns) FROM metric_points)) AS VARCHAR) AS from_ns,
  CAST(coalesce((SELECT max(end_ns) FROM spans), (SELECT max(ts_ns) FROM logs), (SELECT max(ts_ns) FROM metric_points)) AS VARCHAR) AS to_ns
