-- The callee a calling span names itself, for when no server span answered it: the one rule that
-- both the call pairs (edge_call_pairs.sql) and the ranking (rank_components.sql) follow, so that
-- an edge and a ranked component of the same call carry the same name. Read in this order:
--   1. peer.service, unless it only repeats the database engine ("postgres" beside db.system
--      "postgresql", as Zipkin's remoteEndpoint often gives it);
--   2. for a database call, the first label of the host it called (server.address, net.peer.name,
--      db.name, db.namespace): "orders-db" of orders-db.prod.svc.cluster.local;
--   3. for any other call, the first label of the host when that names another known service,
--      else the whole host (an outside API keeps its domain);
--   4. the database engine.
-- Columns it reads: service (the caller), peer_service, db_system, server_address, net_peer_name,
-- db_name, db_namespace, known_services (every service name in the spans, as a list).
COALESCE(
  CASE WHEN db_system IS NOT NULL
        AND (starts_with(lower(db_system), lower(peer_service)) OR starts_with(lower(peer_service), lower(db_system)))
       THEN NULL ELSE peer_service END,
  CASE WHEN db_system IS NOT NULL
       THEN nullif(regexp_extract(coalesce(server_address, net_peer_name, db_name, db_namespace), '^([A-Za-z][A-Za-z0-9_-]*)', 1), '')
       WHEN list_contains(known_services, split_part(coalesce(server_address, net_peer_name), '.', 1))
        AND split_part(coalesce(server_address, net_peer_name), '.', 1) <> service
       THEN split_part(coalesce(server_address, net_peer_name), '.', 1)
  END,
  server_address,
  net_peer_name,
  db_system
)
