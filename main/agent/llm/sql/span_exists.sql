SELECT count(*) AS n FROM (SELECT 1 FROM spans WHERE trace_id = $trace_id AND span_id = $span_id LIMIT 1)
