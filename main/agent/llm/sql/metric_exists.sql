SELECT count(*) AS n FROM (SELECT 1 FROM metric_points WHERE name = $name LIMIT 1)
