-- Resilience events carried by log lines. The first matching recogniser wins, in an order that puts
-- the line's intent before the errors it quotes (a retry line quoting DEADLINE_EXCEEDED is a retry).
-- GC lines count only when the pause stands out from the same service's usual pause, or is long
-- for any runtime ($long_gc_pause_ms).
INSERT INTO resilience_events (ts_ns, service, peer, kind, layer, trace_id, span_id, source, source_ref, details)
WITH lines AS (
  SELECT l.*,
         COALESCE(l.service, json_extract_string(l.attributes, '$.service'), 'unknown') AS service_name,
         COALESCE(json_extract_string(l.attributes, '$.pod'), json_extract_string(l.attributes, '$."k8s.pod.name"'),
                  json_extract_string(l.attributes, '$.host'), json_extract_string(l.attributes, '$.hostname'),
                  json_extract_string(l.attributes, '$.instance'), 'source-' || l.source_id) AS instance,
         COALESCE(json_extract_string(l.attributes, '$.response_flags'), json_extract_string(l.attributes, '$.response_flag'),
                  NULLIF(regexp_extract(l.body, $re_envoy_flags, 1), '')) AS envoy_flags,
         l.body || ' ' || COALESCE(json_extract_string(l.attributes, '$.error'), json_extract_string(l.attributes, '$.err'), '') AS text
  FROM logs l
),
classified AS (
  SELECT *,
    CASE
      -- A line that no recogniser matches (most lines) is passed over after one match against all of them.
      WHEN NOT regexp_matches(text, $re_any_log_event, 'i') AND envoy_flags IS NULL AND severity NOT IN ('ERROR', 'FATAL') THEN NULL
      WHEN regexp_matches(text, $re_breaker_transition, 'i') THEN 'breaker_transition'
      WHEN regexp_matches(text, $re_breaker_verb, 'i') THEN 'breaker_transition'
      WHEN regexp_matches(text, $re_fallback, 'i') THEN 'fallback'
      WHEN regexp_matches(text, $re_retry, 'i') OR envoy_flags LIKE '%URX%' THEN 'retry'
      WHEN regexp_matches(text, $re_breaker_rejected, 'i') THEN 'breaker_rejected'
      WHEN envoy_flags LIKE '%UO%' THEN 'overflow'
      WHEN envoy_flags LIKE '%UT%' THEN 'timeout'
      WHEN envoy_flags LIKE '%RL%' THEN 'rate_limited'
      WHEN envoy_flags SIMILAR TO '.*(UF|UH|UC).*' THEN 'unavailable'
      WHEN regexp_matches(text, $re_rate_limited, 'i') THEN 'rate_limited'
      WHEN regexp_matches(text, $re_breaker_probe_limit, 'i') THEN 'breaker_rejected'
      WHEN regexp_matches(text, $re_pool_wait, 'i') THEN 'pool_wait'
      WHEN regexp_matches(text, $re_gc_go_trace, 'i') OR regexp_matches(text, $re_gc_jvm_pause, 'i')
        OR regexp_matches(text, $re_gc_generic, 'i') THEN 'gc_pause'
      WHEN regexp_matches(text, $re_overflow, 'i') THEN 'overflow'
      WHEN regexp_matches(text, $re_deadline_exceeded, 'i') THEN 'deadline_exceeded'
      WHEN regexp_matches(text, $re_timeout, 'i') THEN 'timeout'
      WHEN regexp_matches(text, $re_cancelled, 'i') THEN 'cancelled'
      WHEN regexp_matches(text, $re_unavailable, 'i') THEN 'unavailable'
      WHEN severity IN ('ERROR', 'FATAL') THEN 'error'
    END AS event_kind
  FROM lines
),
detailed AS (
  SELECT *,
    CASE WHEN event_kind = 'gc_pause' THEN COALESCE(
      TRY_CAST(NULLIF(regexp_extract(text, $re_gc_go_trace, 1, 'i'), '') AS DOUBLE)
        + TRY_CAST(NULLIF(regexp_extract(text, $re_gc_go_trace, 2, 'i'), '') AS DOUBLE),
      TRY_CAST(NULLIF(regexp_extract(text, $re_gc_jvm_pause, 1, 'i'), '') AS DOUBLE),
      TRY_CAST(NULLIF(regexp_extract(text, $re_gc_pause_value, 1, 'i'), '') AS DOUBLE),
      TRY_CAST(json_extract_string(attributes, '$.pause_ms') AS DOUBLE),
      TRY_CAST(json_extract_string(attributes, '$.duration_ms') AS DOUBLE)
    ) END AS pause_ms,
    COALESCE(NULLIF(regexp_extract(text, $re_breaker_transition, 1, 'i'), ''),
             CASE WHEN event_kind = 'breaker_rejected' THEN NULLIF(regexp_extract(text, $re_breaker_rejected_name, 1, 'i'), '') END) AS breaker_name,
    NULLIF(regexp_extract(text, $re_breaker_transition, 2, 'i'), '') AS from_raw,
    COALESCE(NULLIF(regexp_extract(text, $re_breaker_transition, 3, 'i'), ''),
             NULLIF(regexp_extract(text, $re_breaker_verb, 1, 'i'), '')) AS to_raw,
    COALESCE(json_extract_string(attributes, '$."peer.service"'), json_extract_string(attributes, '$.peer'),
             json_extract_string(attributes, '$.upstream'), NULLIF(regexp_extract(text, $re_log_peer, 1, 'i'), ''),
             NULLIF(regexp_extract(text, $re_retry_name, 1, 'i'), '')) AS named_peer
  FROM classified
  WHERE event_kind IS NOT NULL
),
gc_baseline AS (
  SELECT service_name, median(pause_ms) AS median_pause_ms
  FROM detailed WHERE event_kind = 'gc_pause'
  GROUP BY service_name
)
SELECT
  d.ts_ns,
  d.service_name,
  COALESCE(d.named_peer, d.breaker_name),
  d.event_kind,
  CASE
    WHEN d.event_kind = 'fallback' THEN 'fallback'
    WHEN d.event_kind IN ('breaker_transition', 'breaker_rejected', 'rate_limited', 'overflow', 'retry', 'gc_pause') THEN 'service'
    WHEN d.event_kind = 'pool_wait' THEN 'transport'
    WHEN regexp_matches(d.text, $re_cache_layer, 'i') THEN 'cache'
    WHEN regexp_matches(d.text, $re_network_layer, 'i') OR d.envoy_flags SIMILAR TO '.*(UF|UC).*' THEN 'network'
    WHEN regexp_matches(d.text, $re_transport_layer, 'i') THEN 'transport'
    WHEN d.event_kind IN ('deadline_exceeded', 'cancelled', 'timeout', 'unavailable') THEN 'protocol'
    ELSE 'service'
  END,
  d.trace_id,
  d.span_id,
  'log',
  'log:' || d.source_id || ':' || d.source_line,
  json_object(
    'body', left(d.body, 300),
    'severity', d.severity,
    'instance', d.instance,
    'breaker', d.breaker_name,
    'from', d.from_raw,
    'to', d.to_raw,
    'pause_ms', d.pause_ms,
    'envoy_flags', d.envoy_flags
  )
FROM detailed d
LEFT JOIN gc_baseline b ON b.service_name = d.service_name
WHERE d.event_kind <> 'gc_pause'
   OR d.pause_ms >= $long_gc_pause_ms
   OR d.pause_ms >= greatest(10, 5 * b.median_pause_ms)
   OR (d.pause_ms IS NULL AND regexp_matches(d.text, $re_gc_generic, 'i'))
