SELECT count(*) AS n FROM (
  SELECT 1 FROM spans WHERE trace_id = $trace_id
  UNION ALL
  SELECT 1 FROM logs WHERE trace_id = $trace_id
  LIMIT 1
)
