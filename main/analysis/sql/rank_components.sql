-- Per time bucket and component, the facts ranking compares against the baseline.
-- A component is either a service's own work (the self time of its non-client spans: duration minus
-- the children's) or one outgoing call edge (service -> peer). For a call that reached an
-- instrumented callee, the call's self time is the gap the callee's server span does not explain
-- (network, client-side queueing); for a call to an uninstrumented dependency (a database, a cache,
-- an external API) it is the whole call.
-- Error classes keep consequences apart from origins: timeouts, cancellations and breaker
-- rejections are what callers see of someone else's trouble.
-- Services are grouped and joined by a 64-bit hash of their name and named again only in the few
-- output rows: an integer aggregate costs a fraction of a string one over every span.
WITH services AS (
  SELECT hash(service) AS service_key, service FROM spans GROUP BY service
),
known_services AS (
  SELECT list(service) AS known_services FROM services
),
extracted AS (
  -- One JSON parse per span for every attribute used below, and none for spans without attributes.
  SELECT trace_id, span_id, parent_span_id, service, kind, start_ns, duration_ns, status_code, status_message,
         http_status, rpc_status, peer_service,
         hash(trace_id, span_id) AS span_key,
         CASE WHEN attributes::VARCHAR <> '{}' THEN json_extract_string(attributes, [
           '$."db.system"', '$."server.address"', '$."net.peer.name"', '$."db.name"', '$."db.namespace"',
           '$."error.type"', '$."exception.message"', '$."retry.attempt"', '$."db.query.text"', '$."db.statement"'
         ]) END AS a
  FROM spans
  WHERE start_ns >= $origin_ns AND start_ns < $end_ns
),
attributed AS (
  SELECT * EXCLUDE (a), a[1] AS db_system, a[2] AS server_address, a[3] AS net_peer_name, a[4] AS db_name,
         a[5] AS db_namespace, a[6] AS error_type, a[7] AS exception_message, a[8] AS retry_attempt,
         coalesce(a[9], a[10]) AS statement
  FROM extracted
),
scoped AS (
  SELECT * EXCLUDE (server_address, net_peer_name, db_name, db_namespace, known_services, error_type, exception_message),
         CALLEE_NAME AS named_callee,
         -- The texts an error is classified by, lower-cased once and only for errors: written inside
         -- the classification, DuckDB hoists the repeated lower(...) out of it and runs it on every span.
         CASE WHEN status_code = 2 OR http_status >= 500 THEN lower(coalesce(status_message, '')) END AS error_message,
         CASE WHEN status_code = 2 OR http_status >= 500 THEN lower(coalesce(error_type, '')) END AS error_type,
         CASE WHEN status_code = 2 OR http_status >= 500 THEN lower(coalesce(exception_message, '')) END AS exception_message
  FROM attributed, known_services
),
-- Children are grouped under a 64-bit hash of their parent's (trace id, span id): integers group
-- far faster than pairs of strings, and a collision (odds about n^2 / 2^65) would only blur one
-- span's self time.
-- Read from spans again rather than from `scoped`, which is then used once and never materialised.
children AS (
  SELECT hash(trace_id, parent_span_id) AS span_key,
         -- BIGINT, not the HUGEINT a sum gives: every self time below then stays 64-bit arithmetic.
         CAST(sum(duration_ns) AS BIGINT) AS child_ns,
         max(CASE WHEN status_code = 2 OR http_status >= 500 THEN 1 ELSE 0 END) AS child_error,
         -- Of several answering services (rare), the one with the smallest key.
         min(CASE WHEN kind IN ('server', 'consumer') THEN hash(service) END) AS server_child_key,
         max(CASE WHEN kind IN ('server', 'consumer') THEN duration_ns END) AS server_child_ns
  FROM spans
  WHERE parent_span_id IS NOT NULL AND start_ns >= $origin_ns AND start_ns < $end_ns
  GROUP BY 1
),
facts AS (
  SELECT
    s.span_key, s.parent_span_id, s.service, s.start_ns, s.duration_ns, s.db_system, s.statement,
    (s.kind IN ('client', 'producer') OR s.db_system IS NOT NULL) AS is_call,
    (s.status_code = 2 OR s.http_status >= 500) AS is_error,
    coalesce(c.child_error, 0) AS child_error,
    c.server_child_ns,
    greatest(s.duration_ns - coalesce(c.child_ns, 0), 0) AS own_self_ns,
    -- A call's peer is the service that answered it (by key), else the name the span gives it
    -- (callee_name.sql), the same rule the call pairs follow.
    CASE WHEN s.kind IN ('client', 'producer') OR s.db_system IS NOT NULL THEN c.server_child_key END AS peer_key,
    CASE WHEN (s.kind IN ('client', 'producer') OR s.db_system IS NOT NULL) AND c.server_child_key IS NULL
         THEN coalesce(s.named_callee, 'unknown') END AS named_peer,
    -- Only errors are classified: the class is read only under an is_error filter.
    CASE
      WHEN s.error_message IS NULL THEN NULL
      WHEN regexp_matches(s.error_message || ' ' || s.error_type || ' ' || s.exception_message,
           'pool|connection is not available|acquire|too many connections|connectionpooltimeout') THEN 'pool'
      WHEN regexp_matches(s.error_message, 'breaker|circuit|short-circuit|open state|too many requests|not permit|fallback')
        OR s.http_status = 429 THEN 'rejected'
      WHEN s.rpc_status = 1 OR regexp_matches(s.error_message, 'cancel|broken pipe|client abort|clientabort') THEN 'cancelled'
      WHEN s.rpc_status = 4 OR s.http_status IN (408, 504)
        OR regexp_matches(s.error_message, 'deadline|timeout|timed out|etimedout') THEN 'timeout'
      WHEN s.rpc_status = 14
        OR regexp_matches(s.error_message || ' ' || s.error_type,
           'refused|unavailable|unreachable|no such host|connection reset|econnreset|econnrefused|no healthy upstream|name resolution|i/o error|eof') THEN 'unreachable'
      ELSE 'other'
    END AS error_class,
    coalesce(try_cast(s.retry_attempt AS INTEGER) > 1, false) AS is_retry
  FROM scoped s
  LEFT JOIN children c ON c.span_key = s.span_key
),
grouped AS (
  SELECT
    CAST(floor((start_ns - $origin_ns) / $step_ns) AS BIGINT) AS bucket,
    CASE WHEN is_call THEN 'call' ELSE 'own' END AS component,
    service,
    peer_key,
    named_peer,
    any_value(db_system) AS db_system,
    count(*) AS n,
    count(*) FILTER (WHERE is_call AND server_child_ns IS NOT NULL) AS answered,
    -- Distinct parent ids counted by their 64-bit hash, and only for calls (the one component whose
    -- calls per parent are read): the same count, without a set of strings per group.
    count(DISTINCT CASE WHEN is_call AND parent_span_id IS NOT NULL THEN hash(parent_span_id) END) AS parents,
    count(*) FILTER (WHERE is_retry) AS retries,
    sum(CASE WHEN is_call AND server_child_ns IS NOT NULL THEN greatest(duration_ns - server_child_ns, 0)
             WHEN is_call THEN duration_ns
             ELSE own_self_ns END) / 1e6 AS self_ms,
    sum(CASE WHEN is_call AND server_child_ns IS NOT NULL THEN greatest(duration_ns - server_child_ns, 0) END) / 1e6 AS gap_ms,
    sum(CASE WHEN is_call AND server_child_ns IS NULL THEN duration_ns END) / 1e6 AS unanswered_ms,
    sum(duration_ns) / 1e6 AS duration_ms,
    count(*) FILTER (WHERE is_error) AS errors,
    count(*) FILTER (WHERE is_error AND child_error = 0 AND error_class IN ('other', 'unreachable', 'pool')) AS origin_errors,
    count(*) FILTER (WHERE is_error AND error_class = 'timeout') AS timeouts,
    count(*) FILTER (WHERE is_error AND error_class = 'unreachable' AND child_error = 0) AS unreachable,
    count(*) FILTER (WHERE is_error AND error_class = 'pool') AS pool_errors,
    sum(CASE WHEN is_error AND error_class = 'timeout' THEN duration_ns END) / 1e6 AS timeout_ms,
    arg_max(span_key, CASE WHEN is_call AND server_child_ns IS NOT NULL THEN duration_ns - server_child_ns WHEN is_call THEN duration_ns ELSE own_self_ns END) AS slowest_key,
    arg_max(span_key, start_ns) FILTER (WHERE is_error AND child_error = 0) AS error_key,
    any_value(error_class) FILTER (WHERE is_error AND child_error = 0) AS error_class,
    arg_max(statement, duration_ns) FILTER (WHERE db_system IS NOT NULL) AS statement
  FROM facts
  GROUP BY ALL
),
-- The spans picked as evidence are named by their ids only now, for a few hundred rows, instead of
-- building a reference string for every span.
refs AS (
  SELECT hash(trace_id, span_id) AS span_key, any_value(trace_id || '/' || span_id) AS ref
  FROM spans
  WHERE start_ns >= $origin_ns AND start_ns < $end_ns
    AND hash(trace_id, span_id) IN (SELECT slowest_key FROM grouped UNION ALL SELECT error_key FROM grouped)
  GROUP BY 1
)
SELECT g.* EXCLUDE (peer_key, named_peer, slowest_key, error_key), coalesce(answering.service, g.named_peer) AS peer,
       slowest.ref AS slowest_ref, error.ref AS error_ref
FROM grouped g
LEFT JOIN services answering ON answering.service_key = g.peer_key
LEFT JOIN refs slowest ON slowest.span_key = g.slowest_key
LEFT JOIN refs error ON error.span_key = g.error_key
