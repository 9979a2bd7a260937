-- Every call of `calls` and whether its caller saw a deadline or timeout (`timed_out`): gRPC 4,
-- HTTP 504/408, or the status text. The deadline the caller gave the call was read when the calls
-- were paired (call_pair_deadlines.sql).
SELECT
  *,
  (c_rpc_status = 4 OR c_http_status IN (504, 408)
    OR (c_status_message IS NOT NULL AND (regexp_matches(c_status_message, $re_deadline_exceeded, 'i')
                                          OR regexp_matches(c_status_message, $re_timeout, 'i')))) AS timed_out
FROM calls
