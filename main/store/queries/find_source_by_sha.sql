SELECT source_id, spans, logs, metric_points FROM sources WHERE sha256 = $sha256;
