package io.phantomdb.sql.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.DataType;
import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: the cost model's row estimates follow the statistics as decisions D19 states (equality 1/NDV of the
 * key prefix times the non-null fraction, a unique key one row, 1/3 per range bound, PostgreSQL's defaults
 * when nothing was analyzed), and its costs rank the paths the way the engine's reads cost: a non-selective
 * index loses to a full scan, a selective one wins.
 *
 * <p>Method: a table definition with a primary key and indexes, statistics written by hand, estimates
 * compared with the numbers worked out from the formulas.
 */
class CostModelTest {
    private static final TableDef TABLE = new TableDef(7, "t", List.of(
            new ColumnDef("id", DataType.INTEGER, -1, -1, false, null),
            new ColumnDef("flag", DataType.INTEGER, -1, -1, true, null),
            new ColumnDef("k", DataType.INTEGER, -1, -1, true, null),
            new ColumnDef("g", DataType.INTEGER, -1, -1, true, null)),
            List.of(0), 2, List.of(
                    new IndexDef(1, "t_flag", List.of(1), List.of(false), false),
                    new IndexDef(2, "t_k", List.of(2), List.of(false), true),
                    new IndexDef(3, "t_flag_g", List.of(1, 3), List.of(false, false), false)));

    private static final TableStats STATS = new TableStats(7, 10_000, List.of(
            new TableStats.Column(10_000, 0), new TableStats.Column(2, 0.25), new TableStats.Column(10_000, 0),
            new TableStats.Column(50, 0)),
            List.of(new TableStats.Index(3, List.of(1, 3), List.of(2.0, 60.0))));

    @Test
    void equalityUsesDistinctValuesAndNullFraction() {
        CostModel model = new CostModel(TABLE, 10_000, STATS);
        // flag: a quarter of the rows are NULL, two values: 10000 * 0.75 / 2
        assertEquals(3_750, model.range(1, List.of(1), false, 1, false, false).rows(), 1e-9);
        // the analyzed prefix NDV of (flag, g) is 60, not 2 * 50
        assertEquals(10_000 * 0.75 / 60, model.range(3, List.of(1, 3), false, 2, false, false).rows(), 1e-9);
        // a unique key fully matched is one row
        assertEquals(1, model.range(2, List.of(2), true, 1, false, false).rows(), 1e-9);
    }

    @Test
    void eachRangeBoundKeepsAThird() {
        CostModel model = new CostModel(TABLE, 9_000, STATS);
        assertEquals(3_000, model.range(0, List.of(0), true, 0, true, false).rows(), 1e-9);
        assertEquals(1_000, model.range(0, List.of(0), true, 0, true, true).rows(), 1e-9);
    }

    @Test
    void withoutStatisticsColumnsHavePostgresDefaultDistinctCappedByRows() {
        CostModel big = new CostModel(TABLE, 10_000, null);
        assertEquals(10_000 / 200.0, big.range(1, List.of(1), false, 1, false, false).rows(), 1e-9);
        CostModel small = new CostModel(TABLE, 50, null);
        assertEquals(50, small.distinct(1), 1e-9);
        // a two-column prefix: 200 * 200 capped by the rows
        assertEquals(10_000, big.prefixDistinct(3, List.of(1, 3), 2), 1e-9);
    }

    @Test
    void distinctCountsThatGrowWithTheTableAreScaled() {
        CostModel doubled = new CostModel(TABLE, 20_000, STATS);
        assertEquals(20_000, doubled.distinct(2), 1e-9); // k: all distinct, stays all distinct
        assertEquals(2, doubled.distinct(1), 1e-9);      // flag: a fixed domain
    }

    @Test
    void costsRankIndexesByTheirSelectivity() {
        CostModel model = new CostModel(TABLE, 10_000, STATS);
        double full = model.full().cost();
        assertEquals(CostModel.STREAM + 2 * CostModel.SEEK + 10_000, full, 1e-9);
        assertTrue(model.range(1, List.of(1), false, 1, false, false).cost() > full, "2 values: a full scan is cheaper");
        assertTrue(model.range(2, List.of(2), true, 1, false, false).cost() < full / 100, "a unique probe is far cheaper");
        assertTrue(model.keys(1).cost() < model.range(2, List.of(2), true, 1, false, false).cost(),
                "a primary-key lookup reads one partition");
        CostModel tiny = new CostModel(TABLE, 10, null);
        assertTrue(tiny.keys(5).cost() < tiny.full().cost(), "a few keys beat streaming even a small table");
        assertTrue(tiny.keys(100).cost() > tiny.full().cost(), "a long IN list over a small table is a scan");
    }

    @Test
    void statisticsOfAnotherTableOrAnEmptyOneAreIgnored() {
        TableStats other = new TableStats(8, 10_000, STATS.columns(), List.of());
        assertEquals(10_000 / 200.0, new CostModel(TABLE, 10_000, other).range(1, List.of(1), false, 1, false, false).rows(), 1e-9);
        TableStats empty = new TableStats(7, 0, STATS.columns(), List.of());
        assertEquals(200, new CostModel(TABLE, 10_000, empty).distinct(1), 1e-9);
    }
}
