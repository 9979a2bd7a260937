-- Span counts of both windows, to turn dimension counts into shares.
SELECT count(*) FILTER (WHERE start_ns >= $inc_from AND start_ns < $inc_to) AS inc_spans,
       count(*) FILTER (WHERE start_ns >= $base_from AND start_ns < $base_to) AS base_spans,
       count(*) FILTER (WHERE start_ns >= $inc_from AND start_ns < $inc_to AND (status_code = 2 OR http_status >= 500)) AS inc_failed,
       count(*) FILTER (WHERE start_ns >= $base_from AND start_ns < $base_to AND (status_code = 2 OR http_status >= 500)) AS base_failed
FROM spans
