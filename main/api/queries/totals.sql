SELECT (SELECT count(*) FROM spans) AS spans,
       (SELECT count(*) FROM logs) AS logs,
       (SELECT count(*) FROM metric_points) AS metric_points;
