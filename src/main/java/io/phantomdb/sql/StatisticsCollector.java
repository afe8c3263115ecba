package io.phantomdb.sql;

import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.catalog.TableStats;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a table's {@link TableStats} from its rows, fed one at a time by ANALYZE's scan: the row count, per
 * column the null count and a {@link DistinctCounter}, and per key of two or more columns (primary key and
 * secondary indexes) a counter for each prefix longer than one column, over the rows with no NULL in it.
 * The counters share {@code distinctValuesMax} values of memory equally.
 *
 * <p>Not thread-safe; one per table per ANALYZE.
 */
final class StatisticsCollector {
    private final TableDef table;
    private final long[] nulls;
    private final DistinctCounter[] columns;
    /** Per analyzed key: its counters for prefixes of 2..n columns (index 0 = 2 columns). */
    private final List<Key> keys = new ArrayList<>();
    private long rows;

    private record Key(int indexId, List<Integer> columns, DistinctCounter[] prefixes) {}

    StatisticsCollector(TableDef table, int distinctValuesMax) {
        this.table = table;
        int width = table.columns().size();
        List<int[]> keyShapes = new ArrayList<>();
        int counters = width;
        if (table.primaryKey().size() > 2) { // the full primary key needs no counter: it is unique
            keyShapes.add(new int[] {TableKeys.PRIMARY_INDEX_ID, table.primaryKey().size() - 2});
            counters += table.primaryKey().size() - 2;
        }
        for (IndexDef index : table.indexes()) {
            if (index.columns().size() > 1) {
                keyShapes.add(new int[] {index.indexId(), index.columns().size() - 1});
                counters += index.columns().size() - 1;
            }
        }
        int limit = Math.max(1, distinctValuesMax / counters);
        this.nulls = new long[width];
        this.columns = new DistinctCounter[width];
        for (int i = 0; i < width; i++) {
            columns[i] = new DistinctCounter(limit);
        }
        for (int[] shape : keyShapes) {
            DistinctCounter[] prefixes = new DistinctCounter[shape[1]];
            for (int i = 0; i < prefixes.length; i++) {
                prefixes[i] = new DistinctCounter(limit);
            }
            keys.add(new Key(shape[0], keyColumns(shape[0]), prefixes));
        }
    }

    private List<Integer> keyColumns(int indexId) {
        return indexId == TableKeys.PRIMARY_INDEX_ID ? table.primaryKey() : table.indexById(indexId).columns();
    }

    void add(Object[] row) {
        rows++;
        for (int i = 0; i < columns.length; i++) {
            if (row[i] == null) {
                nulls[i]++;
            } else {
                columns[i].add(DistinctCounter.normalize(row[i]));
            }
        }
        for (Key key : keys) {
            List<Object> prefix = new ArrayList<>(key.columns().size());
            for (int i = 0; i < key.columns().size() && i <= key.prefixes().length; i++) {
                Object value = row[key.columns().get(i)];
                if (value == null) {
                    break; // a prefix with a NULL never equals a probe
                }
                prefix.add(DistinctCounter.normalize(value));
                if (i > 0) {
                    key.prefixes()[i - 1].add(List.copyOf(prefix));
                }
            }
        }
    }

    TableStats result() {
        List<TableStats.Column> out = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            out.add(new TableStats.Column(columns[i].estimate(), rows == 0 ? 0 : (double) nulls[i] / rows));
        }
        List<TableStats.Index> indexes = new ArrayList<>();
        for (Key key : keys) {
            List<Double> distinct = new ArrayList<>();
            distinct.add(columns[key.columns().get(0)].estimate());
            for (DistinctCounter prefix : key.prefixes()) {
                distinct.add(prefix.estimate());
            }
            if (key.indexId() == TableKeys.PRIMARY_INDEX_ID) {
                distinct.add((double) rows);
            }
            indexes.add(new TableStats.Index(key.indexId(), key.columns(), distinct));
        }
        return new TableStats(table.tableId(), rows, out, indexes);
    }
}
