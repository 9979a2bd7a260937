INSERT INTO breaker_transitions (ts_ns, service, breaker, from_state, to_state, source, source_ref)
VALUES ($ts_ns, $service, $breaker, $from_state, $to_state, $source, $source_ref)
