-- Log lines that read like a change to a running system (deploy, version, config, migration,
-- schema, scaling), outside request handling: lines that carry a trace id describe a request.
SELECT CAST(ts_ns AS VARCHAR) AS ts_ns, service, body, source_id, source_line
FROM logs
WHERE coalesce(trace_id, '') = ''
  AND regexp_matches(body, $change_pattern, 'i')
  AND NOT regexp_matches(body, $not_a_change_pattern, 'i')
ORDER BY ts_ns
LIMIT $limit;
