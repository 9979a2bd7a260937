-- Resilience events per service, peer and kind: how many in the baseline and in the incident, when
-- the first incident-period one happened, and one to open.
SELECT service, peer, kind,
       count(*) FILTER (WHERE ts_ns >= $base_from AND ts_ns < $base_to) AS base_count,
       count(*) FILTER (WHERE ts_ns >= $inc_from AND ts_ns < $inc_to) AS inc_count,
       CAST(min(ts_ns) FILTER (WHERE ts_ns >= $search_from AND ts_ns < $inc_to) AS VARCHAR) AS first_ns,
       arg_min(source_ref, ts_ns) FILTER (WHERE ts_ns >= $search_from AND ts_ns < $inc_to) AS first_ref
FROM resilience_events
WHERE ts_ns >= least($base_from, $search_from) AND ts_ns < greatest($base_to, $inc_to)
GROUP BY ALL
