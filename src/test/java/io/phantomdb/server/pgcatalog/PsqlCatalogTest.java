package io.phantomdb.server.pgcatalog;

import static io.phantomdb.server.pgcatalog.CatalogFixture.claim;
import static io.phantomdb.server.pgcatalog.CatalogFixture.lines;
import static io.phantomdb.server.pgcatalog.CatalogFixture.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.security.RoleInfo;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * Goal: psql 15's describe commands show Phantom-DB's tables, views, indexes, roles and database as PostgreSQL
 * shows the same schema. Method: the exact query texts psql sent to a PostgreSQL 15 holding the same schema
 * (src/test/resources/pgcatalog/psql) are fed to PgCatalog over a TestNode; the rows are compared with the
 * rows PostgreSQL returned (recorded here), except where the doc names a difference (owner, collation, size).
 */
class PsqlCatalogTest {
    @TempDir
    static Path dir;
    static TestNode node;
    static PgCatalog catalog;
    static PgSessionSettings settings;

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode(dir);
        CatalogFixture.createSchema(node.db());
        catalog = new PgCatalog(node.db());
        settings = CatalogFixture.settings();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static List<String> run(String fixture) {
        List<String> out = lines(CatalogFixture.rows(catalog, settings, resource("psql/" + fixture + ".sql")));
        // PostgreSQL's owner was "postgres"; Phantom-DB shows its first superuser (docs/pg-catalog.md).
        return out.stream().map(l -> String.join("|", java.util.Arrays.stream(l.split("\\|", -1))
                .map(f -> f.equals(owner()) ? "postgres" : f).toList())).toList();
    }

    /** The owner Phantom-DB shows: the superuser with the lowest oid, or the session user when no role exists yet. */
    private static String owner() {
        return node.db().security().roles().stream().filter(RoleInfo::superuser)
                .min(java.util.Comparator.comparingInt(RoleInfo::oid)).map(RoleInfo::name).orElse("postgres");
    }

    /** Runs a per-oid fixture with PostgreSQL's oid of {@code pgOid} replaced by ours for {@code relation}. */
    private static List<String> runFor(String fixture, String pgOid, String relation) {
        String sql = resource("psql/" + fixture + ".sql").replace("'" + pgOid + "'", "'" + oid(relation) + "'");
        return lines(CatalogFixture.rows(catalog, settings, sql));
    }

    private static int oid(String relation) {
        String lookup = resource("psql/describe_lookup.sql").replace("^(accounts)$", "^(" + relation + ")$");
        List<Object[]> rows = CatalogFixture.rows(catalog, settings, lookup);
        assertEquals(1, rows.size(), relation);
        return (Integer) rows.get(0)[0];
    }

    @Test
    void listsRelationsLikePostgres() {
        assertEquals(List.of("public|accounts|table|postgres", "public|events|table|postgres", "public|log|table|postgres",
                "public|rich|view|postgres"), run("list_d"));
        assertEquals(List.of("public|accounts|table|postgres", "public|events|table|postgres", "public|log|table|postgres"),
                run("list_dt"));
        assertEquals(List.of("public|accounts|table|postgres"), run("list_dt_pattern"));
        assertEquals(List.of("public|rich|view|postgres"), run("list_dv"));
        assertEquals(List.of(), run("list_ds"));
        assertEquals(List.of("public|accounts_opened_idx|index|postgres|accounts",
                "public|accounts_owner_key|index|postgres|accounts", "public|accounts_pkey|index|postgres|accounts",
                "public|events_pkey|index|postgres|events", "public|events_small_idx|index|postgres|events"), run("list_di"));
    }

    @Test
    void verboseListingHasPsqlsColumns() {
        CatalogQuery q = claim(catalog, resource("psql/list_dt_verbose.sql"));
        assertEquals(List.of("Schema", "Name", "Type", "Owner", "Persistence", "Access method", "Size", "Description"),
                q.columns().stream().map(io.phantomdb.Column::name).toList());
        assertEquals("public|accounts|table|postgres|permanent|heap||", run("list_dt_verbose").get(0));
        assertEquals("public|rich|view|postgres|permanent|||", run("list_d_verbose").get(3));
    }

    @Test
    void listsSchemasDatabasesAndRoles() {
        assertEquals(List.of("public|pg_database_owner"), run("list_dn"));
        assertEquals(List.of("phantom|" + owner() + "|UTF8|C|C||libc|"),
                lines(CatalogFixture.rows(catalog, settings, resource("psql/list_l.sql"))));
        List<RoleInfo> roles = node.db().security().roles();
        List<String> du = lines(CatalogFixture.rows(catalog, settings, resource("psql/list_du.sql")));
        if (roles.isEmpty()) {
            assertEquals(List.of("postgres|t|t|t|t|t|-1||{}|f|t"), du);
        } else {
            assertEquals(roles.stream().map(RoleInfo::name).filter(n -> !n.startsWith("pg_")).sorted().toList(),
                    du.stream().map(l -> l.substring(0, l.indexOf('|'))).toList());
        }
        assertEquals(List.of(), run("list_df"));
        assertEquals(List.of(), run("list_dT_types"));
    }

    @Test
    void describesATable() {
        assertEquals(List.of(oid("accounts") + "|public|accounts"), run("describe_lookup"));
        assertEquals(List.of("0|r|t|f|f|f|f|f|f||0||p|d|heap"), runFor("describe_flags", "16385", "accounts"));
        assertEquals(List.of("id|integer||t|||", "owner|character varying(40)||t|||", "balance|numeric(12,2)|0|f|||",
                "opened|date||f|||", "active|boolean|true|f|||", "note|text||f|||"),
                runFor("describe_columns", "16385", "accounts"));
        assertEquals(List.of(
                "accounts_pkey|t|t|f|t|CREATE UNIQUE INDEX accounts_pkey ON accounts USING btree (id)|PRIMARY KEY (id)|p|f|f|f|0",
                "accounts_opened_idx|f|f|f|t|CREATE INDEX accounts_opened_idx ON accounts USING btree (opened DESC)|||||f|0",
                "accounts_owner_key|f|t|f|t|CREATE UNIQUE INDEX accounts_owner_key ON accounts USING btree (owner)|UNIQUE (owner)|u|f|f|f|0"),
                runFor("describe_indexes", "16385", "accounts"));
        assertEquals(List.of("id|integer||t||||p|||", "owner|character varying(40)||t||||x|||",
                "balance|numeric(12,2)|0|f||||m|||", "opened|date||f||||p|||", "active|boolean|true|f||||p|||",
                "note|text||f||||x|||"), runFor("describe_columns_verbose", "16385", "accounts"));
        assertEquals(List.of("0|r|t|f|f|f|f|f|f||0||p|d|heap"), runFor("describe_flags_verbose", "16385", "accounts"));
    }

    @Test
    void describesCompositeKeysViewsAndIndexes() {
        String events = resource("psql/describe_indexes.sql").replace("'16385'", "'" + oid("events") + "'");
        assertEquals(List.of(
                "events_pkey|t|t|f|t|CREATE UNIQUE INDEX events_pkey ON events USING btree (id, at)|PRIMARY KEY (id, at)|p|f|f|f|0",
                "events_small_idx|f|t|f|t|CREATE UNIQUE INDEX events_small_idx ON events USING btree (small, id)|||||f|0"),
                lines(CatalogFixture.rows(catalog, settings, events)));
        // PostgreSQL shows owner as character varying(40); a view's columns keep only the type, not its length.
        assertEquals(List.of("id|integer||f|||", "owner|text||f|||"), runFor("describe_columns", "16385", "rich"));
        assertEquals("v", runFor("describe_flags", "16385", "rich").get(0).split("\\|")[1]);
        assertTrue(runFor("describe_view_definition", "16410", "rich").get(0).toLowerCase().contains("from accounts"));
        assertEquals(List.of("id|integer|yes|id"), runFor("describe_index_columns", "16392", "accounts_pkey"));
        assertEquals(List.of("t|t|f|t|f|f|f|f|btree|accounts|"), runFor("describe_index_details", "16392", "accounts_pkey"));
    }

    @Test
    void objectKindsPhantomLacksAreEmpty() {
        Map<String, Integer> columns = Map.of("describe_policies", 6, "describe_statistics", 9, "describe_publications", 3,
                "describe_inherits_parents", 1, "describe_inherits_children", 4);
        for (Map.Entry<String, Integer> e : columns.entrySet()) {
            String sql = resource("psql/" + e.getKey() + ".sql");
            assertEquals(e.getValue(), claim(catalog, sql).columns().size(), e.getKey());
            assertEquals(List.of(), lines(CatalogFixture.rows(catalog, settings, sql)), e.getKey());
        }
        assertEquals(List.of(), runFor("describe_view_rules", "16410", "rich"));
    }

    @Test
    void unknownRelationIsNotFoundAndDroppedOidIs42P01() {
        String lookup = resource("psql/describe_lookup.sql").replace("^(accounts)$", "^(nosuch)$");
        assertEquals(List.of(), CatalogFixture.rows(catalog, settings, lookup));
        String flags = resource("psql/describe_flags.sql").replace("'16385'", "'12345'");
        PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> CatalogFixture.rows(catalog, settings, flags));
        assertEquals(SqlState.UNDEFINED_TABLE, e.state());
    }

    @Test
    void otherCatalogQueriesFailWith0A000AndUserQueriesAreNotClaimed() {
        for (String sql : List.of("SELECT * FROM pg_catalog.pg_stat_activity", "select relname from pg_class",
                "SELECT table_name FROM information_schema.routines")) {
            PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> catalog.recognize(sql), sql);
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state(), sql);
            assertTrue(e.getMessage().contains(sql.split(" ")[0]), e.getMessage());
        }
        for (String sql : List.of("SELECT * FROM accounts", "SELECT 1", "BEGIN", "COMMIT",
                "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SHOW transaction_isolation", "SET transaction_isolation = 'serializable'",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SHOW TRANSACTION ISOLATION LEVEL",
                "SET ROLE alice", "SET SESSION AUTHORIZATION alice", "GRANT SELECT ON accounts TO alice", "", "  ",
                "INSERT INTO log VALUES ('pg_class')", "SELECT version FROM accounts")) {
            assertTrue(catalog.recognize(sql).isEmpty(), sql);
        }
    }
}
