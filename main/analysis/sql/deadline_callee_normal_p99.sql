-- Each service's normal p99 as a server: the median over minutes (with at least $min_spans spans)
-- of that minute's p99, so that an incident shorter than half the data does not move it.
WITH minutes AS (
  SELECT service, start_ns // 60000000000 AS minute, quantile_cont(duration_ns, 0.99) AS p99_ns
  FROM spans
  WHERE kind = 'server'
  GROUP BY service, minute
  HAVING count(*) >= $min_spans
)
SELECT service, median(p99_ns) / 1e6 AS normal_p99_ms, count(*) AS minutes
FROM minutes
GROUP BY service
