SELECT source_id, source_line, CAST(ts_ns AS VARCHAR) AS ts_ns, service, severity, body, trace_id, span_id
FROM logs
WHERE trace_id = $trace_id AND span_id = $span_id
ORDER BY ts_ns
LIMIT 1000;
