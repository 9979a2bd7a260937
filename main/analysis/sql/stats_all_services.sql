-- Every service any signal names, so services that only log or only export metrics still appear.
SELECT DISTINCT service FROM (
  SELECT service FROM spans
  UNION ALL SELECT service FROM logs WHERE service IS NOT NULL
  UNION ALL SELECT service FROM metric_points WHERE service IS NOT NULL
)
ORDER BY service
