-- Services that logged or traced anything in the baseline window: for them an event count of 0
-- there means none happened; for the others nothing was recorded to compare with.
SELECT DISTINCT service FROM logs
WHERE service IS NOT NULL AND ts_ns >= $base_from AND ts_ns < $base_to
UNION
SELECT DISTINCT service FROM spans
WHERE start_ns >= $base_from AND start_ns < $base_to
