-- The call_edges summary over the call_pairs table (rebuilt with the derived tables).
INSERT INTO call_edges (caller, callee, calls, errors, timeouts)
SELECT
  caller,
  callee,
  count(*),
  count(*) FILTER (WHERE c_status_code = 2 OR c_http_status >= 500 OR c_rpc_status > 0 OR s_status_code = 2),
  count(*) FILTER (WHERE c_rpc_status = 4 OR c_http_status IN (504, 408)
                    -- Only calls with a status text are matched: nearly all have none.
                    OR (c_status_message IS NOT NULL AND (regexp_matches(c_status_message, $re_deadline_exceeded, 'i')
                                                          OR regexp_matches(c_status_message, $re_timeout, 'i'))))
FROM call_pairs
WHERE callee IS NOT NULL
GROUP BY caller, callee
