-- When each kind of telemetry loaded begins; no row for a kind none of which is loaded.
SELECT * FROM (
  SELECT 'spans' AS signal, CAST(min(start_ns) AS VARCHAR) AS from_ns FROM spans
  UNION ALL
  SELECT 'logs', CAST(min(ts_ns) AS VARCHAR) FROM logs
  UNION ALL
  SELECT 'metrics', CAST(min(ts_ns) AS VARCHAR) FROM metric_points
)
WHERE from_ns IS NOT NULL
