/**
 * The HTTP interface (docs/http.md): {@code POST /v1/sql} streams a statement's rows as NDJSON with
 * backpressure (a slow reader slows the scan), Basic/Bearer authentication, bearer tokens, HTTP sessions for
 * transaction blocks across requests, and {@code GET /v1/health}. Built on Pekko HTTP's Java API; JSON through
 * Jackson.
 *
 * <p>Layer 9 (server): may import the root package (PhantomDb), node (config), sql, security, catalog, error;
 * never client or cli. Entry class: {@link io.phantomdb.server.http.HttpServer}; settings:
 * {@link io.phantomdb.server.http.HttpSettings} ({@code phantom.http}).
 */
package io.phantomdb.server.http;
