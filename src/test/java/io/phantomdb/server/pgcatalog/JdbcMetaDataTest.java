package io.phantomdb.server.pgcatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.server.pgwire.PgWireServer;
import io.phantomdb.server.pgwire.PgWireSettings;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * Goal: pgjdbc's DatabaseMetaData describes Phantom-DB's schema through the wire protocol, as tools (IDEs,
 * ORMs, migration tools) use it. Method: a TestNode with the capture schema and the pgwire server on a free
 * loopback port; pgjdbc connects and calls getTables, getColumns, getPrimaryKeys, getIndexInfo, getSchemas,
 * getCatalogs, getTypeInfo and ResultSetMetaData; results are checked against the schema.
 */
class JdbcMetaDataTest {
    private static final long START_SECONDS = 60;

    @TempDir
    static Path dir;
    static TestNode node;
    static PgWireServer server;

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode(dir);
        node.db().execute("CREATE USER alice WITH SUPERUSER PASSWORD 'pw'").toCompletableFuture()
                .get(START_SECONDS, TimeUnit.SECONDS);
        CatalogFixture.createSchema(node.db());
        server = PgWireServer.start(node.db(), PgWireSettings.defaults().withPort(0)).toCompletableFuture()
                .get(START_SECONDS, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.stop().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            node.close();
        }
    }

    private static Connection connect() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "alice");
        p.setProperty("password", "pw");
        p.setProperty("connectTimeout", "30");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/phantom", p);
    }

    private static List<String> column(ResultSet rs, String... names) throws Exception {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (String name : names) {
                    b.append(b.length() > 0 ? "|" : "").append(rs.getString(name));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void tablesColumnsKeysAndIndexes() throws Exception {
        try (Connection c = connect()) {
            DatabaseMetaData m = c.getMetaData();
            assertEquals(List.of("phantom|public|accounts|TABLE", "phantom|public|events|TABLE", "phantom|public|log|TABLE",
                    "phantom|public|rich|VIEW"), column(m.getTables(null, null, "%", new String[] {"TABLE", "VIEW"}),
                    "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"));
            assertEquals(List.of("id|4|int4|10|NO", "owner|12|varchar|40|NO", "balance|2|numeric|12|YES",
                    "opened|91|date|13|YES", "active|-7|bool|1|YES", "note|12|text|2147483647|YES"),
                    column(m.getColumns(null, "public", "accounts", "%"), "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME",
                            "COLUMN_SIZE", "IS_NULLABLE"));
            assertEquals(List.of("id|1|events_pkey", "at|2|events_pkey"),
                    column(m.getPrimaryKeys(null, null, "events"), "COLUMN_NAME", "KEY_SEQ", "PK_NAME"));
            assertEquals(List.of("f|accounts_owner_key|owner|A", "f|accounts_pkey|id|A", "t|accounts_opened_idx|opened|D"),
                    column(m.getIndexInfo(null, null, "accounts", false, false), "NON_UNIQUE", "INDEX_NAME", "COLUMN_NAME",
                            "ASC_OR_DESC"));
            assertEquals(List.of("public|phantom"), column(m.getSchemas(), "TABLE_SCHEM", "TABLE_CATALOG"));
            assertEquals(List.of("phantom"), column(m.getCatalogs(), "TABLE_CAT"));
            List<String> types = column(m.getTypeInfo(), "TYPE_NAME");
            assertTrue(types.containsAll(List.of("int4", "int8", "varchar", "numeric", "bool", "timestamp")), types.toString());
        }
    }

    @Test
    void resultSetMetaDataAndSessionProbes() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, owner, balance FROM accounts")) {
                ResultSetMetaData md = rs.getMetaData();
                assertEquals(List.of(Types.INTEGER, Types.VARCHAR, Types.NUMERIC),
                        List.of(md.getColumnType(1), md.getColumnType(2), md.getColumnType(3)));
                assertEquals("id", md.getColumnName(1));
            }
            assertEquals("public", c.getSchema());
            assertEquals("phantom", c.getCatalog());
            try (ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertEquals("alice", rs.getString(1));
            }
        }
    }
}
