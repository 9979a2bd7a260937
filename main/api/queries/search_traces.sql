-- Traces matching a search, newest problems first: one row per trace with its root span.
WITH matching AS (
  SELECT DISTINCT trace_id
  FROM spans
  WHERE ($service = '' OR service = $service)
    AND ($operation = '' OR name ILIKE '%' || $operation || '%')
    -- `->>` with a plain name reads that key, dots and all (it binds loosely: keep the parentheses).
    AND ($attribute_key = '' OR (attributes ->> coalesce(nullif($attribute_key, ''), 'unused')) = $attribute_value)
    AND ($from_ns IS NULL OR start_ns >= $from_ns)
    AND ($to_ns IS NULL OR start_ns <= $to_ns)
),
traces AS (
  SELECT s.trace_id,
         min(s.start_ns) AS start_ns,
         (max(s.end_ns) - min(s.start_ns)) / 1e6 AS duration_ms,
         count(*) AS spans,
         list(DISTINCT s.service ORDER BY s.service) AS services,
         bool_or(s.status_code = 2) AS error,
         arg_min(s.service, CASE WHEN s.parent_span_id IS NULL OR s.parent_span_id = '' THEN s.start_ns ELSE s.start_ns + 9e18 END) AS root_service,
         arg_min(s.name, CASE WHEN s.parent_span_id IS NULL OR s.parent_span_id = '' THEN s.start_ns ELSE s.start_ns + 9e18 END) AS root_name
  FROM spans s
  JOIN matching USING (trace_id)
  GROUP BY s.trace_id
)
SELECT trace_id, root_service, root_name, CAST(start_ns AS VARCHAR) AS start_ns, duration_ms, spans, services, error
FROM traces
WHERE ($status = '' OR ($status = 'error') = error)
  AND duration_ms >= $min_duration_ms
  AND duration_ms <= $max_duration_ms
ORDER BY error DESC, start_ns DESC
LIMIT $limit;
