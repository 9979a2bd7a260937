-- The timeout a span's attribute text ATTRIBUTES states, in milliseconds: a grpc-timeout header
-- (digits and a unit), deadline_ms/timeout_ms, or X-Request-Timeout; NULL without a text. Put into
-- call_pair_deadlines.sql for the client's and the server's text alike.
CASE WHEN ATTRIBUTES IS NOT NULL THEN
  COALESCE(
    TRY_CAST(NULLIF(regexp_extract(ATTRIBUTES, $re_attr_grpc_timeout, 1, 'i'), '') AS DOUBLE)
      * CASE regexp_extract(ATTRIBUTES, $re_attr_grpc_timeout, 2, 'i')
          WHEN 'H' THEN 3600000 WHEN 'M' THEN 60000 WHEN 'S' THEN 1000 WHEN 'm' THEN 1
          WHEN 'u' THEN 0.001 WHEN 'n' THEN 0.000001 END,
    TRY_CAST(NULLIF(regexp_extract(ATTRIBUTES, $re_attr_timeout_ms, 1, 'i'), '') AS DOUBLE),
    TRY_CAST(NULLIF(regexp_extract(ATTRIBUTES, $re_attr_request_timeout, 1, 'i'), '') AS DOUBLE)
  )
END
