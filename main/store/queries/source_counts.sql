SELECT
  (SELECT count(*) FROM spans WHERE source_id = $source_id) AS spans,
  (SELECT count(*) FROM logs WHERE source_id = $source_id) AS logs,
  (SELECT count(*) FROM metric_points WHERE source_id = $source_id) AS metric_points;
