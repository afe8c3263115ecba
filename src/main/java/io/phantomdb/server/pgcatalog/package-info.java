/**
 * The PostgreSQL catalog as clients see it: session settings (SET/SHOW/RESET, ParameterStatus), the probes
 * drivers send ({@code version()}, {@code current_schema()}), and answers to the exact {@code pg_catalog}
 * queries psql 15 and pgjdbc 42.7 send, computed from Phantom-DB's own catalog (docs/pg-catalog.md).
 *
 * <p>Entry class: {@link io.phantomdb.server.pgcatalog.PgCatalog}. The wire layer offers every statement to
 * {@link io.phantomdb.server.pgcatalog.PgCatalog#recognize} first; what is claimed is answered here, the rest
 * goes to the SQL engine. Recognition matches the whitespace-normalized text of known client queries and pulls
 * out their literals (patterns, oids, parameters); other catalog queries fail with 0A000 rather than get a
 * wrong answer.
 *
 * <p>May import: the root package (PhantomDb, Column), sql, security, catalog, node, error.
 */
package io.phantomdb.server.pgcatalog;
