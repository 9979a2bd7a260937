-- Every call of `calls` with the deadline the caller gave it, when the span says so: a grpc-timeout
-- header under any key (8 digits and a unit), deadline_ms/timeout_ms, or X-Request-Timeout, on the
-- client span or else as received by the server span. `timed_out`: the caller saw a deadline or
-- timeout (gRPC 4, HTTP 504/408, or the status text).
SELECT
  calls.*,
  CASE WHEN regexp_matches(c_attributes, 'timeout|deadline', 'i') OR regexp_matches(s_attributes, 'timeout|deadline', 'i') THEN COALESCE(
    TRY_CAST(NULLIF(regexp_extract(c_attributes, $re_attr_grpc_timeout, 1, 'i'), '') AS DOUBLE)
      * CASE regexp_extract(c_attributes, $re_attr_grpc_timeout, 2, 'i')
          WHEN 'H' THEN 3600000 WHEN 'M' THEN 60000 WHEN 'S' THEN 1000 WHEN 'm' THEN 1
          WHEN 'u' THEN 0.001 WHEN 'n' THEN 0.000001 END,
    TRY_CAST(NULLIF(regexp_extract(c_attributes, $re_attr_timeout_ms, 1, 'i'), '') AS DOUBLE),
    TRY_CAST(NULLIF(regexp_extract(c_attributes, $re_attr_request_timeout, 1, 'i'), '') AS DOUBLE),
    TRY_CAST(NULLIF(regexp_extract(s_attributes, $re_attr_grpc_timeout, 1, 'i'), '') AS DOUBLE)
      * CASE regexp_extract(s_attributes, $re_attr_grpc_timeout, 2, 'i')
          WHEN 'H' THEN 3600000 WHEN 'M' THEN 60000 WHEN 'S' THEN 1000 WHEN 'm' THEN 1
          WHEN 'u' THEN 0.001 WHEN 'n' THEN 0.000001 END,
    TRY_CAST(NULLIF(regexp_extract(s_attributes, $re_attr_timeout_ms, 1, 'i'), '') AS DOUBLE),
    TRY_CAST(NULLIF(regexp_extract(s_attributes, $re_attr_request_timeout, 1, 'i'), '') AS DOUBLE)
  ) END AS deadline_ms,
  (c_rpc_status = 4 OR c_http_status IN (504, 408)
    OR (c_status_message IS NOT NULL AND (regexp_matches(c_status_message, $re_deadline_exceeded, 'i')
                                          OR regexp_matches(c_status_message, $re_timeout, 'i')))) AS timed_out
FROM calls
