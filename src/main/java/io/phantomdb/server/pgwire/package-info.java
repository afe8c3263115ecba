/**
 * The PostgreSQL wire protocol v3 server on Pekko Streams TCP (docs/pgwire.md): SSLRequest/TLS, startup,
 * SCRAM-SHA-256, simple and extended query with portals that honour a client's fetch size, CancelRequest,
 * statement and idle-in-transaction timeouts, max-connections. One stream per connection owns that client's
 * {@code SessionState}, settings, prepared statements and portals.
 *
 * <p>Entry class: {@link io.phantomdb.server.pgwire.PgWireServer}; settings {@link
 * io.phantomdb.server.pgwire.PgWireSettings} ({@code phantom.pgwire}).
 *
 * <p>May import: the root package (PhantomDb, Column), sql, security, catalog, node, error, and
 * server.pgcatalog (the pg_catalog emulation every statement is offered to first).
 */
package io.phantomdb.server.pgwire;
