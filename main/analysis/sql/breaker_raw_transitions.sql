-- Breaker transitions as each instance reported them (log lines, state gauges), oldest first.
SELECT
  ts_ns::VARCHAR AS ts_ns,
  service,
  source,
  source_ref,
  json_extract_string(details, '$.breaker') AS breaker,
  json_extract_string(details, '$.from') AS from_state,
  json_extract_string(details, '$.to') AS to_state,
  json_extract_string(details, '$.instance') AS instance
FROM resilience_events
WHERE kind = 'breaker_transition'
ORDER BY ts_ns, source_ref
