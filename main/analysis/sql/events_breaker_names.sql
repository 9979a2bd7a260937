-- Breaker names found in log lines and metrics, which stand in for the peer until resolved.
SELECT DISTINCT json_extract_string(details, '$.breaker') AS breaker
FROM resilience_events
WHERE source IN ('log', 'metric') AND json_extract_string(details, '$.breaker') IS NOT NULL
