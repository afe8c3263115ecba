package io.phantomdb.server.pgwire;

import io.phantomdb.PhantomDb;
import io.phantomdb.security.ScramVerifier;
import io.phantomdb.server.pgcatalog.PgCatalog;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * What every connection of one server shares: the database, settings, the catalog emulation, the connection
 * registry, the TLS context (null when TLS is off), how to find a role's SCRAM verifier and whether passwords are
 * asked at all, and the secret behind mock verifiers of unknown roles. Immutable (its parts are thread-safe).
 */
record PgContext(PhantomDb db, PgWireSettings settings, PgCatalog pgCatalog, Connections connections,
        SSLContext sslContext, Function<String, Optional<ScramVerifier>> verifiers, boolean trust, byte[] mockSecret,
        SecureRandom random) {}
