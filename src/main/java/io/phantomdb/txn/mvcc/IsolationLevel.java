package io.phantomdb.txn.mvcc;

import java.util.Locale;

/**
 * The isolation levels a transaction may ask for, with PostgreSQL's semantics (docs/transactions.md).
 * READ UNCOMMITTED is accepted as a synonym of READ COMMITTED, as in PostgreSQL.
 */
public enum IsolationLevel {
    /** A fresh snapshot per statement; a writer that waited on a row lock re-checks the row's newest version. */
    READ_COMMITTED("read committed"),
    /** Snapshot isolation: one snapshot per transaction; writing a row changed since the snapshot fails with 40001. */
    REPEATABLE_READ("repeatable read"),
    /** REPEATABLE READ plus commit-time validation of every key and range read (40001 on a conflict). */
    SERIALIZABLE("serializable");

    private final String sql;

    IsolationLevel(String sql) {
        this.sql = sql;
    }

    /** The level as SQL writes it, e.g. {@code "repeatable read"}. */
    public String sql() {
        return sql;
    }

    /** Whether the transaction reads one snapshot from its first statement to its end. */
    public boolean snapshotPerTransaction() {
        return this != READ_COMMITTED;
    }

    /**
     * Parses a level as SQL or configuration writes it ({@code "read committed"}, {@code "REPEATABLE-READ"},
     * {@code "serializable"}; spaces, dashes and underscores are alike); null if it names no level.
     */
    public static IsolationLevel parse(String text) {
        String normal = text.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", " ");
        if (normal.equals("read uncommitted")) {
            return READ_COMMITTED;
        }
        for (IsolationLevel level : values()) {
            if (level.sql.equals(normal)) {
                return level;
            }
        }
        return null;
    }
}
