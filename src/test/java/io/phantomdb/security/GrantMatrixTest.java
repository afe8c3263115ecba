package io.phantomdb.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.Row;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.SessionState;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the GRANT matrix of issue 6 - roles {owner, reader, writer, all, none} x statements {SELECT, INSERT,
 * UPDATE, UPDATE ... WHERE, DELETE, DELETE ... WHERE} x tables {t1 granted, t2 not granted} - gives 42501
 * exactly where PostgreSQL does, and a denied statement changes nothing. Method: every cell runs its statement
 * through {@code engine().session(role)} on freshly reset tables; the expected outcome is derived from
 * PostgreSQL's rule (the owner holds every privilege; a statement needs its own privilege plus SELECT when it
 * reads the table's columns, e.g. in a WHERE clause), not written per cell; then the table's rows are compared
 * with what the statement should have left.
 */
class GrantMatrixTest {
    private static final Set<Privilege> NONE = EnumSet.noneOf(Privilege.class);

    @TempDir
    Path dir;

    /** A statement of the matrix: its SQL on table %s, what it needs, and its effect on rows {1 a, 2 b}. */
    private record Cell(String sql, Set<Privilege> needs, List<String> after) {}

    private static final List<Cell> STATEMENTS = List.of(
            new Cell("SELECT id, v FROM %s", EnumSet.of(Privilege.SELECT), List.of("1 a", "2 b")),
            new Cell("INSERT INTO %s VALUES (3, 'c')", EnumSet.of(Privilege.INSERT), List.of("1 a", "2 b", "3 c")),
            new Cell("UPDATE %s SET v = 'u'", EnumSet.of(Privilege.UPDATE), List.of("1 u", "2 u")),
            new Cell("UPDATE %s SET v = 'u' WHERE id = 1", EnumSet.of(Privilege.UPDATE, Privilege.SELECT), List.of("1 u", "2 b")),
            new Cell("DELETE FROM %s", EnumSet.of(Privilege.DELETE), List.of()),
            new Cell("DELETE FROM %s WHERE id = 1", EnumSet.of(Privilege.DELETE, Privilege.SELECT), List.of("2 b")));

    @Test
    void everyCellOfTheMatrixIsAllowedOrDeniedAsInPostgreSql() {
        try (TestNode node = new TestNode(dir, Map.of("phantom.security.admin-password", "pw"))) {
            node.execute("CREATE ROLE owner LOGIN");
            node.execute("GRANT CREATE ON SCHEMA public TO owner");
            SessionState owner = node.db().engine().session("owner");
            for (String t : List.of("t1", "t2")) {
                run(node, owner, "CREATE TABLE " + t + " (id INT PRIMARY KEY, v TEXT)");
            }
            Map<String, Set<Privilege>> onT1 = new LinkedHashMap<>();
            onT1.put("owner", Privilege.TABLE); // implicit: the creator owns t1 and t2
            onT1.put("reader", EnumSet.of(Privilege.SELECT));
            onT1.put("writer", EnumSet.of(Privilege.INSERT, Privilege.UPDATE, Privilege.DELETE));
            onT1.put("all", Privilege.TABLE);
            onT1.put("none", NONE);
            node.execute("CREATE ROLE reader LOGIN");
            node.execute("CREATE ROLE writer LOGIN");
            node.execute("CREATE ROLE \"all\" LOGIN");
            node.execute("CREATE ROLE none LOGIN");
            run(node, owner, "GRANT SELECT ON t1 TO reader"); // granted by the owner, as in PostgreSQL
            run(node, owner, "GRANT INSERT, UPDATE, DELETE ON TABLE t1 TO writer");
            node.execute("GRANT ALL PRIVILEGES ON t1 TO \"all\""); // and by a superuser
            List<String> mismatches = new ArrayList<>();
            int cells = 0;
            for (Map.Entry<String, Set<Privilege>> role : onT1.entrySet()) {
                SessionState session = node.db().engine().session(role.getKey());
                for (String table : List.of("t1", "t2")) {
                    Set<Privilege> held = table.equals("t1") || role.getKey().equals("owner") ? role.getValue() : NONE;
                    for (Cell cell : STATEMENTS) {
                        check(node, session, role.getKey(), table, cell, held.containsAll(cell.needs()), mismatches);
                        cells++;
                    }
                }
            }
            assertEquals(5 * 2 * 6, cells);
            assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        }
    }

    private static void check(TestNode node, SessionState session, String role, String table, Cell cell, boolean allowed,
            List<String> mismatches) {
        node.execute("DELETE FROM " + table);
        node.execute("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b')");
        String sql = String.format(cell.sql(), table);
        String where = role + " / " + sql + ": ";
        try {
            node.await(session.query(sql, new Object[0]));
            if (!allowed) {
                mismatches.add(where + "ran, PostgreSQL denies it");
            }
        } catch (PhantomSqlException e) {
            if (allowed || e.state() != SqlState.INSUFFICIENT_PRIVILEGE) {
                mismatches.add(where + "failed with " + e.state() + " " + e.getMessage());
            } else if (!e.getMessage().equals("permission denied for table " + table)) {
                mismatches.add(where + "message " + e.getMessage());
            }
        }
        List<String> expected = allowed ? cell.after() : List.of("1 a", "2 b");
        List<String> actual = rows(node, table);
        if (!actual.equals(expected)) {
            mismatches.add(where + "left " + actual + ", expected " + expected);
        }
    }

    static List<String> rows(TestNode node, String table) {
        List<String> out = new ArrayList<>();
        for (Row r : node.query("SELECT id, v FROM " + table + " ORDER BY id")) {
            out.add(r.get(0) + " " + r.get(1));
        }
        return out;
    }

    static void run(TestNode node, SessionState session, String sql) {
        try {
            node.await(session.query(sql, new Object[0]));
        } catch (PhantomSqlException e) {
            fail(sql + ": " + e.state() + " " + e.getMessage(), e);
        }
    }
}
