package io.phantomdb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The YCSB-like table every engine of {@link SqlBench} loads, and the statements run against it, in the two
 * parameter styles ({@code $n} for Phantom, {@code ?} for JDBC). Rows are a pure function of their id, so
 * the data, the load order and every expected answer are identical for all engines and cost nothing to
 * produce inside a timed loop.
 *
 * <pre>
 *   usertable(id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, val INTEGER NOT NULL, field0..field{n-1} VARCHAR(len))
 *   grp = id % groups, val = id % 1000, field f of row id = pool[(id * fields + f) % POOL]
 * </pre>
 */
final class UserTable {

    /** Distinct random strings the fields are drawn from. */
    static final int POOL = 1024;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    final int rows;
    final int groups;
    final int fields;
    final int fieldBytes;
    /** The load order: a seeded permutation of the ids, so no engine gets an append-only load. */
    final int[] loadOrder;
    private final String[] pool;

    UserTable(int rows, int groups, int fields, int fieldBytes, long seed) {
        this.rows = rows;
        this.groups = groups;
        this.fields = fields;
        this.fieldBytes = fieldBytes;
        this.loadOrder = ValuePool.permutation(rows, seed);
        this.pool = new String[POOL];
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < POOL; i++) {
            char[] c = new char[fieldBytes];
            for (int j = 0; j < fieldBytes; j++) {
                c[j] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            pool[i] = new String(c);
        }
    }

    /** Columns per row: id, grp, val and the fields. */
    int columns() {
        return 3 + fields;
    }

    /** The values of row {@code id}, in column order. */
    Object[] row(int id) {
        Object[] v = new Object[columns()];
        v[0] = id;
        v[1] = id % groups;
        v[2] = id % 1000;
        for (int f = 0; f < fields; f++) {
            v[3 + f] = pool[(int) (((long) id * fields + f) % POOL)];
        }
        return v;
    }

    /** A field value for UPDATE (same length as every other, so row sizes and answers stay checkable). */
    String fieldValue(int poolIndex) {
        return pool[poolIndex % POOL];
    }

    /** Rows with {@code grp = g}. */
    long countOfGroup(int g) {
        return rows / groups + (g < rows % groups ? 1 : 0);
    }

    /** SUM(val) of the rows with {@code grp = g}. */
    long sumOfGroup(int g) {
        long sum = 0;
        for (int id = g; id < rows; id += groups) {
            sum += id % 1000;
        }
        return sum;
    }

    /** Characters a full row's fields add up to (what a SELECT * answer is checked against). */
    long fieldChars() {
        return (long) fields * fieldBytes;
    }

    String createTable(String suffix) {
        StringBuilder b = new StringBuilder("CREATE TABLE usertable (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, "
                + "val INTEGER NOT NULL");
        for (int f = 0; f < fields; f++) {
            b.append(", field").append(f).append(" VARCHAR(").append(fieldBytes).append(')');
        }
        return b.append(')').append(suffix).toString();
    }

    /** {@code INSERT INTO usertable VALUES (...), ...} of {@code n} rows; {@code dollar}: $n else ? parameters. */
    String insert(int n, boolean dollar) {
        StringBuilder b = new StringBuilder("INSERT INTO usertable VALUES ");
        int p = 1;
        for (int r = 0; r < n; r++) {
            b.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < columns(); c++) {
                b.append(c == 0 ? "" : ", ").append(dollar ? "$" + p++ : "?");
            }
            b.append(')');
        }
        return b.toString();
    }

    /** The timed statements, in one engine's parameter style. */
    record Statements(String pointSelect, String rangeScan, String update, String groupBy) {
        /** The statement of a workload (select, scan, update, groupby). */
        String of(String workload) {
            return switch (workload) {
                case "select" -> pointSelect;
                case "scan" -> rangeScan;
                case "update" -> update;
                case "groupby" -> groupBy;
                default -> throw new IllegalArgumentException(workload);
            };
        }
    }

    static final String GROUP_BY = "SELECT grp, COUNT(*), SUM(val) FROM usertable GROUP BY grp";

    /**
     * Phantom's form: the range is {@code id >= $1 AND id < $1 + 50}, one parameter (Phantom repeats $n). JDBC
     * has positional {@code ?} only, so there the upper bound is a second parameter bound to start + 50: the
     * same predicate.
     */
    static Statements statements(boolean dollar, int scanLength) {
        if (dollar) {
            return new Statements("SELECT * FROM usertable WHERE id = $1",
                    "SELECT * FROM usertable WHERE id >= $1 AND id < $1 + " + scanLength,
                    "UPDATE usertable SET field0 = $2 WHERE id = $1", GROUP_BY);
        }
        return new Statements("SELECT * FROM usertable WHERE id = ?", "SELECT * FROM usertable WHERE id >= ? AND id < ?",
                "UPDATE usertable SET field0 = ? WHERE id = ?", GROUP_BY);
    }

    /** Rows of the load order {@code [from, to)}, each as its column values. */
    List<Object[]> batch(int from, int to) {
        List<Object[]> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(row(loadOrder[i]));
        }
        return out;
    }
}
