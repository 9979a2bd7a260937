-- Resilience events carried by metrics: breaker state gauges (a transition wherever an instance's
-- state changes), GC pauses well above the series' own median, and increments of counters that
-- count timeouts, overflows, retries, rejections or failure-coded requests.
-- State gauges: a `state` label (resilience4j) names the state whose series is 1; a bare number uses
-- gobreaker's encoding (0 closed, 1 half-open, 2 open), except that a gauge that never exceeds 1 is
-- read as 0 closed / 1 open. Envoy's circuit-breaker gauges (1 while a connection, pending-request,
-- request or retry threshold is tripped) are one breaker per upstream cluster, each gauge and pod
-- an instance of it, so the cluster's breaker is open while any of them is.
INSERT INTO resilience_events (ts_ns, service, peer, kind, layer, trace_id, span_id, source, source_ref, details)
WITH points AS (
  SELECT m.*,
         m.labels::VARCHAR AS labels_text,
         COALESCE(m.service, json_extract_string(m.labels, '$.service'), json_extract_string(m.labels, '$.job'), 'unknown') AS service_name,
         COALESCE(json_extract_string(m.labels, '$.pod'), json_extract_string(m.labels, '$.instance'),
                  json_extract_string(m.labels, '$.host'), 'source-' || m.source_id) AS instance,
         m.name || '{' || COALESCE(array_to_string(list_transform(list_sort(json_keys(m.labels)),
             lambda k: k || '="' || json_extract_string(m.labels, '$."' || k || '"') || '"'), ','), '') || '}' AS series_ref
  FROM metric_points m
),
state_points AS (
  SELECT *,
         COALESCE(json_extract_string(labels, '$.name'), json_extract_string(labels, '$.breaker'),
                  json_extract_string(labels, '$.circuit_breaker'), json_extract_string(labels, '$.cb'), name) AS breaker,
         lower(replace(json_extract_string(labels, '$.state'), '_', '-')) AS state_label
  FROM points
  WHERE regexp_matches(name, $re_breaker_state_metric, 'i')
),
labelled_states AS (
  SELECT ts_ns, service_name, breaker, instance,
         arg_max(state_label, value) AS raw_state,
         arg_max(series_ref, value) AS series_ref
  FROM state_points
  WHERE state_label IS NOT NULL
  GROUP BY ts_ns, service_name, breaker, instance
  HAVING max(value) > 0
),
numeric_states AS (
  SELECT ts_ns, service_name, breaker, instance, series_ref,
         CASE
           WHEN value = 0 THEN 'closed'
           WHEN max(value) OVER (PARTITION BY service_name, breaker, instance) <= 1 THEN 'open'
           WHEN value = 1 THEN 'half-open'
           ELSE 'open'
         END AS raw_state
  FROM state_points
  WHERE state_label IS NULL
),
envoy_states AS (
  SELECT ts_ns, service_name, series_ref,
         instance || '/' || regexp_extract(name, $re_envoy_breaker_gauge, 2) AS instance,
         CASE WHEN value >= 1 THEN 'open' ELSE 'closed' END AS raw_state,
         COALESCE(NULLIF(regexp_extract(name, $re_envoy_breaker_gauge, 1), ''),
                  json_extract_string(labels, '$.envoy_cluster_name'), json_extract_string(labels, '$.cluster_name'),
                  json_extract_string(labels, '$.cluster'), json_extract_string(labels, '$.upstream_cluster'), 'envoy') AS cluster
  FROM points
  WHERE regexp_matches(name, $re_envoy_breaker_gauge)
),
states AS (
  SELECT ts_ns, service_name, breaker, instance, series_ref,
         CASE WHEN raw_state LIKE 'half%' THEN 'half-open'
              WHEN raw_state IN ('open', 'forced-open') THEN 'open'
              ELSE 'closed' END AS state
  FROM (
    SELECT * FROM labelled_states
    UNION ALL BY NAME SELECT * FROM numeric_states
    UNION ALL BY NAME
    SELECT * EXCLUDE (cluster), COALESCE(NULLIF(regexp_extract(cluster, $re_istio_cluster, 1), ''), cluster) AS breaker FROM envoy_states
  )
),
state_changes AS (
  SELECT *, lag(state) OVER (PARTITION BY service_name, breaker, instance ORDER BY ts_ns) AS previous_state
  FROM states
),
gc_points AS (
  SELECT *,
         value * CASE WHEN name ILIKE '%seconds%' THEN 1000 ELSE 1 END AS pause_ms,
         median(value * CASE WHEN name ILIKE '%seconds%' THEN 1000 ELSE 1 END)
           OVER (PARTITION BY name, service_name, labels_text) AS baseline_ms
  FROM points
  WHERE regexp_matches(name, $re_gc_pause_metric, 'i')
    AND NOT regexp_matches(name, $re_cumulative_suffix, 'i')
    AND COALESCE(TRY_CAST(json_extract_string(labels, '$.quantile') AS DOUBLE), 1) >= 0.9
),
counter_points AS (
  SELECT *,
         value - lag(value) OVER (PARTITION BY name, service_name, labels_text ORDER BY ts_ns) AS delta,
         CASE
           WHEN regexp_matches(labels_text, $re_rejected_labels, 'i') THEN 'breaker_rejected'
           WHEN regexp_matches(name, $re_overflow_counter, 'i') THEN 'overflow'
           WHEN regexp_matches(name, $re_timeout_counter, 'i') AND regexp_matches(name, $re_pool_counter, 'i') THEN 'pool_wait'
           WHEN regexp_matches(name, $re_timeout_counter, 'i') THEN 'timeout'
           WHEN regexp_matches(name, $re_retry_counter, 'i') THEN 'retry'
           WHEN regexp_matches(labels_text, $re_deadline_exceeded, 'i') THEN 'deadline_exceeded'
           WHEN regexp_matches(labels_text, $re_timeout, 'i') THEN 'timeout'
           WHEN regexp_matches(labels_text, $re_rate_limited, 'i') THEN 'rate_limited'
           WHEN regexp_matches(labels_text, $re_unavailable, 'i') THEN 'unavailable'
         END AS counter_kind
  FROM points
  WHERE metric_type = 'counter' OR name LIKE '%\_total' ESCAPE '\'
)
SELECT ts_ns, service_name, breaker, 'breaker_transition', 'service', NULL, NULL, 'metric', 'series:' || series_ref,
       json_object('breaker', breaker, 'from', previous_state, 'to', state, 'instance', instance)
FROM state_changes
WHERE previous_state IS NOT NULL AND previous_state <> state
UNION ALL
SELECT ts_ns, service_name, NULL, 'gc_pause', 'service', NULL, NULL, 'metric', 'series:' || series_ref,
       json_object('pause_ms', pause_ms, 'baseline_ms', baseline_ms, 'instance', instance)
FROM gc_points
WHERE pause_ms >= greatest(20, 5 * baseline_ms)
UNION ALL
SELECT ts_ns, service_name,
       COALESCE(json_extract_string(labels, '$.name'), json_extract_string(labels, '$.upstream_cluster'), json_extract_string(labels, '$.peer')),
       counter_kind,
       CASE WHEN counter_kind = 'pool_wait' THEN 'transport'
            WHEN counter_kind IN ('deadline_exceeded', 'timeout', 'unavailable') THEN 'protocol'
            ELSE 'service' END,
       NULL, NULL, 'metric', 'series:' || series_ref,
       json_object('delta', delta, 'instance', instance)
FROM counter_points
WHERE counter_kind IS NOT NULL AND delta > 0
