-- Every call of `pairs` (edge_call_pairs.sql) with the deadline the caller gave it, read once when
-- the calls are paired, so that the pairs keep one number instead of two attribute texts: a
-- grpc-timeout header under any key (8 digits and a unit), deadline_ms/timeout_ms,
-- X-Request-Timeout, or an absolute deadline (X-Deadline-Timestamp and the like, ISO 8601 or epoch
-- seconds to nanoseconds, turned into the time left when the call started), on the client span or
-- else as received by the server span. A deadline more than an hour before the call or a day after
-- it is some other date, not this call's.
-- TIMEOUT_MS_OF(<column>) stands for deadline_timeout_ms.sql reading that column (edges.ts puts it in).
SELECT
  * EXCLUDE (client_timeout_ms, server_timeout_ms, deadline_left_ms),
  COALESCE(client_timeout_ms, deadline_left_ms[1], server_timeout_ms, deadline_left_ms[2]) AS deadline_ms
FROM (
  SELECT * EXCLUDE (deadline_at_ns),
    CASE WHEN deadline_at_ns IS NOT NULL THEN list_transform(deadline_at_ns, at_ns ->
      CASE WHEN at_ns - c_start_ns BETWEEN -3600e9 AND 86400e9 THEN (at_ns - c_start_ns) / 1e6 END) END AS deadline_left_ms
  FROM (
    -- Absolute deadlines in epoch nanoseconds: digits by their count (s, ms, µs, ns), else ISO 8601.
    SELECT * EXCLUDE (client_deadline_at, server_deadline_at),
      CASE WHEN client_deadline_at IS NOT NULL OR server_deadline_at IS NOT NULL THEN list_transform([client_deadline_at, server_deadline_at], value ->
        CASE WHEN regexp_full_match(value, '[0-9]+')
             THEN TRY_CAST(value AS HUGEINT) * CASE WHEN length(value) <= 10 THEN 1000000000 WHEN length(value) <= 13 THEN 1000000
                                                   WHEN length(value) <= 16 THEN 1000 ELSE 1 END
             ELSE epoch_ns(TRY_CAST(value AS TIMESTAMPTZ)) END) END AS deadline_at_ns
    FROM (
      -- Calls without attribute texts (nearly all) skip the reading altogether.
      SELECT
        pairs.* EXCLUDE (c_attributes, s_attributes),
        TIMEOUT_MS_OF(c_attributes) AS client_timeout_ms,
        CASE WHEN c_attributes IS NOT NULL THEN NULLIF(regexp_extract(c_attributes, $re_attr_deadline_timestamp, 1, 'i'), '') END AS client_deadline_at,
        TIMEOUT_MS_OF(s_attributes) AS server_timeout_ms,
        CASE WHEN s_attributes IS NOT NULL THEN NULLIF(regexp_extract(s_attributes, $re_attr_deadline_timestamp, 1, 'i'), '') END AS server_deadline_at
      FROM pairs
    )
  )
)
