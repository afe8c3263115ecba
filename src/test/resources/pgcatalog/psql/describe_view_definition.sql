SELECT pg_catalog.pg_get_viewdef('16410'::pg_catalog.oid, true);
