-- The trace with the most spans, up to $max_spans: what warming the trace reads works through.
SELECT trace_id
FROM spans
GROUP BY trace_id
HAVING count(*) <= $max_spans
ORDER BY count(*) DESC, trace_id
LIMIT 1;
