-- Resilience events carried by spans: failure statuses and messages (including exception events),
-- fallback and retry attributes, and time queued for a connection. Reads the call_pairs table
-- for the peer of client spans.
INSERT INTO resilience_events (ts_ns, service, peer, kind, layer, trace_id, span_id, source, source_ref, details)
WITH exceptions AS (
  SELECT trace_id, span_id,
         string_agg(concat_ws(': ', json_extract_string(attributes, '$."exception.type"'),
                              json_extract_string(attributes, '$."exception.message"')), ' | ') AS text
  FROM span_events
  WHERE name ILIKE '%exception%' OR name ILIKE 'error'
  GROUP BY trace_id, span_id
),
-- Only spans that can carry an event get the costly text work: failures, spans with exception
-- events, and spans whose attributes mention fallbacks, retries or waiting.
candidates AS MATERIALIZED (
  SELECT s.*, s.attributes::VARCHAR AS attributes_text
  FROM spans s
  WHERE s.status_code = 2 OR s.http_status >= 400 OR s.rpc_status > 0
     OR s.attributes::VARCHAR SIMILAR TO '.*(fallback|degraded|resend|retr|attempt|wait).*'
     OR EXISTS (SELECT 1 FROM exceptions e WHERE e.trace_id = s.trace_id AND e.span_id = s.span_id)
),
-- The peer of each candidate client span, found by its span key; only candidates are looked up.
peers AS (
  SELECT p.caller_key, any_value(p.callee) AS callee, bool_or(p.callee_key IS NOT NULL) AS answered
  FROM call_pairs p
  WHERE p.caller_key IN (SELECT hash(trace_id, span_id) FROM candidates)
  GROUP BY p.caller_key
),
spans_with_text AS (
  SELECT s.*, p.callee AS peer, COALESCE(p.answered, false) AS answered,
         json_extract_string(s.attributes, '$."db.system"') AS db_system,
         concat_ws(' ', s.status_message,
                   json_extract_string(s.attributes, '$."error.type"'),
                   json_extract_string(s.attributes, '$."exception.message"'),
                   json_extract_string(s.attributes, '$."otel.status_description"'),
                   e.text) AS text,
         e.text IS NOT NULL AS has_exception
  FROM candidates s
  LEFT JOIN exceptions e ON e.trace_id = s.trace_id AND e.span_id = s.span_id
  LEFT JOIN peers p ON p.caller_key = hash(s.trace_id, s.span_id)
),
failing AS (
  SELECT *,
    CASE
      WHEN regexp_matches(text, $re_breaker_rejected, 'i') THEN 'breaker_rejected'
      WHEN regexp_matches(text, $re_pool_wait, 'i') THEN 'pool_wait'
      WHEN rpc_status = 4 THEN 'deadline_exceeded'
      WHEN rpc_status = 1 THEN 'cancelled'
      WHEN rpc_status = 14 THEN 'unavailable'
      WHEN rpc_status = 8 AND regexp_matches(text, $re_overflow, 'i') THEN 'overflow'
      WHEN rpc_status = 8 THEN 'rate_limited'
      WHEN http_status IN (504, 408) THEN 'timeout'
      WHEN http_status = 429 THEN 'rate_limited'
      WHEN http_status = 503 THEN 'unavailable'
      WHEN regexp_matches(text, $re_deadline_exceeded, 'i') THEN 'deadline_exceeded'
      WHEN regexp_matches(text, $re_timeout, 'i') THEN 'timeout'
      WHEN regexp_matches(text, $re_rate_limited, 'i') THEN 'rate_limited'
      WHEN regexp_matches(text, $re_breaker_probe_limit, 'i') THEN 'breaker_rejected'
      WHEN regexp_matches(text, $re_overflow, 'i') THEN 'overflow'
      WHEN regexp_matches(text, $re_cancelled, 'i') THEN 'cancelled'
      WHEN regexp_matches(text, $re_unavailable, 'i') THEN 'unavailable'
      ELSE 'error'
    END AS event_kind
  FROM spans_with_text
  WHERE status_code = 2 OR http_status >= 500 OR http_status IN (408, 429)
     OR rpc_status IN (1, 4, 8, 14) OR has_exception
),
attribute_events AS (
  SELECT *, 'fallback' AS event_kind FROM spans_with_text
  WHERE regexp_matches(attributes_text, $re_attr_fallback, 'i')
  UNION ALL
  SELECT *, 'retry' AS event_kind FROM spans_with_text
  WHERE TRY_CAST(regexp_extract(attributes_text, $re_attr_retry_count, 1, 'i') AS INTEGER) >= 1
     OR TRY_CAST(regexp_extract(attributes_text, $re_attr_attempt, 1, 'i') AS INTEGER) >= 2
  UNION ALL
  -- Queued for a connection or worker for a noticeable share of the call.
  SELECT *, 'pool_wait' AS event_kind FROM spans_with_text
  WHERE TRY_CAST(regexp_extract(attributes_text, $re_attr_wait_ms, 1, 'i') AS DOUBLE) >= 10
    AND TRY_CAST(regexp_extract(attributes_text, $re_attr_wait_ms, 1, 'i') AS DOUBLE) * 1e6 >= 0.2 * duration_ns
),
events AS (
  SELECT * FROM failing
  UNION ALL
  SELECT * FROM attribute_events
)
SELECT
  end_ns AS ts_ns,
  service,
  CASE WHEN kind IN ('client', 'producer') THEN peer END AS peer,
  event_kind AS kind,
  CASE
    WHEN event_kind = 'fallback' THEN 'fallback'
    WHEN event_kind IN ('breaker_rejected', 'rate_limited', 'overflow', 'retry') THEN 'service'
    WHEN event_kind = 'pool_wait' THEN 'transport'
    WHEN db_system IN ('redis', 'memcached') OR regexp_matches(text, $re_cache_layer, 'i') THEN 'cache'
    WHEN regexp_matches(text, $re_network_layer, 'i') THEN 'network'
    WHEN regexp_matches(text, $re_transport_layer, 'i') THEN 'transport'
    WHEN event_kind IN ('deadline_exceeded', 'cancelled', 'timeout', 'unavailable') THEN 'protocol'
    WHEN http_status BETWEEN 400 AND 499 THEN 'business'
    ELSE 'service'
  END AS layer,
  trace_id,
  span_id,
  'span' AS source,
  'span:' || trace_id || '/' || span_id AS source_ref,
  json_object(
    'name', name,
    'span_kind', kind,
    'duration_ms', duration_ns / 1e6,
    'status_message', NULLIF(text, ''),
    'http_status', http_status,
    'rpc_status', rpc_status,
    'answered', answered,
    'breaker', CASE WHEN event_kind = 'breaker_rejected' THEN NULLIF(regexp_extract(text, $re_breaker_rejected_name, 1, 'i'), '') END
  ) AS details
FROM events
