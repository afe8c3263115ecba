package io.phantomdb.sql.plan;

import io.phantomdb.catalog.DataType;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.ExecContext;
import io.phantomdb.exec.Scalar;
import io.phantomdb.exec.scan.AccessPath;
import io.phantomdb.exec.scan.TableScans;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reads one table by the access path the planner chose ({@link Access}); probe values are expressions
 * (literals or parameters) evaluated per execution and converted exactly to the key column's type. A probe
 * value that has no exact equal in the column's type (e.g. {@code intcol = 2.5}) matches no key. The full
 * WHERE condition is still applied above the scan, so a path only has to return a superset of the rows.
 */
public final class ScanNode extends PlanNode {

    /** The chosen way in, before probe values are known. */
    public sealed interface Access {
        record Full() implements Access {}

        /** Complete primary keys: one list of values per key (IN lists give several). */
        record Keys(List<List<Scalar>> keys, String text) implements Access {}

        /**
         * Equal values on the first {@code equal.size()} columns of an index (0 = primary), then an optional
         * range on the next column (an ascending one).
         */
        record Range(int indexId, String indexName, List<Scalar> equal, Scalar lower, boolean lowerInclusive,
                Scalar upper, boolean upperInclusive, String text) implements Access {}
    }

    private final TableDef table;
    private final Access access;
    /** Columns the plan reads (null = all); the others stay NULL in the scan's rows and are never decoded. */
    private final boolean[] wanted;
    /** What the cost model expected when it chose the path (EXPLAIN shows it); null when not planned by it. */
    private final CostModel.Estimate estimate;

    public ScanNode(TableDef table, Access access) {
        this(table, access, null);
    }

    public ScanNode(TableDef table, Access access, boolean[] wanted) {
        this(table, access, wanted, null);
    }

    ScanNode(TableDef table, Access access, boolean[] wanted, CostModel.Estimate estimate) {
        super(List.of(table.types()));
        this.table = table;
        this.access = access;
        this.wanted = wanted == null ? null : wanted.clone();
        this.estimate = estimate;
    }

    /** The same scan, decoding only {@code columns}. */
    public ScanNode reading(boolean[] columns) {
        return new ScanNode(table, access, columns, estimate);
    }

    public TableDef table() {
        return table;
    }

    @Override
    public Source<Batch, NotUsed> build(ExecContext context) {
        AccessPath path = resolve(context);
        if (path == null) {
            return Source.empty();
        }
        List<Integer> partitions = IntStream.range(0, table.partitions()).boxed().toList();
        return TableScans.rows(context.registry(),
                new TableScans.ScanSpec(table, partitions, path, context.readTimestamp(), context.batchRows(), wanted, context.txn()));
    }

    @Override
    public boolean inline() {
        return access instanceof Access.Keys;
    }

    @Override
    public List<Object[]> runInline(ExecContext context) {
        AccessPath path = resolve(context);
        if (path == null) {
            return List.of();
        }
        return TableScans.lookupRows(context.registry(), new TableScans.ScanSpec(table, List.of(), path,
                context.readTimestamp(), context.batchRows(), wanted, context.txn()), (AccessPath.KeyLookup) path);
    }

    /** The encoded path for this execution, or null when no row can match. */
    private AccessPath resolve(ExecContext context) {
        List<byte[]> only = context.recheck().get(table.tableId());
        if (only != null) {
            return new AccessPath.KeyLookup(only); // a READ COMMITTED re-check reads just the rows that changed
        }
        if (access instanceof Access.Keys keys) {
            if (keys.keys().size() == 1) { // a point lookup (the common case): nothing to sort or deduplicate
                Object[] row = new Object[table.columns().size()];
                return fill(row, table.primaryKey(), keys.keys().get(0), context)
                        ? new AccessPath.KeyLookup(List.of(TableKeys.rowKey(table, row))) : null;
            }
            TreeSet<byte[]> unique = new TreeSet<>(Arrays::compareUnsigned);
            for (List<Scalar> key : keys.keys()) {
                Object[] row = new Object[table.columns().size()];
                if (fill(row, table.primaryKey(), key, context)) {
                    unique.add(TableKeys.rowKey(table, row));
                }
            }
            return unique.isEmpty() ? null : new AccessPath.KeyLookup(new ArrayList<>(unique));
        }
        if (access instanceof Access.Range range) {
            return resolveRange(range, context);
        }
        return new AccessPath.FullScan();
    }

    private AccessPath resolveRange(Access.Range range, ExecContext context) {
        List<Integer> columns = range.indexId() == TableKeys.PRIMARY_INDEX_ID ? table.primaryKey() : table.indexById(range.indexId()).columns();
        List<Object> equal = new ArrayList<>();
        for (int i = 0; i < range.equal().size(); i++) {
            Object v = KeyValues.exact(PlanNodes.constant(range.equal().get(i), context), type(columns.get(i)));
            if (v == KeyValues.NO_MATCH) {
                return null;
            }
            equal.add(v);
        }
        byte[] prefix = TableKeys.indexPrefix(table, range.indexId(), equal);
        byte[] low = prefix;
        byte[] high = TableKeys.afterPrefix(prefix);
        DataType next = equal.size() < columns.size() ? type(columns.get(equal.size())) : null;
        if (range.lower() != null) {
            Object v = KeyValues.exact(PlanNodes.constant(range.lower(), context), next);
            if (v != KeyValues.NO_MATCH) {
                byte[] bound = TableKeys.indexPrefix(table, range.indexId(), append(equal, v));
                low = range.lowerInclusive() ? bound : TableKeys.afterPrefix(bound);
            }
        }
        if (range.upper() != null) {
            Object v = KeyValues.exact(PlanNodes.constant(range.upper(), context), next);
            if (v != KeyValues.NO_MATCH) {
                byte[] bound = TableKeys.indexPrefix(table, range.indexId(), append(equal, v));
                high = range.upperInclusive() ? TableKeys.afterPrefix(bound) : bound;
            }
        }
        return new AccessPath.IndexRange(range.indexId(), low, high);
    }

    private boolean fill(Object[] row, List<Integer> columns, List<Scalar> values, ExecContext context) {
        for (int i = 0; i < columns.size(); i++) {
            Object v = KeyValues.exact(PlanNodes.constant(values.get(i), context), type(columns.get(i)));
            if (v == KeyValues.NO_MATCH) {
                return false;
            }
            row[columns.get(i)] = v;
        }
        return true;
    }

    private static List<Object> append(List<Object> values, Object v) {
        List<Object> out = new ArrayList<>(values);
        out.add(v);
        return out;
    }

    private DataType type(int column) {
        return table.columns().get(column).type();
    }

    @Override
    public String describe() {
        String partitions = table.partitions() + " partition" + (table.partitions() == 1 ? "" : "s");
        if (access instanceof Access.Keys keys) {
            return "KeyLookup on " + table.name() + " " + keys.text() + " (" + keys.keys().size()
                    + " key(s), each read from its one partition of " + table.partitions() + ")" + columnsText() + estimateText();
        }
        if (access instanceof Access.Range range) {
            String kind = range.indexId() == TableKeys.PRIMARY_INDEX_ID ? "PrimaryKeyRange" : "IndexScan";
            return kind + " on " + table.name() + " using " + range.indexName() + " " + range.text() + " (all " + partitions + ")"
                    + columnsText() + estimateText();
        }
        return "SeqScan on " + table.name() + " (all " + partitions + ")" + columnsText() + estimateText();
    }

    /** PostgreSQL's form: estimated rows at least 1, cost in units of one row read in key order. */
    private String estimateText() {
        if (estimate == null) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, " (cost=%.2f rows=%d)", estimate.cost(),
                Math.max(1, Math.round(estimate.rows())));
    }

    private String columnsText() {
        if (wanted == null) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < wanted.length; i++) {
            if (wanted[i]) {
                names.add(table.columns().get(i).name());
            }
        }
        return " reading " + String.join(", ", names);
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }
}
