package io.phantomdb.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: the shared {@link GrantMatrix} cannot pass by accident: its derived expectations agree with cells
 * PostgreSQL's documentation decides outright, and its comparison reports each kind of disagreement (ran when
 * denied, denied when allowed, another SQLSTATE or message, a wrong count, changed rows). Method: no database;
 * expectations are looked up by role, statement and table, and fake outcomes are fed to {@link GrantMatrix#check}.
 */
class GrantMatrixSelfCheckTest {
    private static GrantMatrix.Cell cell(String role, String table, int statement) {
        return GrantMatrix.cells().stream()
                .filter(c -> c.role().equals(role) && c.table().equals(table) && c.statement() == GrantMatrix.STATEMENTS.get(statement))
                .findFirst().orElseThrow();
    }

    @Test
    void expectationsFollowPostgreSqlOnCellsItDecidesOutright() {
        List<GrantMatrix.Cell> cells = GrantMatrix.cells();
        assertEquals(60, cells.size());
        long allowed = cells.stream().filter(GrantMatrix.Cell::allowed).count();
        // owner: 12; reader: SELECT t1; writer: INSERT, UPDATE, DELETE without WHERE on t1; all: 6 on t1
        assertEquals(12 + 1 + 3 + 6, allowed);
        assertTrue(cell("reader", "t1", 0).allowed());
        assertTrue(!cell("reader", "t1", 1).allowed(), "SELECT does not give INSERT");
        assertTrue(cell("writer", "t1", 2).allowed(), "UPDATE without WHERE needs only UPDATE");
        assertTrue(!cell("writer", "t1", 3).allowed(), "UPDATE ... WHERE reads the column: needs SELECT too");
        assertTrue(!cell("writer", "t1", 5).allowed(), "DELETE ... WHERE needs SELECT too");
        assertTrue(cell("owner", "t2", 5).allowed(), "the owner holds every privilege on its tables");
        assertTrue(!cell("all", "t2", 0).allowed(), "a grant on t1 gives nothing on t2");
        assertTrue(cells.stream().filter(c -> c.role().equals("none")).noneMatch(GrantMatrix.Cell::allowed));
    }

    @Test
    void checkReportsEveryKindOfDisagreement() {
        GrantMatrix.Cell update = cell("reader", "t1", 2); // denied
        GrantMatrix.Cell delete = cell("writer", "t1", 4); // allowed, leaves nothing
        GrantMatrix.Outcome denial = GrantMatrix.Outcome.failed("42501", "permission denied for table t1");
        assertEquals(List.of(), GrantMatrix.check(update, denial, GrantMatrix.INITIAL_ROWS));
        assertEquals(List.of(), GrantMatrix.check(delete, GrantMatrix.Outcome.ran(2), List.of()));
        assertEquals(List.of(), GrantMatrix.check(delete, GrantMatrix.Outcome.ran(-1), List.of()), "-1: count not reported");

        assertEquals(1, GrantMatrix.check(update, GrantMatrix.Outcome.ran(2), GrantMatrix.INITIAL_ROWS).size(), "ran when denied");
        assertEquals(2, GrantMatrix.check(update, GrantMatrix.Outcome.ran(2), List.of("1 u", "2 u")).size(), "and changed rows");
        assertEquals(1, GrantMatrix.check(update, GrantMatrix.Outcome.failed("42P01", "x"), GrantMatrix.INITIAL_ROWS).size());
        assertEquals(1, GrantMatrix.check(update, GrantMatrix.Outcome.failed("42501", "permission denied for table t2"),
                GrantMatrix.INITIAL_ROWS).size(), "message names the wrong table");
        assertEquals(1, GrantMatrix.check(update, denial, List.of("1 u", "2 u")).size(), "denied but changed rows");
        assertEquals(2, GrantMatrix.check(delete, denial, GrantMatrix.INITIAL_ROWS).size(), "denied when allowed");
        assertEquals(1, GrantMatrix.check(delete, GrantMatrix.Outcome.ran(1), List.of()).size(), "wrong count");
        assertEquals(1, GrantMatrix.check(delete.inverted(), GrantMatrix.Outcome.ran(2), GrantMatrix.INITIAL_ROWS).size(),
                "inverted expectation");
    }
}
