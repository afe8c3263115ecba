package io.phantomdb.sql;

import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableStats;
import io.phantomdb.sql.frontend.CalciteTables;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The planner's numbers about this node's tables (docs/decisions.md D19): the statistics of the last ANALYZE
 * (loaded from the system partition at start, replaced by each ANALYZE) and, on top of them, the rows that
 * this node's DML statements added or removed since. The row estimate is therefore the analyzed count plus
 * the change since; for a table never analyzed, the change since the node started, or {@link #UNKNOWN_ROWS}
 * when nothing is known at all.
 *
 * <p>Thread-safe: DML statements add concurrently, ANALYZE installs, planners read.
 */
final class TableStatistics implements CalciteTables.RowCountEstimator {
    /** Row estimate of a table nothing is known about (neither analyzed nor written since start). */
    static final double UNKNOWN_ROWS = 100;

    private final Map<Integer, AtomicLong> deltas = new ConcurrentHashMap<>();
    private final Map<Integer, TableStats> analyzed = new ConcurrentHashMap<>();

    @Override
    public double estimate(TableDef table) {
        TableStats stats = analyzed(table);
        AtomicLong delta = deltas.get(table.tableId());
        if (stats == null && delta == null) {
            return UNKNOWN_ROWS;
        }
        long rows = (stats == null ? 0 : stats.rows()) + (delta == null ? 0 : delta.get());
        return Math.max(1, rows);
    }

    @Override
    public TableStats analyzed(TableDef table) {
        TableStats stats = analyzed.get(table.tableId());
        return stats != null && stats.describes(table) ? stats : null;
    }

    /** A statement changed the table's row count by {@code delta}. */
    void add(TableDef table, long delta) {
        counter(table).addAndGet(delta);
    }

    /** The change counted so far; ANALYZE takes it when its scan's snapshot is taken (see {@link #install}). */
    long changeMark(TableDef table) {
        AtomicLong delta = deltas.get(table.tableId());
        return delta == null ? 0 : delta.get();
    }

    /**
     * Makes {@code stats} current. The change counted since {@code mark} (statements after the scan's snapshot)
     * stays on top of the analyzed row count. Statements acknowledged around the moment the snapshot was taken
     * may be counted twice or not at all: an estimate, corrected by the next ANALYZE.
     */
    void install(TableDef table, TableStats stats, long mark) {
        analyzed.put(table.tableId(), stats);
        counter(table).addAndGet(-mark);
    }

    /** Replaces everything analyzed with {@code stored} (at start: what the system partition holds). */
    void load(Map<Integer, TableStats> stored) {
        analyzed.clear();
        analyzed.putAll(stored);
    }

    /** Forgets a dropped table. */
    void forget(TableDef table) {
        analyzed.remove(table.tableId());
        deltas.remove(table.tableId());
    }

    private AtomicLong counter(TableDef table) {
        return deltas.computeIfAbsent(table.tableId(), t -> new AtomicLong());
    }
}
