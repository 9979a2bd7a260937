-- Per time bucket and component, the facts ranking compares against the baseline.
-- A component is either a service's own work (the self time of its non-client spans: duration minus
-- the children's) or one outgoing call edge (service -> peer). For a call that reached an
-- instrumented callee, the call's self time is the gap the callee's server span does not explain
-- (network, client-side queueing); for a call to an uninstrumented dependency (a database, a cache,
-- an external API) it is the whole call.
-- Error classes keep consequences apart from origins: timeouts, cancellations and breaker
-- rejections are what callers see of someone else's trouble.
WITH extracted AS (
  -- One JSON parse per span for every attribute used below.
  SELECT *, json_extract_string(attributes, [
    '$."db.system"', '$."server.address"', '$."net.peer.name"', '$."db.name"', '$."db.namespace"',
    '$."error.type"', '$."exception.message"', '$."retry.attempt"', '$."db.query.text"', '$."db.statement"'
  ]) AS a
  FROM spans
  WHERE start_ns >= $origin_ns AND start_ns < $end_ns
),
scoped AS (
  SELECT * EXCLUDE (a), a[1] AS db_system, a[2] AS server_address, a[3] AS net_peer_name, a[4] AS db_name,
         a[5] AS db_namespace, a[6] AS error_type, a[7] AS exception_message, a[8] AS retry_attempt,
         coalesce(a[9], a[10]) AS statement
  FROM extracted
),
children AS (
  SELECT trace_id, parent_span_id AS span_id,
         sum(duration_ns) AS child_ns,
         max(CASE WHEN status_code = 2 OR http_status >= 500 THEN 1 ELSE 0 END) AS child_error,
         min(CASE WHEN kind IN ('server', 'consumer') THEN service END) AS server_child,
         max(CASE WHEN kind IN ('server', 'consumer') THEN duration_ns END) AS server_child_ns
  FROM scoped
  WHERE parent_span_id IS NOT NULL
  GROUP BY 1, 2
),
facts AS (
  SELECT
    s.trace_id, s.span_id, s.parent_span_id, s.service, s.start_ns, s.duration_ns, s.db_system, s.statement,
    (s.kind IN ('client', 'producer') OR s.db_system IS NOT NULL) AS is_call,
    (s.status_code = 2 OR s.http_status >= 500) AS is_error,
    coalesce(c.child_error, 0) AS child_error,
    c.server_child,
    c.server_child_ns,
    greatest(s.duration_ns - coalesce(c.child_ns, 0), 0) AS own_self_ns,
    coalesce(
      s.peer_service,
      c.server_child,
      nullif(regexp_extract(coalesce(s.server_address, s.net_peer_name, s.db_name, s.db_namespace), '^([A-Za-z][A-Za-z0-9_-]*)', 1), ''),
      s.db_system,
      'unknown'
    ) AS peer,
    CASE
      WHEN regexp_matches(lower(coalesce(s.status_message, '') || ' ' || coalesce(s.error_type, '') || ' ' || coalesce(s.exception_message, '')),
           'pool|connection is not available|acquire|too many connections|connectionpooltimeout') THEN 'pool'
      WHEN regexp_matches(lower(coalesce(s.status_message, '')), 'breaker|circuit|short-circuit|open state|too many requests|not permit|fallback')
        OR s.http_status = 429 THEN 'rejected'
      WHEN s.rpc_status = 1 OR regexp_matches(lower(coalesce(s.status_message, '')), 'cancel|broken pipe|client abort|clientabort') THEN 'cancelled'
      WHEN s.rpc_status = 4 OR s.http_status IN (408, 504)
        OR regexp_matches(lower(coalesce(s.status_message, '')), 'deadline|timeout|timed out|etimedout') THEN 'timeout'
      WHEN s.rpc_status = 14
        OR regexp_matches(lower(coalesce(s.status_message, '') || ' ' || coalesce(s.error_type, '')),
           'refused|unavailable|unreachable|no such host|connection reset|econnreset|econnrefused|no healthy upstream|name resolution|i/o error|eof') THEN 'unreachable'
      ELSE 'other'
    END AS error_class,
    coalesce(try_cast(s.retry_attempt AS INTEGER) > 1, false) AS is_retry
  FROM scoped s
  LEFT JOIN children c ON c.trace_id = s.trace_id AND c.span_id = s.span_id
)
SELECT
  CAST(floor((start_ns - $origin_ns) / $step_ns) AS BIGINT) AS bucket,
  CASE WHEN is_call THEN 'call' ELSE 'own' END AS component,
  service,
  CASE WHEN is_call THEN peer END AS peer,
  any_value(db_system) AS db_system,
  count(*) AS n,
  count(*) FILTER (WHERE is_call AND server_child_ns IS NOT NULL) AS answered,
  count(DISTINCT parent_span_id) AS parents,
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
  arg_max(trace_id || '/' || span_id, CASE WHEN is_call AND server_child_ns IS NOT NULL THEN duration_ns - server_child_ns WHEN is_call THEN duration_ns ELSE own_self_ns END) AS slowest_ref,
  arg_max(trace_id || '/' || span_id, start_ns) FILTER (WHERE is_error AND child_error = 0) AS error_ref,
  any_value(error_class) FILTER (WHERE is_error AND child_error = 0) AS error_class,
  arg_max(statement, duration_ns) FILTER (WHERE db_system IS NOT NULL) AS statement
FROM facts
GROUP BY ALL
