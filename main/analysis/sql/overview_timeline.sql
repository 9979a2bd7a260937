-- Resilience events per minute and kind, for the incident timeline.
SELECT CAST((ts_ns // 60000000000) * 60000000000 AS VARCHAR) AS bucket_ns, kind, count(*) AS count
FROM resilience_events
WHERE ts_ns >= $from_ns AND ts_ns < $to_ns
GROUP BY ALL
ORDER BY bucket_ns, kind
