-- Breakers seen only through their behaviour: runs of client calls refused without reaching the
-- callee ("circuit breaker is open", CallNotPermittedException), not interrupted by an answered
-- call on the same edge. Reads the call_pairs table and the span events already derived.
WITH rejected AS (
  SELECT hash(trace_id, span_id) AS span_key, any_value(source_ref) AS ref
  FROM resilience_events
  WHERE kind = 'breaker_rejected' AND source = 'span'
  GROUP BY 1
),
edge_calls AS (
  SELECT p.caller, p.callee, p.c_start_ns, p.c_start_ns + p.c_duration_ns AS c_end_ns, r.ref,
         (p.callee_key IS NULL AND r.span_key IS NOT NULL) AS fast_failure
  FROM call_pairs p
  LEFT JOIN rejected r ON r.span_key = p.caller_key
  WHERE p.callee IS NOT NULL AND p.caller_kind IN ('client', 'producer')
),
-- Only edges with a refused call are numbered: ordering every call of every edge would cost most of
-- this query, and most workspaces have few such edges or none.
refusing_edges AS (
  SELECT DISTINCT caller, callee FROM edge_calls WHERE fast_failure
),
numbered AS (
  SELECT *, sum(CASE WHEN fast_failure THEN 0 ELSE 1 END)
              OVER (PARTITION BY caller, callee ORDER BY c_start_ns ROWS UNBOUNDED PRECEDING) AS episode
  FROM edge_calls
  SEMI JOIN refusing_edges USING (caller, callee)
)
SELECT
  caller AS service,
  callee,
  min(c_start_ns)::VARCHAR AS opened_ns,
  max(c_end_ns)::VARCHAR AS closed_ns,
  count(*) AS rejected,
  arg_min(ref, c_start_ns) AS first_ref,
  arg_max(ref, c_end_ns) AS last_ref
FROM numbered
WHERE fast_failure
GROUP BY caller, callee, episode
ORDER BY caller, callee, min(c_start_ns)
