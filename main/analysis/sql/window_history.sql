-- The earliest timestamp any signal holds: metrics and logs often reach further back than traces.
SELECT CAST(least((SELECT min(start_ns) FROM spans), (SELECT min(ts_ns) FROM logs), (SELECT min(ts_ns) FROM metric_points)) AS VARCHAR) AS from_ns
