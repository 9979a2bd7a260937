-- Per call edge (caller -> callee): volume, failures, retry amplification, network latency and
-- queueing. Reads `calls` (edge_call_pairs.sql).
-- A retry is a call that repeats the previous call's operation on the same callee under the same
-- parent span after that call ended; a logical call is a first attempt.
-- network = client duration minus server duration, over calls the server finished in time; queue = server start minus client start
-- (includes clock skew between hosts). fan_out = calls on this edge per calling parent span.
WITH attempts AS (
  SELECT *,
         lag(c_end_ns) OVER same_operation AS previous_end_ns,
         row_number() OVER same_operation AS attempt
  FROM calls
  WHERE callee IS NOT NULL
  -- A span key names its trace too.
  WINDOW same_operation AS (PARTITION BY COALESCE(caller_parent_key, caller_key), caller, callee, name_key
                            ORDER BY c_start_ns, caller_key)
)
SELECT
  caller,
  callee,
  count(*) AS calls,
  count(*) FILTER (WHERE c_status_code = 2 OR c_http_status >= 500 OR c_rpc_status > 0 OR s_status_code = 2) AS errors,
  count(*) FILTER (WHERE c_rpc_status = 4 OR c_http_status IN (504, 408)
                    OR regexp_matches(COALESCE(c_status_message, ''), $re_deadline_exceeded, 'i')
                    OR regexp_matches(COALESCE(c_status_message, ''), $re_timeout, 'i')) AS timeouts,
  count(*) FILTER (WHERE attempt > 1 AND previous_end_ns <= c_start_ns) AS retries,
  count(DISTINCT COALESCE(caller_parent_key, caller_key)) AS parents,
  quantile_cont(c_duration_ns, 0.5) / 1e6 AS client_p50_ms,
  quantile_cont(c_duration_ns, 0.99) / 1e6 AS client_p99_ms,
  quantile_cont(s_duration_ns, 0.5) / 1e6 AS server_p50_ms,
  quantile_cont(s_duration_ns, 0.99) / 1e6 AS server_p99_ms,
  quantile_cont(c_duration_ns - s_duration_ns, 0.5) FILTER (WHERE caller_kind = 'client' AND callee_key IS NOT NULL AND s_end_ns <= c_end_ns) / 1e6 AS network_p50_ms,
  quantile_cont(c_duration_ns - s_duration_ns, 0.99) FILTER (WHERE caller_kind = 'client' AND callee_key IS NOT NULL AND s_end_ns <= c_end_ns) / 1e6 AS network_p99_ms,
  quantile_cont(s_start_ns - c_start_ns, 0.5) FILTER (WHERE callee_key IS NOT NULL) / 1e6 AS queue_p50_ms,
  quantile_cont(s_start_ns - c_start_ns, 0.99) FILTER (WHERE callee_key IS NOT NULL) / 1e6 AS queue_p99_ms,
  count(*) FILTER (WHERE callee_key IS NULL) AS unanswered
FROM attempts
GROUP BY caller, callee
ORDER BY calls DESC, caller, callee
