-- One row per trace: its root span (no parent in the trace), total duration and whether any span failed.
WITH trace_stats AS (
  SELECT trace_id,
         min(start_ns) AS start_ns,
         max(end_ns) - min(start_ns) AS duration_ns,
         bool_or(status_code = 2) AS error,
         bool_or($service IS NULL OR service = $service) AS touches_service
  FROM spans
  WHERE ($from_ns IS NULL OR start_ns >= $from_ns)
    AND ($to_ns IS NULL OR start_ns <= $to_ns)
  GROUP BY trace_id
),
roots AS (
  SELECT s.trace_id, arg_min(s.service || ' ' || s.name, s.start_ns) AS root
  FROM spans s
  WHERE s.parent_span_id IS NULL OR s.parent_span_id = ''
  GROUP BY s.trace_id
)
SELECT t.trace_id, coalesce(r.root, '') AS root, t.duration_ns / 1e6 AS duration_ms, t.error,
       CAST(t.start_ns AS VARCHAR) AS start_ns
FROM trace_stats t
LEFT JOIN roots r USING (trace_id)
WHERE t.touches_service AND (NOT $error_only OR t.error)
ORDER BY t.error DESC, t.duration_ns DESC
LIMIT $limit;
