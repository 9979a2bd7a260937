INSERT INTO sources (path, sha256, format, bytes, timezone)
VALUES ($path, $sha256, $format, $bytes, $timezone)
RETURNING source_id;
