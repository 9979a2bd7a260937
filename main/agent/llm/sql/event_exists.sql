SELECT count(*) AS n FROM (SELECT 1 FROM resilience_events WHERE kind = $kind AND service = $service AND ts_ns = $ts_ns LIMIT 1)
