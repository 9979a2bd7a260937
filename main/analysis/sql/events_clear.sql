DELETE FROM resilience_events;
DELETE FROM breaker_transitions;
DELETE FROM call_edges;
