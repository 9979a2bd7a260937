UPDATE sources SET
  sha256 = $sha256,
  spans = (SELECT count(*) FROM spans WHERE source_id = $source_id),
  logs = (SELECT count(*) FROM logs WHERE source_id = $source_id),
  metric_points = (SELECT count(*) FROM metric_points WHERE source_id = $source_id),
  errors = $errors
WHERE source_id = $source_id;
