-- Every service name the traces know, as the span's own service or as a client's peer.
SELECT DISTINCT service FROM spans
UNION
SELECT DISTINCT peer_service FROM spans WHERE peer_service IS NOT NULL
