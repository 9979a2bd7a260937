-- Resilience events in a window, per service, peer, kind and layer, with the first one to open.
SELECT service, peer, kind, layer, count(*) AS events,
       CAST(min(ts_ns) AS VARCHAR) AS first_ns,
       arg_min(source_ref, ts_ns) AS first_ref
FROM resilience_events
WHERE ts_ns BETWEEN $from_ns AND $to_ns
GROUP BY service, peer, kind, layer
ORDER BY events DESC, service, kind
LIMIT $limit;
