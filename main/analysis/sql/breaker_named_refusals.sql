-- Calls refused by a breaker that the refusal names (resilience4j's CallNotPermittedException:
-- "CircuitBreaker 'backendA' is OPEN ..."), from log lines and spans, oldest first. Where nothing
-- reports that breaker's state, runs of its refusals show when it was open. `peer`: the service the
-- refused call was meant for, when known.
SELECT
  ts_ns::VARCHAR AS ts_ns,
  service,
  json_extract_string(details, '$.breaker') AS breaker,
  source,
  source_ref,
  peer
FROM resilience_events
WHERE kind = 'breaker_rejected' AND json_extract_string(details, '$.breaker') IS NOT NULL
ORDER BY ts_ns, source_ref
