package io.phantomdb.server.pgcatalog;

import static io.phantomdb.server.pgcatalog.CatalogFixture.lines;
import static io.phantomdb.server.pgcatalog.CatalogFixture.parameters;
import static io.phantomdb.server.pgcatalog.CatalogFixture.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.catalog.DataType;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * Goal: pgjdbc 42.7's DatabaseMetaData and connection-setup queries get the answers PostgreSQL gives for the same
 * schema. Method: the statements and bind parameters the driver sent to PostgreSQL 15
 * (src/test/resources/pgcatalog/pgjdbc) are run through PgCatalog over a TestNode; rows are compared with what the
 * driver returned from PostgreSQL (recorded here). Also: parameters are declared as text, literals (simple
 * protocol) work like parameters, and the driver's transaction statements and user queries are not claimed.
 */
class JdbcCatalogTest {
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
        return lines(CatalogFixture.rows(catalog, settings, resource("pgjdbc/" + fixture + ".sql"), parameters(fixture)));
    }

    @Test
    void getTablesHonoursTypesAndPatterns() {
        assertEquals(List.of("phantom|public|accounts|TABLE||||||", "phantom|public|events|TABLE||||||",
                "phantom|public|log|TABLE||||||", "phantom|public|rich|VIEW||||||"), run("get_tables"));
        assertEquals(List.of("phantom|public|accounts_opened_idx|INDEX||||||", "phantom|public|accounts_owner_key|INDEX||||||",
                "phantom|public|accounts_pkey|INDEX||||||", "phantom|public|accounts|TABLE||||||"),
                run("get_tables_schema_pattern"));
        CatalogQuery q = CatalogFixture.claim(catalog, resource("pgjdbc/get_tables_schema_pattern.sql"));
        assertEquals(List.of(DataType.VARCHAR, DataType.VARCHAR), q.parameterTypes());
        assertEquals(List.of(), lines(q.run(new Object[] {"other", "%"}, settings).rows()));
        // The simple protocol inlines the pattern as a literal.
        String inlined = resource("pgjdbc/get_tables.sql").replace("$1", "'ev%'");
        assertEquals(List.of("phantom|public|events|TABLE||||||"), lines(CatalogFixture.rows(catalog, settings, inlined)));
    }

    @Test
    void getColumnsGivesTypesModifiersNullabilityAndDefaults() {
        // current_database, nspname, relname, attname, atttypid, attnotnull, atttypmod, attlen, typtypmod, attnum,
        // attidentity, attgenerated, adsrc, description, typbasetype, typtype
        assertEquals(List.of("phantom|public|accounts|id|23|t|-1|4|-1|1|||||0|b",
                "phantom|public|accounts|owner|1043|t|44|-1|-1|2|||||0|b",
                "phantom|public|accounts|balance|1700|f|786438|-1|-1|3|||0||0|b",
                "phantom|public|accounts|opened|1082|f|-1|4|-1|4|||||0|b",
                "phantom|public|accounts|active|16|f|-1|1|-1|5|||true||0|b",
                "phantom|public|accounts|note|25|f|-1|-1|-1|6|||||0|b"), run("get_columns"));
        List<String> events = run("get_columns_schema_pattern");
        assertEquals(List.of("id", "at", "payload", "score", "ratio", "small"),
                events.stream().map(l -> l.split("\\|")[3]).toList());
        assertEquals(List.of("20", "1114", "17", "701", "700", "21"), events.stream().map(l -> l.split("\\|")[4]).toList());
    }

    @Test
    void getPrimaryKeysAndIndexInfo() {
        assertEquals(List.of("phantom|public|events|id|1|events_pkey", "phantom|public|events|at|2|events_pkey"),
                run("get_primary_keys"));
        assertEquals(List.of("phantom|public|accounts|f||accounts_owner_key|3|1|owner|A|0.0|0||",
                "phantom|public|accounts|f||accounts_pkey|3|1|id|A|0.0|0||",
                "phantom|public|accounts|t||accounts_opened_idx|3|1|opened|D|0.0|0||"), run("get_index_info"));
        assertEquals(List.of("phantom|public|events|f||events_pkey|3|1|id|A|0.0|0||",
                "phantom|public|events|f||events_pkey|3|2|at|A|0.0|0||",
                "phantom|public|events|f||events_small_idx|3|1|small|A|0.0|0||",
                "phantom|public|events|f||events_small_idx|3|2|id|A|0.0|0||"), run("get_index_info_unique"));
    }

    @Test
    void schemasCatalogsTypesAndSettings() {
        assertEquals(List.of("public|phantom"), run("get_schemas"));
        assertEquals(List.of("public|phantom"), run("get_schemas_pattern"));
        assertEquals(List.of("phantom"), run("get_catalogs"));
        List<String> types = run("get_type_info");
        assertEquals(PgTypes.ALL.size(), types.size());
        assertTrue(types.containsAll(List.of("int4|23", "varchar|1043", "numeric|1700", "timestamp|1114")), types.toString());
        assertTrue(run("type_lookup").contains("f|b|int8|20"));
        assertEquals(List.of("32"), run("max_index_keys"));
        assertEquals(List.of("phantom"), run("current_catalog"));
        assertEquals(List.of("public"), run("current_schema"));
        assertEquals(List.of(), run("get_procedures"));
        assertEquals(List.of(), run("get_imported_keys"));
        assertEquals(List.of(), run("get_exported_keys"));
        assertEquals(List.of(), run("get_udts"));
    }

    @Test
    void resultSetMetaDataLooksColumnsUpByTableOid() {
        int oid = CatalogModel.tableOid(node.db().engine().catalogSnapshot().table("accounts"));
        String sql = resource("pgjdbc/rsmd_columns.sql").replace("16385", String.valueOf(oid));
        assertEquals(List.of(oid + "|1|id|accounts|public|t|f", oid + "|2|owner|accounts|public|t|f",
                oid + "|3|balance|accounts|public|f|f"), lines(CatalogFixture.rows(catalog, settings, sql)));
    }

    @Test
    void connectionSetupIsClaimedAndTransactionsAndUserQueriesAreNot() {
        PgSessionSettings own = CatalogFixture.settings();
        CatalogResult set = CatalogFixture.claim(catalog, resource("pgjdbc/set_appname.sql")).run(new Object[0], own);
        assertEquals("SET", set.commandTag());
        assertEquals("PostgreSQL JDBC Driver", own.get("application_name"));
        for (String fixture : List.of("set_session_characteristics", "show_isolation", "user_select", "user_prepared")) {
            assertTrue(catalog.recognize(resource("pgjdbc/" + fixture + ".sql")).isEmpty(), fixture);
        }
    }
}
