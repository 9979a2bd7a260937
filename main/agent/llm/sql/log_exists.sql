SELECT count(*) AS n FROM (SELECT 1 FROM logs WHERE source_id = $source_id AND source_line = $line LIMIT 1)
