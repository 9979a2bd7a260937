-- Deadline budgets across hops. Each call is linked to the call that brought the request into its
-- caller (through the caller's entry span, at most one same-service span above the client span),
-- which gives the caller's incoming deadline and, by recursion, the call's hop: 0 for a call that
-- enters the system, 1 for the first call made downstream of it, and so on. Per edge:
--   exceeds: the call's deadline is longer than what is left of the incoming one;
--   no_reserve: the call's deadline leaves the caller less reserve than the seed's decay model
--     (chapter 2.5): model = max(remaining * (1 - alpha) - 5 ms, 10 ms), alpha = min(0.1 + 0.05 * h, 0.3)
--     with h = hop - 1, which reproduces the seed's table (hop 1: 0.10, hop 3: 0.20, hop 5: 0.30);
--   retry_overruns: a logical call whose attempts together outlast the incoming budget (or outlive
--     an incoming call that already timed out).
-- Reads `deadline_calls`.
WITH RECURSIVE
-- Every finding below needs a deadline somewhere in the trace, or else (an attempt that outlived its
-- timed-out caller) a repeated call in a trace where some call timed out: only those calls are
-- walked. Repeated calls are found by grouping one integer per attempt group.
deadline_traces AS (
  SELECT DISTINCT trace_id FROM deadline_calls WHERE deadline_ms IS NOT NULL
),
timed_out_traces AS (
  SELECT DISTINCT trace_id FROM deadline_calls WHERE timed_out
),
attempts AS (
  SELECT *, hash(trace_id, caller, callee, COALESCE(caller_parent_id, caller_span_id), name) AS attempt_key
  FROM deadline_calls
  SEMI JOIN timed_out_traces USING (trace_id)
  ANTI JOIN deadline_traces USING (trace_id)
  WHERE callee IS NOT NULL
),
relevant_calls AS (
  SELECT * FROM deadline_calls SEMI JOIN deadline_traces USING (trace_id)
  UNION ALL
  SELECT * EXCLUDE (attempt_key) FROM attempts
  WHERE attempt_key IN (SELECT attempt_key FROM attempts GROUP BY 1 HAVING count(*) > 1)
),
-- The calls that brought requests into the relevant calls' callers, whichever they are.
incoming_calls AS (
  SELECT trace_id, callee_span_id, caller_span_id, deadline_ms, c_start_ns, c_end_ns, timed_out
  FROM deadline_calls
  WHERE callee_span_id IS NOT NULL AND trace_id IN (SELECT trace_id FROM relevant_calls)
),
span_parents AS (
  SELECT trace_id, span_id, parent_span_id, service FROM spans
  WHERE trace_id IN (SELECT trace_id FROM relevant_calls)
),
linked AS (
  SELECT d.*,
         CASE WHEN pp.service = d.caller THEN p.parent_span_id ELSE d.caller_parent_id END AS entry_span_id
  FROM relevant_calls d
  LEFT JOIN span_parents p ON p.trace_id = d.trace_id AND p.span_id = d.caller_parent_id AND p.service = d.caller
  LEFT JOIN span_parents pp ON pp.trace_id = p.trace_id AND pp.span_id = p.parent_span_id
),
chained AS (
  SELECT l.*, i.caller_span_id AS in_call_id, i.deadline_ms AS in_deadline_ms, i.c_start_ns AS in_start_ns,
         i.c_end_ns AS in_end_ns, i.timed_out AS in_timed_out
  FROM linked l
  LEFT JOIN incoming_calls i ON i.trace_id = l.trace_id AND i.callee_span_id = l.entry_span_id
),
-- Hops only matter where a call carries a deadline, so only traces with one are walked.
walked AS (
  SELECT trace_id, caller_span_id, in_call_id FROM chained SEMI JOIN deadline_traces USING (trace_id)
),
hops AS (
  SELECT trace_id, caller_span_id, 0 AS hop FROM walked WHERE in_call_id IS NULL
  UNION ALL
  SELECT c.trace_id, c.caller_span_id, h.hop + 1
  FROM walked c JOIN hops h ON c.trace_id = h.trace_id AND c.in_call_id = h.caller_span_id
  WHERE h.hop < 32
),
budgeted AS (
  SELECT c.*, h.hop,
         c.in_deadline_ms - (c.c_start_ns - c.in_start_ns) / 1e6 AS remaining_ms
  FROM chained c
  LEFT JOIN (SELECT trace_id, caller_span_id, min(hop) AS hop FROM hops GROUP BY ALL) h
    ON h.trace_id = c.trace_id AND h.caller_span_id = c.caller_span_id
  WHERE c.callee IS NOT NULL
),
judged AS (
  SELECT *,
         greatest(remaining_ms * (1 - least(0.1 + 0.05 * greatest(COALESCE(hop, 1) - 1, 0), 0.3)) - 5, 10) AS model_ms,
         deadline_ms > remaining_ms + greatest(1, 0.02 * remaining_ms) AS exceeds
  FROM budgeted
),
attempt_groups AS (
  SELECT trace_id, caller, callee, COALESCE(caller_parent_id, caller_span_id) AS parent_id, name,
         count(*) AS attempts,
         (max(c_end_ns) - min(c_start_ns)) / 1e6 AS attempts_ms,
         arg_min(remaining_ms, c_start_ns) AS remaining_ms,
         max(deadline_ms) AS attempt_deadline_ms,
         bool_or(in_timed_out AND c_end_ns > in_end_ns) AS outlived_caller,
         arg_min('span:' || trace_id || '/' || caller_span_id, c_start_ns) AS first_ref
  FROM judged
  GROUP BY ALL
  HAVING count(*) > 1
),
retry_overruns AS (
  SELECT caller, callee, count(*) AS retry_overruns, max(attempts) AS max_attempts,
         list(first_ref)[1:3] AS retry_refs
  FROM attempt_groups
  WHERE attempts_ms > remaining_ms OR attempts * attempt_deadline_ms > remaining_ms OR outlived_caller
  GROUP BY ALL
),
per_edge AS (
  SELECT caller, callee,
         count(*) FILTER (WHERE exceeds) AS exceeds,
         max(deadline_ms - remaining_ms) FILTER (WHERE exceeds) AS worst_excess_ms,
         list('span:' || trace_id || '/' || caller_span_id ORDER BY deadline_ms - remaining_ms DESC) FILTER (WHERE exceeds)[1:3] AS exceeds_refs,
         count(*) FILTER (WHERE NOT exceeds AND deadline_ms > model_ms + 1) AS no_reserve,
         count(*) FILTER (WHERE deadline_ms IS NOT NULL AND remaining_ms IS NOT NULL) AS budgeted_calls,
         median(remaining_ms) FILTER (WHERE deadline_ms IS NOT NULL) AS remaining_p50_ms,
         median(deadline_ms) FILTER (WHERE remaining_ms IS NOT NULL) AS deadline_p50_ms,
         median(model_ms) FILTER (WHERE deadline_ms IS NOT NULL) AS model_p50_ms,
         median(hop) FILTER (WHERE deadline_ms IS NOT NULL AND remaining_ms IS NOT NULL) AS hop,
         list('span:' || trace_id || '/' || caller_span_id) FILTER (WHERE NOT exceeds AND deadline_ms > model_ms + 1)[1:3] AS no_reserve_refs
  FROM judged
  GROUP BY caller, callee
)
SELECT p.*, COALESCE(r.retry_overruns, 0) AS retry_overruns, r.max_attempts, r.retry_refs
FROM per_edge p
LEFT JOIN retry_overruns r USING (caller, callee)
WHERE p.exceeds > 0 OR p.no_reserve > 0 OR r.retry_overruns > 0
ORDER BY caller, callee
