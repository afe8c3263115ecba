package io.phantomdb.server.pgcatalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.PhantomDb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared by the catalog tests: the capture schema, fixture loading and running a statement through PgCatalog. */
final class CatalogFixture {
    /** The schema of src/test/resources/pgcatalog/README.md, as created on the PostgreSQL that captured the queries. */
    static final List<String> SCHEMA = List.of(
            "CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner VARCHAR(40) NOT NULL, balance NUMERIC(12,2) DEFAULT 0, "
                    + "opened DATE, active BOOLEAN DEFAULT true, note TEXT, UNIQUE(owner))",
            "CREATE INDEX accounts_opened_idx ON accounts (opened DESC)",
            "CREATE TABLE events (id BIGINT, at TIMESTAMP NOT NULL, payload BYTEA, score DOUBLE PRECISION, ratio REAL, "
                    + "small SMALLINT, PRIMARY KEY (id, at))",
            "CREATE UNIQUE INDEX events_small_idx ON events (small, id)",
            "CREATE TABLE log (msg TEXT)",
            "CREATE VIEW rich AS SELECT id, owner FROM accounts WHERE balance > 1000");

    private CatalogFixture() {}

    static void createSchema(PhantomDb db) throws Exception {
        for (String ddl : SCHEMA) {
            db.execute(ddl).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    static PgSessionSettings settings() {
        return new PgSessionSettings("postgres", "phantom", Map.of());
    }

    static String resource(String path) {
        try (InputStream in = CatalogFixture.class.getResourceAsStream("/pgcatalog/" + path)) {
            assertTrue(in != null, "missing fixture " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bind parameters pgjdbc sent with fixture {@code name} ("$1 = 'public', $2 = 'events'"), or none. */
    static Object[] parameters(String name) {
        if (CatalogFixture.class.getResource("/pgcatalog/pgjdbc/" + name + ".params") == null) {
            return new Object[0];
        }
        List<Object> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\$\\d+ = '((?:[^']|'')*)'").matcher(resource("pgjdbc/" + name + ".params"));
        while (m.find()) {
            out.add(m.group(1).replace("''", "'"));
        }
        return out.toArray();
    }

    static CatalogQuery claim(PgCatalog catalog, String sql) {
        Optional<CatalogQuery> q = catalog.recognize(sql);
        assertTrue(q.isPresent(), "not claimed: " + sql);
        return q.get();
    }

    static List<Object[]> rows(PgCatalog catalog, PgSessionSettings settings, String sql, Object... parameters) {
        return claim(catalog, sql).run(parameters, settings).rows();
    }

    /** Rows as "a|b|c" lines (null as empty, booleans as t/f, like psql -A), for readable assertions. */
    static List<String> lines(List<Object[]> rows) {
        List<String> out = new ArrayList<>();
        for (Object[] row : rows) {
            out.add(String.join("|", Arrays.stream(row).map(CatalogFixture::show).toList()));
        }
        return out;
    }

    private static String show(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? "t" : "f";
        }
        return v.toString();
    }
}
