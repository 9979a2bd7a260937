-- Resilience events per bucket, optionally for one service, one peer and some kinds ('' for any;
-- kinds comma-separated).
SELECT CAST((ts_ns // $step_ns) * $step_ns AS VARCHAR) AS ts_ns, count(*) AS count
FROM resilience_events
WHERE ($service = '' OR service = $service)
  AND ($peer = '' OR peer = $peer)
  AND ($kinds = '' OR list_contains(string_split($kinds, ','), kind))
  AND ts_ns >= $from_ns AND ts_ns < $to_ns
GROUP BY 1
ORDER BY 1
