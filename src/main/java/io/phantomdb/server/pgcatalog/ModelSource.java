package io.phantomdb.server.pgcatalog;

/** Builds the catalog model as it is now, for one execution (each run sees the latest DDL). */
interface ModelSource {
    CatalogModel model(PgSessionSettings settings);
}
