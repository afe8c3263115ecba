package io.phantomdb.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.Row;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.sql.SessionState;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the GRANT matrix of issue 6 ({@link GrantMatrix}: roles {owner, reader, writer, all, none} x statements
 * {SELECT, INSERT, UPDATE, UPDATE ... WHERE, DELETE, DELETE ... WHERE} x tables {t1 granted, t2 not granted})
 * gives 42501 exactly where PostgreSQL does, and a denied statement changes nothing. Method: every cell runs its
 * statement through {@code engine().session(role)} on freshly reset tables; the expected outcome is derived
 * from PostgreSQL's rule by {@link GrantMatrix#cells} (the owner holds every privilege; a statement needs its own
 * privilege plus SELECT when it reads the table's columns, e.g. in a WHERE clause), not written per cell; then
 * the outcome, its row count and the table's rows are compared with the expectation, all mismatches reported
 * together. A second run with one inverted expectation shows that the comparison does catch a wrong cell.
 */
class GrantMatrixTest {
    @TempDir
    Path dir;

    @Test
    void everyCellOfTheMatrixIsAllowedOrDeniedAsInPostgreSql() throws Exception {
        try (TestNode node = new TestNode(dir, Map.of("phantom.security.admin-password", "pw"))) {
            Map<String, SessionState> sessions = setUp(node);
            List<String> mismatches = new ArrayList<>();
            List<GrantMatrix.Cell> cells = GrantMatrix.cells();
            for (GrantMatrix.Cell cell : cells) {
                mismatches.addAll(run(node, sessions.get(cell.role()), cell));
            }
            assertEquals(5 * 2 * 6, cells.size());
            assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
            GrantMatrix.Cell denied = cells.stream().filter(c -> !c.allowed()).findFirst().orElseThrow();
            GrantMatrix.Cell allowed = cells.stream().filter(c -> c.allowed() && c.statement().needs().size() > 1)
                    .findFirst().orElseThrow();
            assertFalse(run(node, sessions.get(denied.role()), denied.inverted()).isEmpty(), "a wrong expectation is caught: " + denied);
            assertFalse(run(node, sessions.get(allowed.role()), allowed.inverted()).isEmpty(), "a wrong expectation is caught: " + allowed);
        }
    }

    /** Roles, tables and grants of the matrix; one embedded session per role. */
    private static Map<String, SessionState> setUp(TestNode node) throws Exception {
        Map<String, SessionState> sessions = new HashMap<>();
        GrantMatrix.setUp(node::execute, sql -> run(node, sessions.computeIfAbsent("owner", r -> node.db().engine().session(r)), sql));
        for (String role : GrantMatrix.roles()) {
            sessions.computeIfAbsent(role, r -> node.db().engine().session(r));
        }
        return sessions;
    }

    private static List<String> run(TestNode node, SessionState session, GrantMatrix.Cell cell) throws Exception {
        GrantMatrix.reset(node::execute, cell.table());
        GrantMatrix.Outcome outcome;
        try {
            SessionState.Result r = node.await(session.query(cell.sql(), new Object[0]));
            outcome = GrantMatrix.Outcome.ran(r.columns().isEmpty() ? r.count() : r.rows().size());
        } catch (PhantomSqlException e) {
            outcome = GrantMatrix.Outcome.failed(e.state().code(), e.getMessage());
        }
        return GrantMatrix.check(cell, outcome, rows(node, cell.table()));
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
