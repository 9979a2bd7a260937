INSERT INTO sources (path, sha256, format, bytes)
VALUES ($path, $sha256, $format, $bytes)
RETURNING source_id;
