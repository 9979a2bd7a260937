-- The first timeout or deadline on each caller -> peer edge in [$from_ns, $to_ns].
SELECT service, peer, min(ts_ns)::VARCHAR AS first_ns
FROM resilience_events
WHERE kind IN ('timeout', 'deadline_exceeded') AND peer IS NOT NULL AND ts_ns BETWEEN $from_ns AND $to_ns
GROUP BY service, peer
