-- BubbleUp-style comparison: for every dimension value a span carries (service, operation, status,
-- peer and each attribute), how many incident and baseline spans carry it, how many of them failed
-- and how slow they were. Values that look like identifiers (very long) are left out.
WITH tagged AS (
  SELECT (start_ns >= $inc_from AND start_ns < $inc_to) AS incident,
         duration_ns, (status_code = 2 OR http_status >= 500) AS failed,
         service, name, kind, http_status, rpc_status, peer_service, attributes
  FROM spans
  WHERE (start_ns >= $inc_from AND start_ns < $inc_to) OR (start_ns >= $base_from AND start_ns < $base_to)
),
dims AS (
  SELECT incident, duration_ns, failed, 'service' AS dimension, service AS value FROM tagged
  UNION ALL SELECT incident, duration_ns, failed, 'operation', service || ' ' || name FROM tagged
  UNION ALL SELECT incident, duration_ns, failed, 'status', CAST(coalesce(http_status, rpc_status) AS VARCHAR) FROM tagged
    WHERE coalesce(http_status, rpc_status) IS NOT NULL
  UNION ALL SELECT incident, duration_ns, failed, 'peer', peer_service FROM tagged WHERE peer_service IS NOT NULL
  UNION ALL SELECT incident, duration_ns, failed, 'attribute:' || key, json_extract_string(attributes, '$."' || key || '"')
    FROM (SELECT *, unnest(json_keys(attributes)) AS key FROM tagged WHERE attributes IS NOT NULL)
)
SELECT dimension, value,
       count(*) FILTER (WHERE incident) AS inc_spans,
       count(*) FILTER (WHERE incident AND failed) AS inc_failed,
       quantile_cont(duration_ns, 0.9) FILTER (WHERE incident) / 1e6 AS inc_p90_ms,
       count(*) FILTER (WHERE NOT incident) AS base_spans,
       count(*) FILTER (WHERE NOT incident AND failed) AS base_failed,
       quantile_cont(duration_ns, 0.9) FILTER (WHERE NOT incident) / 1e6 AS base_p90_ms
FROM dims
WHERE value IS NOT NULL AND length(value) <= 120
GROUP BY ALL
HAVING count(*) >= 3
