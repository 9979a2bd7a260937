-- What the waterfall draws of each span, in start order, timed from the trace's first span.
-- Attributes come only where they may hold a deadline (deadlineBudgetMs reads grpc-timeout,
-- deadline_ms and timeout_ms), the status message only where a failure may have been a deadline:
-- the rest waits for getSpan.
SELECT span_id, parent_span_id, service, name, kind,
       min(start_ns) OVER () // 1000000 AS origin_ms,
       (start_ns - min(start_ns) OVER ()) / 1e6 AS offset_ms,
       duration_ns / 1e6 AS duration_ms, status_code, http_status, rpc_status,
       CASE WHEN status_code = 2 THEN status_message END AS status_message,
       CASE WHEN regexp_matches(CAST(attributes AS VARCHAR), '(?i)grpc-timeout|deadline_ms|timeout_ms') THEN CAST(attributes AS VARCHAR) END AS deadline_attributes
FROM spans
WHERE trace_id = $trace_id
ORDER BY start_ns, span_id;
