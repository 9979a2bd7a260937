SELECT source_id, spans, logs, metric_points, timezone FROM sources WHERE sha256 = $sha256;
