-- Resilience events grouped by service, peer and kind, with the first references to cite.
-- $kinds is a comma-separated list; empty means every kind.
SELECT
  service,
  peer,
  kind,
  layer,
  count(*) AS events,
  CAST(min(ts_ns) AS VARCHAR) AS first_ns,
  CAST(max(ts_ns) AS VARCHAR) AS last_ns,
  list('event:' || kind || ':' || service || ':' || CAST(ts_ns AS VARCHAR) ORDER BY ts_ns)[1:$samples] AS sample_events,
  list(source_ref ORDER BY ts_ns)[1:$samples] AS sample_sources
FROM resilience_events
WHERE ($service = '' OR service = $service)
  AND ($peer = '' OR peer = $peer)
  AND ($kinds = '' OR list_contains(string_split($kinds, ','), kind))
  AND ts_ns >= $from_ns AND ts_ns < $to_ns
GROUP BY service, peer, kind, layer
ORDER BY events DESC, service, kind
LIMIT $max_groups
