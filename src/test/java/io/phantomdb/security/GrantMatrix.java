package io.phantomdb.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GRANT matrix of issue 6, shared by every test that runs it (embedded sessions, pgjdbc, HTTP): roles
 * {owner, reader, writer, all, none} x statements {SELECT, INSERT, UPDATE, UPDATE ... WHERE, DELETE,
 * DELETE ... WHERE} x tables {t1 granted, t2 not granted}. Not a test.
 *
 * <p>The expected outcome of a cell is derived from PostgreSQL's rule, not written per cell: the owner holds
 * every privilege on its tables; a statement needs its own privilege plus SELECT when it reads the table's
 * columns (a WHERE clause). A denied statement answers 42501 {@code permission denied for table t} and leaves
 * the table as it was. {@link #check} compares what a front end observed with that and describes every
 * difference, so a test can report all mismatching cells at once.
 */
public final class GrantMatrix {
    private GrantMatrix() {}

    public static final List<String> TABLES = List.of("t1", "t2");
    /** Rows of a table before each cell runs, as "id v". */
    public static final List<String> INITIAL_ROWS = List.of("1 a", "2 b");
    private static final Set<Privilege> NONE = EnumSet.noneOf(Privilege.class);

    /** What each role holds on t1 (the granted table); on t2 only the owner holds anything (it owns both). */
    private static final Map<String, Set<Privilege>> ON_T1 = onT1();

    /**
     * A statement of the matrix: its SQL with %s for the table, the privileges it needs, the rows it leaves
     * behind when it runs on {@link #INITIAL_ROWS}, and the rows it returns or changes (its count).
     */
    public record Statement(String sql, Set<Privilege> needs, List<String> after, long count) {}

    public static final List<Statement> STATEMENTS = List.of(
            new Statement("SELECT id, v FROM %s", EnumSet.of(Privilege.SELECT), INITIAL_ROWS, 2),
            new Statement("INSERT INTO %s VALUES (3, 'c')", EnumSet.of(Privilege.INSERT), List.of("1 a", "2 b", "3 c"), 1),
            new Statement("UPDATE %s SET v = 'u'", EnumSet.of(Privilege.UPDATE), List.of("1 u", "2 u"), 2),
            new Statement("UPDATE %s SET v = 'u' WHERE id = 1", EnumSet.of(Privilege.UPDATE, Privilege.SELECT), List.of("1 u", "2 b"), 1),
            new Statement("DELETE FROM %s", EnumSet.of(Privilege.DELETE), List.of(), 2),
            new Statement("DELETE FROM %s WHERE id = 1", EnumSet.of(Privilege.DELETE, Privilege.SELECT), List.of("2 b"), 1));

    /** One cell: a role runs a statement on a table; {@code allowed} is the expectation (derived, see {@link #cells}). */
    public record Cell(String role, String table, Statement statement, boolean allowed) {
        public String sql() {
            return String.format(statement.sql(), table);
        }

        /** The rows the table must hold after the cell ran (denied: unchanged). */
        public List<String> expectedRows() {
            return allowed ? statement.after() : INITIAL_ROWS;
        }

        /** The same cell with the opposite expectation: tests use it to show that a wrong expectation is caught. */
        public Cell inverted() {
            return new Cell(role, table, statement, !allowed);
        }

        @Override
        public String toString() {
            return role + " / " + sql();
        }
    }

    /** What a front end observed when a cell ran: success with a row count (-1: not reported), or an error. */
    public record Outcome(String sqlstate, String message, long count) {
        public static Outcome ran(long count) {
            return new Outcome(null, null, count);
        }

        public static Outcome failed(String sqlstate, String message) {
            return new Outcome(sqlstate, message, -1);
        }

        public boolean succeeded() {
            return sqlstate == null;
        }
    }

    /** Runs one SQL text as some principal (embedded session, JDBC connection, HTTP credentials). */
    @FunctionalInterface
    public interface Runner {
        void run(String sql) throws Exception;
    }

    /** The roles, in the order the matrix runs them. */
    public static List<String> roles() {
        return List.copyOf(ON_T1.keySet());
    }

    /** The role's name as an SQL identifier ("all" is a reserved word). */
    public static String ident(String role) {
        return role.equals("all") ? "\"all\"" : role;
    }

    /** The login password of a role of the matrix (wire tests log in with it). */
    public static String password(String role) {
        return role + "-pw";
    }

    /** What {@code role} holds on {@code table}. */
    public static Set<Privilege> held(String role, String table) {
        return table.equals("t1") || role.equals("owner") ? ON_T1.get(role) : NONE;
    }

    /** Every cell of the matrix, each with its expectation: allowed iff the role holds every needed privilege. */
    public static List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (String role : roles()) {
            for (String table : TABLES) {
                for (Statement s : STATEMENTS) {
                    out.add(new Cell(role, table, s, held(role, table).containsAll(s.needs())));
                }
            }
        }
        return out;
    }

    /**
     * Creates the roles (LOGIN with {@link #password}), the tables t1 and t2 owned by {@code owner}, and the
     * grants: some by the owner, as in PostgreSQL, and one by the superuser. {@code superuser} and {@code owner}
     * run SQL as those principals.
     */
    public static void setUp(Runner superuser, Runner owner) throws Exception {
        for (String role : roles()) {
            superuser.run("CREATE ROLE " + ident(role) + " LOGIN PASSWORD '" + password(role) + "'");
        }
        superuser.run("GRANT CREATE ON SCHEMA public TO owner");
        for (String t : TABLES) {
            owner.run("CREATE TABLE " + t + " (id INT PRIMARY KEY, v TEXT)");
        }
        owner.run("GRANT SELECT ON t1 TO reader");
        owner.run("GRANT INSERT, UPDATE, DELETE ON TABLE t1 TO writer");
        superuser.run("GRANT ALL PRIVILEGES ON t1 TO \"all\"");
    }

    /** Puts {@link #INITIAL_ROWS} back into {@code table} (run as a superuser before each cell). */
    public static void reset(Runner superuser, String table) throws Exception {
        superuser.run("DELETE FROM " + table);
        superuser.run("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b')");
    }

    /**
     * Every way {@code observed} and {@code rowsAfter} (the table's rows after the cell, as "id v" in id order)
     * differ from the cell's expectation; empty when they agree.
     */
    public static List<String> check(Cell cell, Outcome observed, List<String> rowsAfter) {
        List<String> out = new ArrayList<>();
        String where = cell + ": ";
        if (observed.succeeded()) {
            if (!cell.allowed()) {
                out.add(where + "ran, PostgreSQL denies it");
            } else if (observed.count() >= 0 && observed.count() != cell.statement().count()) {
                out.add(where + "count " + observed.count() + ", expected " + cell.statement().count());
            }
        } else if (cell.allowed() || !observed.sqlstate().equals("42501")) {
            out.add(where + "failed with " + observed.sqlstate() + " " + observed.message()
                    + (cell.allowed() ? ", PostgreSQL allows it" : ", expected 42501"));
        } else if (!observed.message().equals("permission denied for table " + cell.table())) {
            out.add(where + "message " + observed.message());
        }
        if (!rowsAfter.equals(cell.expectedRows())) {
            out.add(where + "left " + rowsAfter + ", expected " + cell.expectedRows());
        }
        return out;
    }

    private static Map<String, Set<Privilege>> onT1() {
        Map<String, Set<Privilege>> m = new LinkedHashMap<>();
        m.put("owner", Privilege.TABLE); // implicit: the creator owns t1 and t2
        m.put("reader", EnumSet.of(Privilege.SELECT));
        m.put("writer", EnumSet.of(Privilege.INSERT, Privilege.UPDATE, Privilege.DELETE));
        m.put("all", Privilege.TABLE);
        m.put("none", NONE);
        return m;
    }
}
