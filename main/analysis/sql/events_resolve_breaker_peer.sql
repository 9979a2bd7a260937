-- Replaces a breaker's name by the service it protects as the peer of its log and metric events.
UPDATE resilience_events SET peer = $protects
WHERE source IN ('log', 'metric') AND json_extract_string(details, '$.breaker') = $breaker
  AND (peer IS NULL OR peer = $breaker)
