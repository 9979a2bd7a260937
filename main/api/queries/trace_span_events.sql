SELECT span_id, CAST(ts_ns AS VARCHAR) AS ts_ns, name, CAST(attributes AS VARCHAR) AS attributes
FROM span_events
WHERE trace_id = $trace_id
ORDER BY ts_ns, name;
