SELECT trace_id, span_id, parent_span_id, service, name, kind, CAST(start_ns AS VARCHAR) AS start_ns,
       duration_ns / 1e6 AS duration_ms, status_code, status_message, http_status, rpc_status,
       CAST(attributes AS VARCHAR) AS attributes
FROM spans
WHERE trace_id = $trace_id AND span_id = $span_id
ORDER BY start_ns
LIMIT 1;
