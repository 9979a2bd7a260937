SELECT source_id, source_line, CAST(ts_ns AS VARCHAR) AS ts_ns, service, severity, body, trace_id, span_id
FROM logs
WHERE ($service IS NULL OR service = $service)
  AND ($severity IS NULL OR severity = $severity)
  AND ($text IS NULL OR body ILIKE '%' || $text || '%')
  AND ($trace_id IS NULL OR trace_id = $trace_id)
  AND ($source_id IS NULL OR source_id = $source_id)
  AND ($line IS NULL OR source_line = $line)
  AND ($from_ns IS NULL OR ts_ns >= $from_ns)
  AND ($to_ns IS NULL OR ts_ns <= $to_ns)
ORDER BY ts_ns
LIMIT $limit;
