SELECT source_id, path, format, bytes, timezone, strftime(imported_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS imported_at,
       spans, logs, metric_points, CAST(errors AS VARCHAR) AS errors
FROM sources
ORDER BY source_id;
