package io.phantomdb.sql.slt;

import java.util.List;

/**
 * The engine under test, as the sqllogictest runner sees it: one connection to one database.
 *
 * <p>The runner creates one instance per script file (README rule 2: each file starts on a fresh, empty
 * database) through a {@code Supplier<SltDatabase>}, runs every record of that file on it in order, and
 * closes it at the end of the file. Each call is one statement in its own implicit transaction
 * (autocommit). Calls come from a single worker thread of the runner, so an implementation needs no
 * locking of its own, but {@link #cancel()} is called from a different thread.
 */
@SuppressWarnings("try") // close() may throw anything, as AutoCloseable allows: adapters wrap JDBC and others.
public interface SltDatabase extends AutoCloseable {

    /**
     * Runs one statement for a {@code statement ok|error} record.
     *
     * @throws Exception any failure; the runner does not look at its type ("any error counts")
     */
    void execute(String sql) throws Exception;

    /**
     * Runs one query and returns its rows, each an array with one Java value per result column:
     * {@code Integer, Long, Short, Byte, BigInteger, BigDecimal, Double, Float, String, Boolean, byte[],
     * java.time.*} or {@code null}. The runner renders them itself by the record's type letters.
     *
     * @throws Exception any failure; the query then counts as failed
     */
    List<Object[]> query(String sql) throws Exception;

    /**
     * Asks the engine to abandon the call that is running right now, after it exceeded the per-record
     * timeout. Called from the runner's thread while the worker thread may still be inside
     * {@link #execute} or {@link #query}; a JDBC adapter would call {@code Statement.cancel()} here.
     * The default does nothing: the runner also interrupts the worker thread.
     */
    default void cancel() {
        // Nothing to do for engines that react to Thread.interrupt() or cannot be cancelled.
    }
}
