-- Work begun after the caller gave up: a server span that starts outgoing calls after the client span
-- that called it has already timed out. A service that does this neither honours nor propagates its
-- caller's deadline. The 10 ms margin absorbs clock skew between hosts.
SELECT srv.service AS service, cli.service AS caller,
       count(*) FILTER (WHERE cli.start_ns >= $base_from AND cli.start_ns < $base_to) AS base_late_calls,
       count(*) FILTER (WHERE cli.start_ns >= $inc_from AND cli.start_ns < $inc_to) AS inc_late_calls,
       count(DISTINCT srv.span_id) FILTER (WHERE cli.start_ns >= $inc_from AND cli.start_ns < $inc_to) AS inc_late_requests,
       CAST(min(child.start_ns) FILTER (WHERE cli.start_ns >= $search_from AND cli.start_ns < $inc_to) AS VARCHAR) AS first_ns,
       arg_min(child.trace_id || '/' || child.span_id, child.start_ns) FILTER (WHERE cli.start_ns >= $search_from AND cli.start_ns < $inc_to) AS first_ref
FROM spans cli
JOIN spans srv ON srv.trace_id = cli.trace_id AND srv.parent_span_id = cli.span_id AND srv.kind IN ('server', 'consumer')
JOIN spans child ON child.trace_id = srv.trace_id AND child.parent_span_id = srv.span_id AND child.kind IN ('client', 'producer')
WHERE cli.kind IN ('client', 'producer')
  AND cli.start_ns >= least($base_from, $search_from) AND cli.start_ns < greatest($base_to, $inc_to)
  AND (cli.status_code = 2 OR cli.http_status >= 500)
  AND child.start_ns > cli.end_ns + 10000000
GROUP BY ALL
