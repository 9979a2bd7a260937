-- Per call edge: timed-out calls, the deadlines the caller set, the durations at which calls timed
-- out (a tight cluster reveals a client timeout nobody recorded), and orphan work: the callee's
-- server span still running after the caller gave up ($orphan_min_ms, or a quarter of the client's
-- duration, whichever is longer, absorbs clock skew). A timeout is inherited when the callee's
-- server span itself saw a downstream call time out: the callee passed the failure up, and the
-- durations of such calls say nothing about this caller's own timeout. Failures the spans give no
-- cause for (no status text, gRPC code or HTTP status beyond a bare 500) and the callee did not
-- answer with are counted apart: when their durations cluster tightly, a client timer ended them.
-- Reads `deadline_calls`. Evidence is picked by span key and named from spans last (span_ref_map).
WITH timed_out_children AS (
  SELECT DISTINCT caller_parent_key AS parent_key
  FROM deadline_calls
  WHERE timed_out AND caller_parent_key IS NOT NULL
),
marked AS (
  SELECT d.*, d.timed_out AND t.parent_key IS NULL AS own_timeout,
         NOT coalesce(d.timed_out, false) AND (d.c_status_code = 2 OR d.c_http_status = 500)
           AND coalesce(d.c_rpc_status, 0) = 0 AND coalesce(d.c_http_status, 500) = 500 AND coalesce(d.c_status_message, '') = ''
           AND (d.callee_key IS NULL OR d.s_status_code <> 2 OR d.s_end_ns > d.c_end_ns) IS NOT FALSE AS unexplained_failure
  FROM deadline_calls d
  LEFT JOIN timed_out_children t ON t.parent_key = d.callee_key
),
edges AS (
  SELECT
    caller,
    callee,
    count(*) AS calls,
    count(*) FILTER (WHERE timed_out) AS timed_out,
    count(*) FILTER (WHERE own_timeout) AS own_timeouts,
    count(deadline_ms) AS with_deadline,
    quantile_cont(deadline_ms, 0.5) AS deadline_p50_ms,
    min(deadline_ms) AS deadline_min_ms,
    quantile_cont(c_duration_ns, 0.1) FILTER (WHERE own_timeout) / 1e6 AS timed_out_p10_ms,
    quantile_cont(c_duration_ns, 0.5) FILTER (WHERE own_timeout) / 1e6 AS timed_out_p50_ms,
    quantile_cont(c_duration_ns, 0.9) FILTER (WHERE own_timeout) / 1e6 AS timed_out_p90_ms,
    quantile_cont(s_duration_ns, 0.99) FILTER (WHERE NOT timed_out) / 1e6 AS answered_server_p99_ms,
    list(caller_key ORDER BY c_start_ns) FILTER (WHERE timed_out)[1:3] AS timed_out_keys,
    count(*) FILTER (WHERE timed_out AND s_end_ns - c_end_ns > greatest($orphan_min_ms * 1e6, 0.25 * c_duration_ns)) AS orphans,
    max((s_end_ns - c_end_ns) / 1e6) FILTER (WHERE timed_out AND s_end_ns - c_end_ns > greatest($orphan_min_ms * 1e6, 0.25 * c_duration_ns)) AS worst_overrun_ms,
    list(callee_key ORDER BY s_end_ns - c_end_ns DESC)
      FILTER (WHERE timed_out AND s_end_ns - c_end_ns > greatest($orphan_min_ms * 1e6, 0.25 * c_duration_ns))[1:3] AS orphan_keys,
    count(*) FILTER (WHERE timed_out AND callee_key IS NOT NULL) AS timed_out_answered,
    count(*) FILTER (WHERE unexplained_failure) AS unexplained_failures,
    quantile_cont(c_duration_ns, 0.1) FILTER (WHERE unexplained_failure) / 1e6 AS unexplained_p10_ms,
    quantile_cont(c_duration_ns, 0.5) FILTER (WHERE unexplained_failure) / 1e6 AS unexplained_p50_ms,
    quantile_cont(c_duration_ns, 0.9) FILTER (WHERE unexplained_failure) / 1e6 AS unexplained_p90_ms,
    list(caller_key ORDER BY c_start_ns) FILTER (WHERE unexplained_failure)[1:3] AS unexplained_keys
  FROM marked
  WHERE callee IS NOT NULL
  GROUP BY caller, callee
)
SELECT e.* EXCLUDE (timed_out_keys, orphan_keys, unexplained_keys),
       list_transform(e.timed_out_keys, key -> r.ref_of[key]) AS timed_out_refs,
       list_transform(e.orphan_keys, key -> r.ref_of[key]) AS orphan_refs,
       list_transform(e.unexplained_keys, key -> r.ref_of[key]) AS unexplained_refs
FROM edges e, span_ref_map((SELECT flatten(list(list_concat(timed_out_keys, orphan_keys, unexplained_keys))) FROM edges)) r
ORDER BY e.caller, e.callee
