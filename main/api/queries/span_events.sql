SELECT CAST(ts_ns AS VARCHAR) AS ts_ns, name, CAST(attributes AS VARCHAR) AS attributes
FROM span_events
WHERE trace_id = $trace_id AND span_id = $span_id
ORDER BY ts_ns, name;
