package io.phantomdb.sql;

import io.phantomdb.catalog.TableDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.ExecBindings;
import io.phantomdb.exec.ExecContext;
import io.phantomdb.exec.GroupKey;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.Values;
import io.phantomdb.exec.scan.TableScans;
import io.phantomdb.exec.write.RowChange;
import io.phantomdb.exec.write.TableWriter;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.sql.plan.PhysicalPlanner;
import io.phantomdb.txn.mvcc.Timestamps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Runs INSERT, UPDATE and DELETE: under the table's statement lock (one writing statement per table at a
 * time on this node, docs/decisions.md D13), it reads the input at the newest committed state, converts
 * values to the columns' types, and hands the row changes to the {@link TableWriter} at a fresh commit
 * timestamp. A statement that fails before its writes are sent changes nothing.
 */
final class DmlExecutor {
    private final PartitionRegistry registry;
    private final Timestamps timestamps;
    private final SqlSettings settings;
    private final ActorSystem<?> system;
    private final TableWriter writer;
    private final SqlEngine.TableStatistics statistics;
    private final TableLocks tableLocks;
    /** Newest commit timestamp per table: a statement's read of its own table must not be older. */
    private final Map<Integer, Long> lastCommits = new ConcurrentHashMap<>();

    DmlExecutor(PartitionRegistry registry, PartitionClient partitions, Timestamps timestamps, SqlSettings settings,
            ActorSystem<?> system, SqlEngine.TableStatistics statistics, TableLocks tableLocks) {
        this.tableLocks = tableLocks;
        this.registry = registry;
        this.timestamps = timestamps;
        this.settings = settings;
        this.system = system;
        this.writer = new TableWriter(registry, partitions);
        this.statistics = statistics;
    }

    /** The DML part of a compiled statement. */
    static Prepared.Dml plan(TableModify modify, PhysicalPlanner planner, RelNode optimizedInput) {
        TableDef table = targetOf(modify);
        Prepared.Operation operation;
        int[] updateColumns = new int[0];
        if (modify.isInsert()) {
            operation = Prepared.Operation.INSERT;
        } else if (modify.isDelete()) {
            operation = Prepared.Operation.DELETE;
        } else if (modify.isUpdate()) {
            operation = Prepared.Operation.UPDATE;
            List<String> names = modify.getUpdateColumnList();
            updateColumns = new int[names.size()];
            for (int i = 0; i < names.size(); i++) {
                updateColumns[i] = table.columnIndex(names.get(i));
            }
        } else {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "MERGE is not supported");
        }
        return new Prepared.Dml(table, operation, planner.plan(optimizedInput), updateColumns);
    }

    CompletionStage<Long> execute(Prepared.Dml dml, Object[] parameters) {
        return tableLocks.withLock(dml.table().tableId(), () -> runLocked(dml, parameters));
    }

    private CompletionStage<Long> runLocked(Prepared.Dml dml, Object[] parameters) {
        long readTs = timestamps.openRead();
        long ownTableTs = Math.max(readTs, lastCommits.getOrDefault(dml.table().tableId(), 0L));
        ExecContext context = new ExecContext(registry, ownTableTs, new MemoryBudget(settings.queryMemoryBytes()),
                new ExecBindings(parameters), settings.batchRows());
        CompletionStage<List<Batch>> input = PekkoFutures.of(dml.input().build(context)
                .limitWeighted(settings.dmlRowsMax(), b -> (long) b.size())
                .runWith(Sink.seq(), system), system.executionContext())
                .exceptionally(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof org.apache.pekko.stream.StreamLimitReachedException) {
                        throw tooManyRows();
                    }
                    throw cause instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(cause);
                });
        return input.thenCompose(batches -> changes(dml, rows(batches), context))
                .thenCompose(changes -> write(dml.table(), changes))
                .whenComplete((n, e) -> timestamps.closeRead(readTs));
    }

    private List<Object[]> rows(List<Batch> batches) {
        List<Object[]> rows = new ArrayList<>();
        for (Batch b : batches) {
            rows.addAll(b.rows());
        }
        if (rows.size() > settings.dmlRowsMax()) {
            throw tooManyRows();
        }
        return rows;
    }

    private PhantomSqlException tooManyRows() {
        return new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED, "a statement may change at most "
                + settings.dmlRowsMax() + " rows (phantom.sql.dml-rows-max)");
    }

    private CompletionStage<List<RowChange>> changes(Prepared.Dml dml, List<Object[]> rows, ExecContext context) {
        TableDef table = dml.table();
        List<RowChange> changes = new ArrayList<>(rows.size());
        int width = table.columns().size();
        for (Object[] row : rows) {
            switch (dml.operation()) {
                case INSERT:
                    changes.add(RowChange.insert(assign(table, Arrays.copyOf(row, width))));
                    break;
                case DELETE:
                    changes.add(new RowChange(Arrays.copyOf(row, width), null, null));
                    break;
                default:
                    Object[] before = Arrays.copyOf(row, width);
                    Object[] after = before.clone();
                    for (int i = 0; i < dml.updateColumns().length; i++) {
                        after[dml.updateColumns()[i]] = row[width + i];
                    }
                    changes.add(new RowChange(before, assign(table, after), null));
            }
        }
        if (table.hasPrimaryKey() || dml.operation() == Prepared.Operation.INSERT) {
            return CompletableFuture.completedFuture(changes);
        }
        return locate(table, changes, context);
    }

    /**
     * Tables without a primary key: rows are found again by value. Equal rows get equal treatment (the new
     * values are a function of the old ones), so each stored row whose values equal a changed row's old
     * values gets that change, and duplicates stay duplicates.
     */
    private CompletionStage<List<RowChange>> locate(TableDef table, List<RowChange> changes, ExecContext context) {
        int width = table.columns().size();
        int[] all = IntStream.range(0, width).toArray();
        Map<GroupKey, RowChange> byOldValues = new HashMap<>();
        for (RowChange c : changes) {
            byOldValues.putIfAbsent(Values.groupKey(c.before(), all), c);
        }
        List<Integer> partitions = IntStream.range(0, table.partitions()).boxed().toList();
        TableScans.ScanSpec spec = new TableScans.ScanSpec(table, partitions, new io.phantomdb.exec.scan.AccessPath.FullScan(),
                context.readTimestamp(), context.batchRows());
        return PekkoFutures.of(TableScans.rowsWithLocators(registry, spec).runWith(Sink.seq(), system), system.executionContext())
                .thenApply(batches -> {
            List<RowChange> located = new ArrayList<>();
            for (Batch b : batches) {
                for (Object[] stored : b.rows()) {
                    RowChange c = byOldValues.get(Values.groupKey(stored, all));
                    if (c != null) {
                        Object[] before = Arrays.copyOf(stored, width);
                        located.add(new RowChange(before, c.after(), (TableScans.Locator) stored[width]));
                    }
                }
            }
            return located;
        });
    }

    private CompletionStage<Long> write(TableDef table, List<RowChange> changes) {
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        long ts = timestamps.beginCommit();
        return writer.apply(table, changes, ts).handle((n, e) -> {
            timestamps.endCommit(ts);
            if (e != null) {
                throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
            }
            lastCommits.merge(table.tableId(), ts, Math::max);
            long delta = 0;
            for (RowChange c : changes) {
                delta += (c.after() != null ? 1 : 0) - (c.before() != null ? 1 : 0);
            }
            statistics.add(table, delta);
            return (long) n;
        });
    }

    /** Converts each value to its column's type (assignment cast), with length and scale rules. */
    static Object[] assign(TableDef table, Object[] row) {
        for (int c = 0; c < row.length; c++) {
            row[c] = ColumnValues.assign(row[c], table.columns().get(c));
        }
        return row;
    }

    private static TableDef targetOf(TableModify modify) {
        TableDef table = io.phantomdb.sql.frontend.CalciteTables.tableDef(modify.getTable());
        if (table == null) {
            throw new PhantomSqlException(SqlState.WRONG_OBJECT_TYPE, "cannot change "
                    + String.join(".", modify.getTable().getQualifiedName()) + ": it is not a table");
        }
        return table;
    }
}
