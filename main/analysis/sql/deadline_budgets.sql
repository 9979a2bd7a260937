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
-- Reads `deadline_calls`. Calls and spans are linked by span key (a key names its trace too), and
-- evidence is named from spans last (span_ref_map). Evidence is picked by an order with no ties
-- (the worst, else the earliest calls; the key last), so the same telemetry cites the same spans.
WITH RECURSIVE
-- Every finding below needs a deadline somewhere in the trace, or else (an attempt that outlived its
-- timed-out caller) a repeated call in a trace where some call timed out: only those calls are
-- walked. Repeated calls are found by grouping one integer per attempt group.
deadline_traces AS (
  SELECT DISTINCT trace_key FROM deadline_calls WHERE deadline_ms IS NOT NULL
),
timed_out_traces AS (
  SELECT DISTINCT trace_key FROM deadline_calls WHERE timed_out
),
attempts AS (
  SELECT *, hash(caller, callee, COALESCE(caller_parent_key, caller_key), name_key) AS attempt_key
  FROM deadline_calls
  SEMI JOIN timed_out_traces USING (trace_key)
  ANTI JOIN deadline_traces USING (trace_key)
  WHERE callee IS NOT NULL
),
relevant_calls AS (
  SELECT * FROM deadline_calls SEMI JOIN deadline_traces USING (trace_key)
  UNION ALL
  SELECT * EXCLUDE (attempt_key) FROM attempts
  WHERE attempt_key IN (SELECT attempt_key FROM attempts GROUP BY 1 HAVING count(*) > 1)
),
-- The calls that brought requests into the relevant calls' callers, whichever they are.
incoming_calls AS (
  SELECT callee_key, caller_key, deadline_ms, c_start_ns, c_end_ns, timed_out
  FROM deadline_calls
  WHERE callee_key IS NOT NULL AND trace_key IN (SELECT trace_key FROM relevant_calls)
),
span_parents AS (
  SELECT hash(trace_id, span_id) AS span_key,
         CASE WHEN parent_span_id IS NOT NULL THEN hash(trace_id, parent_span_id) END AS parent_key, service
  FROM spans
  WHERE hash(trace_id) IN (SELECT trace_key FROM relevant_calls)
),
linked AS (
  SELECT d.*,
         CASE WHEN pp.service = d.caller THEN p.parent_key ELSE d.caller_parent_key END AS entry_key
  FROM relevant_calls d
  LEFT JOIN span_parents p ON p.span_key = d.caller_parent_key AND p.service = d.caller
  LEFT JOIN span_parents pp ON pp.span_key = p.parent_key
),
chained AS (
  SELECT l.*, i.caller_key AS in_call_key, i.deadline_ms AS in_deadline_ms, i.c_start_ns AS in_start_ns,
         i.c_end_ns AS in_end_ns, i.timed_out AS in_timed_out
  FROM linked l
  LEFT JOIN incoming_calls i ON i.callee_key = l.entry_key
),
-- Hops only matter where a call carries a deadline, so only traces with one are walked.
walked AS (
  SELECT caller_key, in_call_key FROM chained SEMI JOIN deadline_traces USING (trace_key)
),
hops AS (
  SELECT caller_key, 0 AS hop FROM walked WHERE in_call_key IS NULL
  UNION ALL
  SELECT c.caller_key, h.hop + 1
  FROM walked c JOIN hops h ON c.in_call_key = h.caller_key
  WHERE h.hop < 32
),
budgeted AS (
  SELECT c.*, h.hop,
         c.in_deadline_ms - (c.c_start_ns - c.in_start_ns) / 1e6 AS remaining_ms
  FROM chained c
  LEFT JOIN (SELECT caller_key, min(hop) AS hop FROM hops GROUP BY ALL) h ON h.caller_key = c.caller_key
  WHERE c.callee IS NOT NULL
),
judged AS (
  SELECT *,
         greatest(remaining_ms * (1 - least(0.1 + 0.05 * greatest(COALESCE(hop, 1) - 1, 0), 0.3)) - 5, 10) AS model_ms,
         deadline_ms > remaining_ms + greatest(1, 0.02 * remaining_ms) AS exceeds
  FROM budgeted
),
attempt_groups AS (
  SELECT caller, callee, COALESCE(caller_parent_key, caller_key) AS parent_key, name_key,
         count(*) AS attempts,
         (max(c_end_ns) - min(c_start_ns)) / 1e6 AS attempts_ms,
         arg_min(remaining_ms, c_start_ns) AS remaining_ms,
         max(deadline_ms) AS attempt_deadline_ms,
         bool_or(in_timed_out AND c_end_ns > in_end_ns) AS outlived_caller,
         arg_min(caller_key, c_start_ns) AS first_key,
         min(c_start_ns) AS first_start_ns
  FROM judged
  GROUP BY ALL
  HAVING count(*) > 1
),
retry_overruns AS (
  SELECT caller, callee, count(*) AS retry_overruns, max(attempts) AS max_attempts,
         arg_min(first_key, (first_start_ns, first_key), 3) AS retry_keys
  FROM attempt_groups
  WHERE attempts_ms > remaining_ms OR attempts * attempt_deadline_ms > remaining_ms OR outlived_caller
  GROUP BY ALL
),
per_edge AS (
  SELECT caller, callee,
         count(*) FILTER (WHERE exceeds) AS exceeds,
         max(deadline_ms - remaining_ms) FILTER (WHERE exceeds) AS worst_excess_ms,
         arg_max(caller_key, (deadline_ms - remaining_ms, -c_start_ns, caller_key), 3) FILTER (WHERE exceeds) AS exceeds_keys,
         count(*) FILTER (WHERE NOT exceeds AND deadline_ms > model_ms + 1) AS no_reserve,
         count(*) FILTER (WHERE deadline_ms IS NOT NULL AND remaining_ms IS NOT NULL) AS budgeted_calls,
         median(remaining_ms) FILTER (WHERE deadline_ms IS NOT NULL) AS remaining_p50_ms,
         median(deadline_ms) FILTER (WHERE remaining_ms IS NOT NULL) AS deadline_p50_ms,
         median(model_ms) FILTER (WHERE deadline_ms IS NOT NULL) AS model_p50_ms,
         median(hop) FILTER (WHERE deadline_ms IS NOT NULL AND remaining_ms IS NOT NULL) AS hop,
         arg_min(caller_key, (c_start_ns, caller_key), 3) FILTER (WHERE NOT exceeds AND deadline_ms > model_ms + 1) AS no_reserve_keys
  FROM judged
  GROUP BY caller, callee
),
findings AS (
  SELECT p.*, COALESCE(r.retry_overruns, 0) AS retry_overruns, r.max_attempts, r.retry_keys
  FROM per_edge p
  LEFT JOIN retry_overruns r USING (caller, callee)
  WHERE p.exceeds > 0 OR p.no_reserve > 0 OR r.retry_overruns > 0
)
SELECT f.* EXCLUDE (exceeds_keys, no_reserve_keys, retry_keys),
       list_transform(f.exceeds_keys, key -> r.ref_of[key]) AS exceeds_refs,
       list_transform(f.no_reserve_keys, key -> r.ref_of[key]) AS no_reserve_refs,
       list_transform(f.retry_keys, key -> r.ref_of[key]) AS retry_refs
FROM findings f, span_ref_map((SELECT flatten(list(list_concat(exceeds_keys, no_reserve_keys, retry_keys))) FROM findings)) r
ORDER BY f.caller, f.callee
