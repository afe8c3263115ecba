package io.phantomdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.testkit.TestNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the embedded API does what a user of a SQL database relies on - DDL, DML, queries with parameters,
 * constraint errors with their SQLSTATE that change nothing, EXPLAIN naming the index and partitions, and
 * data and catalog surviving a restart.
 *
 * <p>Method: one node (own actor system, temporary data directory) per class; each test uses its own tables.
 * Results are compared with values worked out by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhantomDbTest {
    @TempDir
    static Path dir;

    TestNode node;

    @BeforeAll
    void start() {
        node = new TestNode(dir.resolve("node"));
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private List<List<Object>> rows(String sql, Object... params) {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : node.query(sql, params)) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                values.add(r.get(i));
            }
            out.add(values);
        }
        return out;
    }

    private PhantomSqlException fails(String sql, Object... params) {
        return assertThrows(PhantomSqlException.class, () -> node.execute(sql, params));
    }

    @Test
    void createInsertSelectUpdateDeleteOnAKeyedTable() {
        node.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner VARCHAR(20) NOT NULL, balance BIGINT) WITH (partitions = 3)");
        assertEquals(3, node.execute("INSERT INTO accounts VALUES (1, 'ann', 100), (2, 'bob', 50), (3, 'cy', NULL)"));
        assertEquals(List.of(List.of(1, "ann", 100L), List.of(2, "bob", 50L)),
                rows("SELECT id, owner, balance FROM accounts WHERE balance IS NOT NULL ORDER BY id"));
        assertEquals(1, node.execute("UPDATE accounts SET balance = balance - 30 WHERE id = $1", 1));
        assertEquals(List.of(List.of(70L)), rows("SELECT balance FROM accounts WHERE id = 1"));
        assertEquals(1, node.execute("DELETE FROM accounts WHERE owner = 'cy'"));
        assertEquals(List.of(List.of(2L, new BigDecimal("120"))), rows("SELECT COUNT(*), SUM(balance) FROM accounts")); // SUM(bigint) is numeric, as in PostgreSQL
    }

    @Test
    void constraintViolationsCarryTheirSqlstateAndChangeNothing() {
        node.execute("CREATE TABLE u (id INT PRIMARY KEY, email TEXT NOT NULL)");
        node.execute("CREATE UNIQUE INDEX u_email ON u (email)");
        node.execute("INSERT INTO u VALUES (1, 'a@x'), (2, 'b@x')");
        assertEquals(SqlState.UNIQUE_VIOLATION, fails("INSERT INTO u VALUES (3, 'c@x'), (1, 'dup-key')").state());
        assertEquals(SqlState.UNIQUE_VIOLATION, fails("INSERT INTO u VALUES (4, 'd@x'), (5, 'a@x')").state());
        assertEquals(SqlState.UNIQUE_VIOLATION, fails("UPDATE u SET email = 'a@x' WHERE id = 2").state());
        assertEquals(SqlState.NOT_NULL_VIOLATION, fails("INSERT INTO u VALUES (6, 'e@x'), (7, NULL)").state());
        assertEquals(List.of(List.of(1, "a@x"), List.of(2, "b@x")), rows("SELECT * FROM u ORDER BY id"));
        // Moving keys within one statement is fine (statement-level uniqueness).
        node.execute("UPDATE u SET id = id + 1");
        assertEquals(List.of(List.of(2, "a@x"), List.of(3, "b@x")), rows("SELECT * FROM u ORDER BY id"));
    }

    @Test
    void errorsNameTheProblemWithPostgresCodes() {
        assertEquals(SqlState.UNDEFINED_TABLE, fails("SELECT * FROM no_such_table").state());
        node.execute("CREATE TABLE e (a INT)");
        assertEquals(SqlState.UNDEFINED_COLUMN, fails("SELECT nope FROM e").state());
        PhantomSqlException syntax = fails("SELECT * FRM e");
        assertEquals(SqlState.SYNTAX_ERROR, syntax.state());
        assertTrue(syntax.position() > 0, "syntax errors carry a position: " + syntax);
        node.execute("INSERT INTO e VALUES (0)");
        assertEquals(SqlState.DIVISION_BY_ZERO, assertThrows(PhantomSqlException.class, () -> node.query("SELECT 1 / a FROM e")).state());
        assertEquals(SqlState.DUPLICATE_TABLE, fails("CREATE TABLE e (b INT)").state());
        node.execute("CREATE TABLE IF NOT EXISTS e (b INT)");
        node.execute("DROP TABLE IF EXISTS never_created");
    }

    @Test
    void explainShowsIndexAndPartitionChoice() {
        node.execute("CREATE TABLE items (id INT PRIMARY KEY, kind TEXT, price DOUBLE PRECISION) WITH (partitions = 4)");
        node.execute("CREATE INDEX items_kind ON items (kind)");
        String byKey = explain("SELECT * FROM items WHERE id = 7");
        assertTrue(byKey.contains("KeyLookup on items") && byKey.contains("one partition of 4"), byKey);
        String byIndex = explain("SELECT price FROM items WHERE kind = 'tool'");
        assertTrue(byIndex.contains("IndexScan on items using items_kind"), byIndex);
        assertTrue(byIndex.contains("reading kind, price"), "only the columns used are decoded: " + byIndex);
        String full = explain("SELECT * FROM items WHERE price > 3");
        assertTrue(full.contains("SeqScan on items (all 4 partitions)"), full);
    }

    private String explain(String sql) {
        StringBuilder out = new StringBuilder();
        for (Row r : node.query("EXPLAIN " + sql)) {
            out.append(r.getString(0)).append('\n');
        }
        return out.toString();
    }

    @Test
    void secondaryIndexAnswersAgreeWithFullScans() {
        node.execute("CREATE TABLE s (id INT PRIMARY KEY, k INT, v TEXT) WITH (partitions = 2)");
        for (int i = 0; i < 200; i++) {
            node.execute("INSERT INTO s VALUES ($1, $2, $3)", i, i % 7, "v" + i);
        }
        List<List<Object>> before = rows("SELECT id FROM s WHERE k = 3 AND id > 50 ORDER BY id");
        node.execute("CREATE INDEX s_k ON s (k)");
        assertTrue(explain("SELECT id FROM s WHERE k = 3 AND id > 50").contains("s_k"));
        assertEquals(before, rows("SELECT id FROM s WHERE k = 3 AND id > 50 ORDER BY id"));
        assertEquals(List.of(List.of("v7", 0)), rows("SELECT v, k FROM s WHERE id = 7"), "narrowed scans keep column positions");
        node.execute("UPDATE s SET k = 100 WHERE id = 52");
        node.execute("DELETE FROM s WHERE id = 59");
        List<List<Object>> expected = new ArrayList<>();
        for (int i = 51; i < 200; i++) {
            if (i % 7 == 3 && i != 52 && i != 59) {
                expected.add(List.of(i));
            }
        }
        assertEquals(expected, rows("SELECT id FROM s WHERE k = 3 AND id > 50 ORDER BY id"));
        assertEquals(List.of(List.of(52)), rows("SELECT id FROM s WHERE k = 100"));
    }

    @Test
    void keylessTablesKeepDuplicatesAndChangeThemTogether() {
        node.execute("CREATE TABLE bag (x INT, y TEXT)");
        node.execute("INSERT INTO bag VALUES (1, 'a'), (1, 'a'), (2, 'b')");
        assertEquals(List.of(List.of(1, 2L), List.of(2, 1L)), rows("SELECT x, COUNT(*) FROM bag GROUP BY x ORDER BY x"));
        assertEquals(2, node.execute("UPDATE bag SET y = 'z' WHERE x = 1"));
        assertEquals(List.of(List.of("b"), List.of("z"), List.of("z")), rows("SELECT y FROM bag ORDER BY y"));
        assertEquals(2, node.execute("DELETE FROM bag WHERE y = 'z'"));
        assertEquals(List.of(List.of(2, "b")), rows("SELECT * FROM bag"));
    }

    @Test
    void queriesJoinAggregateSortAndSetOperate() {
        node.execute("CREATE TABLE dept (id INT PRIMARY KEY, name TEXT)");
        node.execute("CREATE TABLE emp (id INT PRIMARY KEY, dept INT, salary DECIMAL(10,2))");
        node.execute("INSERT INTO dept VALUES (1, 'eng'), (2, 'ops'), (3, 'empty')");
        node.execute("INSERT INTO emp VALUES (1, 1, 100.50), (2, 1, 200), (3, 2, 50), (4, NULL, 10)");
        assertEquals(List.of(List.of("eng", 2L, new BigDecimal("300.50")), List.of("ops", 1L, new BigDecimal("50.00")),
                        Arrays.asList("empty", 0L, null)),
                rows("SELECT d.name, COUNT(e.id), SUM(e.salary) FROM dept d LEFT JOIN emp e ON e.dept = d.id "
                        + "GROUP BY d.name ORDER BY COUNT(e.id) DESC, d.name"));
        assertEquals(List.of(List.of(3), List.of(2)),
                rows("SELECT id FROM dept WHERE NOT EXISTS (SELECT 1 FROM emp WHERE emp.dept = dept.id AND salary > 60) "
                        + "ORDER BY id DESC"));
        assertEquals(List.of(List.of(1), List.of(2)), rows("SELECT dept FROM emp WHERE dept IS NOT NULL INTERSECT SELECT id FROM dept ORDER BY 1"));
        assertEquals(List.of(Arrays.asList((Object) null), List.of(2), List.of(1)),
                rows("SELECT dept FROM emp GROUP BY dept ORDER BY dept DESC NULLS FIRST"));
        assertEquals(List.of(List.of(2)), rows("SELECT id FROM emp WHERE salary = (SELECT MAX(salary) FROM emp)"));
    }

    @Test
    void joinsOnExpressionsAndMixedTypesAvoidNestedLoops() {
        node.execute("CREATE TABLE ja (id INT PRIMARY KEY, x INT)");
        node.execute("CREATE TABLE jb (id INT PRIMARY KEY, y DOUBLE PRECISION, z DECIMAL(6,2))");
        node.execute("INSERT INTO ja VALUES (1, 10), (2, 20), (3, NULL), (4, 40)");
        node.execute("INSERT INTO jb VALUES (1, 11.0, 10), (2, 20.0, 20.5), (3, NULL, 40.00), (5, 41.0, NULL)");
        String byExpression = "SELECT ja.id, jb.id FROM ja JOIN jb ON ja.x + 1 = jb.y ORDER BY 1";
        assertEquals(List.of(List.of(1, 1), List.of(4, 5)), rows(byExpression));
        assertTrue(explain(byExpression).contains("HashJoin"), explain(byExpression));
        String mixed = "SELECT ja.id, jb.id FROM ja LEFT JOIN jb ON ja.x = jb.z ORDER BY 1";
        assertEquals(List.of(List.of(1, 1), Arrays.asList(2, null), Arrays.asList(3, null), List.of(4, 3)), rows(mixed));
        String plan = explain(mixed);
        assertTrue(plan.contains("HashJoin") || plan.contains("MergeJoin"), plan);
    }

    @Test
    void preparedStatementsBindTypedParametersAndExposeColumns() {
        node.execute("CREATE TABLE typed (id BIGINT PRIMARY KEY, d DATE, t TIMESTAMP, b BOOLEAN, r REAL, bin BYTEA)");
        node.execute("INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6)", 1L, java.time.LocalDate.of(2026, 11, 24),
                java.time.LocalDateTime.of(2026, 11, 24, 19, 0, 1), true, 1.5f, new byte[] {1, 2});
        List<Row> result = node.query("SELECT * FROM typed WHERE id = $1", 1L);
        assertEquals(1, result.size());
        Row r = result.get(0);
        assertEquals(List.of(DataType.BIGINT, DataType.DATE, DataType.TIMESTAMP, DataType.BOOLEAN, DataType.REAL, DataType.BYTEA),
                r.columns().stream().map(Column::type).toList());
        assertEquals(java.time.LocalDate.of(2026, 11, 24), r.getDate(1));
        assertEquals(java.time.LocalDateTime.of(2026, 11, 24, 19, 0, 1), r.getTimestamp(2));
        assertEquals(true, r.getBoolean(3));
        assertEquals(1.5, r.getDouble(4));
        assertEquals(List.of((byte) 1, (byte) 2), List.of(r.getBytes(5)[0], r.getBytes(5)[1]));
        assertEquals(0, node.query("SELECT * FROM typed WHERE id = $1", 2L).size());
        // The collecting API answers primary-key lookups without a stream, with the same rows.
        List<Row> collected = node.await(node.db().query("SELECT id, b FROM typed WHERE id = $1 AND b", 1L));
        assertEquals(1, collected.size());
        assertEquals(1L, collected.get(0).getLong(0));
        assertEquals(List.of(), node.await(node.db().query("SELECT id FROM typed WHERE id = $1 AND NOT b", 1L)));
        assertEquals(List.of(), node.await(node.db().query("SELECT id FROM typed WHERE id = $1", 1.5)));
    }

    @Test
    void columnsMayBeNamedWithWordsPostgresDoesNotReserve() {
        node.execute("CREATE TABLE kv (id INT PRIMARY KEY, value INT)");
        node.execute("INSERT INTO kv (id, value) VALUES (1, 10), (2, 20)");
        node.execute("UPDATE kv SET value = value + 1 WHERE value = 10");
        assertEquals(List.of(List.of(1, 11)), rows("SELECT id, Value FROM kv WHERE kv.value < 20"));
        assertEquals(List.of(List.of("value")), rows("SELECT 'value'"), "string literals are left alone");
    }

    @Test
    void omittedColumnsTakeTheirDefaults() {
        node.execute("CREATE TABLE defaults (id INT PRIMARY KEY, qty INT NOT NULL DEFAULT 1 + 1, note TEXT DEFAULT 'none', x INT)");
        node.execute("INSERT INTO defaults (id) VALUES (1)");
        node.execute("INSERT INTO defaults (id, qty, note) VALUES (2, 5, NULL)");
        assertEquals(List.of(Arrays.asList(1, 2, "none", null), Arrays.asList(2, 5, null, null)),
                rows("SELECT * FROM defaults ORDER BY id"));
    }

    @Test
    void viewsExpandAndDropsAreChecked() {
        node.execute("CREATE TABLE base (a INT, b INT)");
        node.execute("INSERT INTO base VALUES (1, 10), (2, 20), (3, 30)");
        node.execute("CREATE VIEW big AS SELECT a, b * 2 AS bb FROM base WHERE b > 10");
        assertEquals(List.of(List.of(2, 40), List.of(3, 60)), rows("SELECT * FROM big ORDER BY a"));
        assertEquals(SqlState.WRONG_OBJECT_TYPE, fails("DROP TABLE big").state());
        node.execute("DROP VIEW big");
        assertEquals(SqlState.UNDEFINED_TABLE, fails("SELECT * FROM big").state());
    }

    @Test
    void dataAndCatalogSurviveARestart() {
        node.execute("CREATE TABLE durable (id INT PRIMARY KEY, v TEXT) WITH (partitions = 2)");
        node.execute("CREATE INDEX durable_v ON durable (v)");
        node.execute("CREATE TABLE durable_bag (x INT)");
        node.execute("INSERT INTO durable VALUES (1, 'one'), (2, 'two')");
        node.execute("INSERT INTO durable_bag VALUES (5), (5)");
        node.execute("DROP TABLE IF EXISTS gone");
        node.restart();
        assertEquals(List.of(List.of(2)), rows("SELECT id FROM durable WHERE v = 'two'"));
        node.execute("INSERT INTO durable_bag VALUES (6)");
        assertEquals(List.of(List.of(5), List.of(5), List.of(6)), rows("SELECT x FROM durable_bag ORDER BY x"));
        assertEquals(SqlState.UNIQUE_VIOLATION, fails("INSERT INTO durable VALUES (1, 'again')").state());
    }
}
