-- The service-level breaker transitions in [$from_ns, $to_ns], oldest first.
SELECT ts_ns::VARCHAR AS ts_ns, service, breaker, from_state, to_state, source, source_ref
FROM breaker_transitions
WHERE ts_ns BETWEEN $from_ns AND $to_ns
ORDER BY service, breaker, ts_ns
