/**
 * The network servers: the PostgreSQL wire protocol ({@code pgwire}) with its catalog emulation
 * ({@code pgcatalog}), and HTTP ({@code http}). They serve the embedded API ({@link io.phantomdb.PhantomDb}) to
 * clients over the network.
 *
 * <p>May import everything below it (root package, node, sql, security, exec, catalog, error, config); never
 * client or cli (same rank).
 */
package io.phantomdb.server;
