-- Retries visible only in the trace's shape: a caller repeats the same operation on the same callee
-- under the same parent span, each attempt starting after the previous one ended. Spans already
-- marked as retries by their attributes are not counted twice.
INSERT INTO resilience_events (ts_ns, service, peer, kind, layer, trace_id, span_id, source, source_ref, details)
WITH repeatable AS (
  SELECT caller_parent_key, caller_key, caller, callee, name_key, c_start_ns, c_start_ns + c_duration_ns AS c_end_ns,
         hash(caller_parent_key, caller, callee, name_key) AS operation_key
  FROM call_pairs
  WHERE caller_parent_key IS NOT NULL AND caller_kind IN ('client', 'producer') AND callee IS NOT NULL
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
  -- The parent's key names its trace too.
  WINDOW attempts AS (PARTITION BY caller_parent_key, caller, callee, name_key ORDER BY c_start_ns, caller_key)
),
retries AS (
  SELECT * FROM ordered WHERE attempt > 1 AND previous_end_ns <= c_start_ns
),
-- The retried spans' ids and operation, read back from spans for these calls only.
retried_spans AS (
  SELECT hash(trace_id, span_id) AS span_key, any_value(trace_id) AS trace_id, any_value(span_id) AS span_id, any_value(name) AS name
  FROM spans
  WHERE hash(trace_id, span_id) IN (SELECT caller_key FROM retries)
  GROUP BY 1
)
SELECT r.c_start_ns, r.caller, r.callee, 'retry', 'service', s.trace_id, s.span_id, 'span',
       'span:' || s.trace_id || '/' || s.span_id,
       json_object('name', s.name, 'attempt', r.attempt, 'backoff_ms', (r.c_start_ns - r.previous_end_ns) / 1e6)
FROM retries r
JOIN retried_spans s ON s.span_key = r.caller_key
WHERE NOT EXISTS (
  SELECT 1 FROM resilience_events e
  WHERE e.kind = 'retry' AND e.trace_id = s.trace_id AND e.span_id = s.span_id
)
