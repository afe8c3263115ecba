package io.phantomdb.sql.plan;

import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableStats;
import java.util.List;

/**
 * Estimated rows and cost of reading one table by an access path (docs/decisions.md D19). The unit of cost is
 * reading and decoding one row in key order; the other constants are relative to it:
 * <ul>
 *   <li>a full scan or a primary-key range reads rows in key order: {@link #SEQUENTIAL_ROW} each;</li>
 *   <li>a secondary-index range reads an entry, then its row by key: {@link #INDEX_ROW} each;</li>
 *   <li>a complete primary key is one point read in its one partition: {@link #LOOKUP} each;</li>
 *   <li>a range or full scan opens an iterator in every partition: {@link #SEEK} each, and runs as a stream
 *       of its own: {@link #STREAM} once, where primary-key lookups are read on the caller's thread
 *       (decisions D18: materializing a stream costs tens of microseconds, as much as tens of rows).</li>
 * </ul>
 * Selectivity: equality on the first {@code k} key columns matches {@code (1 - null fraction) / NDV} of the
 * rows, with the NDV of that key prefix from ANALYZE, else the product of the columns' NDVs (independence),
 * capped by the row count; a unique key fully matched finds one row; each range bound keeps
 * {@link #RANGE_BOUND} of the rows (PostgreSQL's default inequality selectivity: no histograms yet). A column
 * never analyzed has {@link #DEFAULT_DISTINCT} distinct values (PostgreSQL's default), at most one per row.
 *
 * <p>Immutable; one per scan being planned.
 */
final class CostModel {
    static final double SEQUENTIAL_ROW = 1;
    static final double INDEX_ROW = 4;
    static final double LOOKUP = 2;
    static final double SEEK = 2;
    static final double STREAM = 20;
    static final double RANGE_BOUND = 1.0 / 3;
    static final double DEFAULT_DISTINCT = 200;
    /**
     * An analyzed NDV above this fraction of the rows is taken to grow with the table (as PostgreSQL stores
     * it as a negative ratio): it is scaled by rows now / rows analyzed. A smaller one is a fixed domain.
     */
    static final double PROPORTIONAL_DISTINCT = 0.1;

    /** Rows an access path returns (before the rest of the WHERE clause) and the cost of reading them. */
    record Estimate(double rows, double cost) {}

    private final TableDef table;
    private final double rows;
    /** Null when the table was never analyzed, or analyzed empty (no NDV to learn from). */
    private final TableStats stats;

    CostModel(TableDef table, double rows, TableStats analyzed) {
        this.table = table;
        this.rows = Math.max(1, rows);
        this.stats = analyzed != null && analyzed.describes(table) && analyzed.rows() > 0 ? analyzed : null;
    }

    Estimate full() {
        return new Estimate(rows, STREAM + table.partitions() * SEEK + rows * SEQUENTIAL_ROW);
    }

    /** {@code keys} complete primary keys, each at most one row. */
    Estimate keys(int keys) {
        return new Estimate(Math.min(keys, rows), keys * LOOKUP);
    }

    /**
     * A range of the key {@code indexId} (0 = primary) over {@code columns}: equality on the first
     * {@code equal} columns, then a lower and/or upper bound on the next one.
     */
    Estimate range(int indexId, List<Integer> columns, boolean unique, int equal, boolean lower, boolean upper) {
        double matched = rows * equalSelectivity(indexId, columns, unique, equal);
        if (lower) {
            matched *= RANGE_BOUND;
        }
        if (upper) {
            matched *= RANGE_BOUND;
        }
        double perRow = indexId == 0 ? SEQUENTIAL_ROW : INDEX_ROW;
        return new Estimate(matched, STREAM + table.partitions() * SEEK + matched * perRow);
    }

    private double equalSelectivity(int indexId, List<Integer> columns, boolean unique, int equal) {
        if (equal == 0) {
            return 1;
        }
        if (unique && equal == columns.size()) {
            return 1 / rows;
        }
        double notNull = 1;
        for (int i = 0; i < equal; i++) {
            notNull *= 1 - nullFraction(columns.get(i));
        }
        return notNull / prefixDistinct(indexId, columns, equal);
    }

    /** Distinct values of the first {@code k} key columns, in [1, rows]. */
    double prefixDistinct(int indexId, List<Integer> columns, int k) {
        TableStats.Index analyzed = stats == null || k < 2 ? null : stats.index(indexId, columns);
        double distinct;
        if (analyzed != null && analyzed.prefixDistinct().size() >= k) {
            distinct = scaled(analyzed.prefixDistinct().get(k - 1));
        } else {
            distinct = 1;
            for (int i = 0; i < k; i++) {
                distinct *= distinct(columns.get(i));
            }
        }
        return Math.max(1, Math.min(rows, distinct));
    }

    /** Distinct non-null values of a column, in [1, rows]. */
    double distinct(int column) {
        double distinct = stats == null ? DEFAULT_DISTINCT : scaled(stats.columns().get(column).distinct());
        return Math.max(1, Math.min(rows, distinct));
    }

    private double nullFraction(int column) {
        return stats == null ? 0 : stats.columns().get(column).nullFraction();
    }

    private double scaled(double analyzedDistinct) {
        return analyzedDistinct > PROPORTIONAL_DISTINCT * stats.rows() ? analyzedDistinct * rows / stats.rows() : analyzedDistinct;
    }
}
