package io.phantomdb.sql;

import io.phantomdb.catalog.TableDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.BytesKey;
import io.phantomdb.exec.txn.TxnState;
import io.phantomdb.exec.ExecBindings;
import io.phantomdb.exec.ExecContext;
import io.phantomdb.exec.GroupKey;
import io.phantomdb.exec.MemoryBudget;
import io.phantomdb.exec.Values;
import io.phantomdb.exec.scan.TableScans;
import io.phantomdb.exec.write.RowChange;
import io.phantomdb.exec.write.TableWriter;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.sql.plan.PhysicalPlanner;
import io.phantomdb.txn.mvcc.Timestamps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Runs INSERT, UPDATE and DELETE inside a transaction: reads the input at the statement's read timestamp
 * (through the transaction's own writes), converts values to the columns' types, locks the rows the changes
 * touch, and buffers the changes in the transaction ({@link TableWriter}). Nothing is visible to others
 * before the transaction commits.
 *
 * <p>A row that a concurrent transaction changed after the statement read it (found once its lock is held):
 * at REPEATABLE READ and SERIALIZABLE the statement fails with 40001; at READ COMMITTED the statement is
 * evaluated again for just those rows at a fresh snapshot (PostgreSQL's EvalPlanQual re-check), so a row that
 * no longer matches is skipped and new values are computed from the newest version (docs/transactions.md).
 */
final class DmlExecutor {
    /** Re-checks of one statement before it gives up with 40001 (each needs a newer concurrent commit). */
    private static final int RECHECKS_MAX = 100;

    private final PartitionRegistry registry;
    private final Transactions transactions;
    private final SqlSettings settings;
    private final ActorSystem<?> system;
    private final TableWriter writer;
    private final TableStatistics statistics;

    DmlExecutor(PartitionRegistry registry, Transactions transactions, SqlSettings settings, ActorSystem<?> system,
            TableStatistics statistics) {
        this.registry = registry;
        this.transactions = transactions;
        this.settings = settings;
        this.system = system;
        this.writer = new TableWriter(registry);
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

    /** Runs the statement in {@code txn} at {@code readTimestamp}; completes with the number of rows changed. */
    CompletionStage<Long> execute(Prepared.Dml dml, Object[] parameters, TxnState txn, long readTimestamp) {
        ExecContext context = context(parameters, txn, readTimestamp, Map.of());
        return input(dml, context)
                .thenCompose(rows -> changes(dml, rows, context))
                .thenCompose(changes -> apply(dml, changes, parameters, txn, readTimestamp, 0));
    }

    private ExecContext context(Object[] parameters, TxnState txn, long readTimestamp, Map<Integer, List<byte[]>> recheck) {
        return new ExecContext(registry, readTimestamp, new MemoryBudget(settings.queryMemoryBytes()),
                new ExecBindings(parameters), settings.batchRows(), txn, recheck);
    }

    /** The input plan's rows, at most {@code dml-rows-max} of them. */
    private CompletionStage<List<Object[]>> input(Prepared.Dml dml, ExecContext context) {
        if (dml.input().inline()) { // a key lookup: read on this thread, no stream to materialize (decisions D18)
            try {
                List<Object[]> rows = dml.input().runInline(context);
                if (rows.size() > settings.dmlRowsMax()) {
                    throw tooManyRows();
                }
                return CompletableFuture.completedFuture(rows);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return PekkoFutures.of(dml.input().build(context)
                .limitWeighted(settings.dmlRowsMax(), b -> (long) b.size())
                .runWith(Sink.seq(), system), system.executionContext())
                .exceptionally(e -> {
                    Throwable cause = PhantomSqlException.unwrap(e);
                    if (cause instanceof org.apache.pekko.stream.StreamLimitReachedException) {
                        throw tooManyRows();
                    }
                    throw cause instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(cause);
                })
                .thenApply(this::rows);
    }

    /** Locks, checks for concurrent changes (re-checking at READ COMMITTED), then buffers the changes. */
    private CompletionStage<Long> apply(Prepared.Dml dml, List<RowChange> changes, Object[] parameters, TxnState txn,
            long readTimestamp, int recheck) {
        TableDef table = dml.table();
        return writer.lock(table, changes, txn).thenCompose(v -> {
            List<byte[]> stale = writer.changedSince(table, changes, txn, readTimestamp);
            if (stale.isEmpty()) {
                transactions.wrote(txn, table);
                int n = writer.stage(table, changes, txn);
                statistics.add(table, delta(changes));
                return CompletableFuture.completedFuture((long) n);
            }
            if (txn.level().snapshotPerTransaction() || !table.hasPrimaryKey() || recheck >= RECHECKS_MAX) {
                throw new PhantomSqlException(SqlState.SERIALIZATION_FAILURE,
                        "could not serialize access due to concurrent update; retry the transaction");
            }
            return recheck(dml, changes, stale, parameters, txn, recheck);
        });
    }

    /**
     * READ COMMITTED: evaluates the statement again, at a fresh snapshot, for just the rows that changed under
     * it; the other rows keep their changes. The re-checked rows are locked already.
     */
    private CompletionStage<Long> recheck(Prepared.Dml dml, List<RowChange> changes, List<byte[]> stale, Object[] parameters,
            TxnState txn, int recheck) {
        TableDef table = dml.table();
        Set<BytesKey> staleKeys = new HashSet<>();
        stale.forEach(k -> staleKeys.add(new BytesKey(k)));
        List<RowChange> kept = new ArrayList<>();
        for (RowChange c : changes) {
            if (c.before() == null || !staleKeys.contains(new BytesKey(TableKeys.rowKey(table, c.before())))) {
                kept.add(c);
            }
        }
        Timestamps timestamps = transactions.timestamps();
        return timestamps.openReadAfterAcknowledged().thenCompose(fresh -> {
            ExecContext context = context(parameters, txn, fresh, Map.of(table.tableId(), stale));
            return input(dml, context)
                    .thenCompose(rows -> changes(dml, rows, context))
                    .thenCompose(rechecked -> {
                        kept.addAll(rechecked);
                        return apply(dml, kept, parameters, txn, fresh, recheck + 1);
                    })
                    .whenComplete((n, e) -> timestamps.closeRead(fresh));
        });
    }

    private static long delta(List<RowChange> changes) {
        long delta = 0;
        for (RowChange c : changes) {
            delta += (c.after() != null ? 1 : 0) - (c.before() != null ? 1 : 0);
        }
        return delta;
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
                context.readTimestamp(), context.batchRows(), null, context.txn());
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
