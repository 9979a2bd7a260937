SELECT
  (SELECT count(*) FROM resilience_events) AS events,
  (SELECT count(*) FROM breaker_transitions) AS transitions,
  (SELECT count(*) FROM call_edges) AS edges
