-- For each call edge whose calls timed out during the incident: how long the caller waited before
-- giving up, against how long the callee's own server spans took in the baseline. A caller that
-- gives up before the callee's normal latency has a timeout that is too tight.
WITH timed_out AS (
  SELECT c.service AS caller, coalesce(c.peer_service, s.service) AS callee, c.duration_ns
  FROM spans c
  LEFT JOIN spans s ON s.trace_id = c.trace_id AND s.parent_span_id = c.span_id AND s.kind IN ('server', 'consumer')
  WHERE c.kind IN ('client', 'producer')
    AND c.start_ns >= $inc_from AND c.start_ns < $inc_to
    AND (c.status_code = 2 OR c.http_status >= 500)
    AND (c.rpc_status = 4 OR c.http_status IN (408, 504) OR regexp_matches(lower(coalesce(c.status_message, '')), 'deadline|timeout|timed out'))
    AND NOT regexp_matches(lower(coalesce(c.status_message, '')), 'pool|acquire')
    -- The caller's own timer fired: the callee did not answer with the failure itself, and the
    -- caller waited at all (a zero wait means the budget was already spent upstream).
    AND (s.span_id IS NULL OR s.status_code <> 2 OR s.end_ns > c.end_ns)
    AND c.duration_ns >= 1000000
),
edges AS (
  SELECT caller, callee, count(*) AS timeouts, median(duration_ns) / 1e6 AS wait_ms
  FROM timed_out WHERE callee IS NOT NULL GROUP BY ALL
),
-- Only the callees of those edges: a quantile keeps every duration it reads, so computing them for
-- every service (when nothing timed out, for none needed) cost more than the rest of the query.
callee_latency AS (
  SELECT service,
         quantile_cont(duration_ns, 0.5) FILTER (WHERE start_ns >= $base_from AND start_ns < $base_to) / 1e6 AS base_p50_ms,
         quantile_cont(duration_ns, 0.99) FILTER (WHERE start_ns >= $base_from AND start_ns < $base_to) / 1e6 AS base_p99_ms,
         quantile_cont(duration_ns, 0.5) FILTER (WHERE start_ns >= $inc_from AND start_ns < $inc_to) / 1e6 AS inc_p50_ms
  FROM spans
  WHERE kind IN ('server', 'consumer') AND start_ns >= least($base_from, $inc_from) AND start_ns < greatest($base_to, $inc_to)
    AND service IN (SELECT callee FROM edges)
  GROUP BY service
)
SELECT e.caller, e.callee, e.timeouts, e.wait_ms, l.base_p50_ms, l.base_p99_ms, l.inc_p50_ms
FROM edges e JOIN callee_latency l ON l.service = e.callee
WHERE e.caller <> e.callee
