DELETE FROM spans WHERE source_id = $source_id;
DELETE FROM span_events WHERE source_id = $source_id;
DELETE FROM logs WHERE source_id = $source_id;
DELETE FROM metric_points WHERE source_id = $source_id;
DELETE FROM sources WHERE source_id = $source_id;
