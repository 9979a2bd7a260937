-- A service's runtime GC lines in a window (Go gctrace, JVM unified logging, JVM -verbose:gc).
SELECT CAST(ts_ns AS VARCHAR) AS ts_ns, body, source_id, source_line
FROM logs
WHERE service = $service
  AND ts_ns BETWEEN $from_ns AND $to_ns
  AND (regexp_matches(body, $re_gc_go_trace, 'i') OR regexp_matches(body, $re_gc_jvm_pause, 'i') OR regexp_matches(body, $jvm_classic_gc, 'i'))
ORDER BY ts_ns
LIMIT $limit;
