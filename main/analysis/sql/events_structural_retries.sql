-- Retries visible only in the trace's shape: a caller repeats the same operation on the same callee
-- under the same parent span, each attempt starting after the previous one ended. Spans already
-- marked as retries by their attributes are not counted twice.
INSERT INTO resilience_events (ts_ns, service, peer, kind, layer, trace_id, span_id, source, source_ref, details)
WITH repeatable AS (
  SELECT trace_id, caller_parent_id, caller_span_id, caller, callee, name, c_start_ns, c_end_ns,
         hash(trace_id, caller_parent_id, caller, callee, name) AS operation_key
  FROM call_pairs
  WHERE caller_parent_id IS NOT NULL AND caller_kind IN ('client', 'producer') AND callee IS NOT NULL
),
-- Only operations called more than once can hold a retry: they are found by grouping one integer,
-- and only their calls are sorted (a hash collision merely lets a few more calls through).
repeated AS (
  SELECT operation_key FROM repeatable GROUP BY operation_key HAVING count(*) > 1
),
ordered AS (
  SELECT *,
         row_number() OVER attempts AS attempt,
         lag(c_end_ns) OVER attempts AS previous_end_ns
  FROM repeatable
  SEMI JOIN repeated USING (operation_key)
  WINDOW attempts AS (PARTITION BY trace_id, caller_parent_id, caller, callee, name ORDER BY c_start_ns, caller_span_id)
)
SELECT c_start_ns, caller, callee, 'retry', 'service', trace_id, caller_span_id, 'span',
       'span:' || trace_id || '/' || caller_span_id,
       json_object('name', name, 'attempt', attempt, 'backoff_ms', (c_start_ns - previous_end_ns) / 1e6)
FROM ordered o
WHERE attempt > 1
  AND previous_end_ns <= c_start_ns
  AND NOT EXISTS (
    SELECT 1 FROM resilience_events r
    WHERE r.kind = 'retry' AND r.trace_id = o.trace_id AND r.span_id = o.caller_span_id
  )
