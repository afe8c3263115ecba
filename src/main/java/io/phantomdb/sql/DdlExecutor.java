package io.phantomdb.sql;

import io.phantomdb.catalog.Catalog;
import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.StatisticsStore;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.catalog.ViewDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.scan.AccessPath;
import io.phantomdb.exec.scan.TableScans;
import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.sql.ddl.Analyze;
import io.phantomdb.sql.ddl.ColumnSpec;
import io.phantomdb.sql.ddl.CreateIndex;
import io.phantomdb.sql.ddl.CreateTable;
import io.phantomdb.sql.ddl.CreateView;
import io.phantomdb.sql.ddl.DdlStatement;
import io.phantomdb.sql.ddl.DropIndex;
import io.phantomdb.sql.ddl.DropTable;
import io.phantomdb.sql.ddl.DropView;
import io.phantomdb.sql.ddl.IndexColumn;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.txn.mvcc.AsyncRwLock;
import io.phantomdb.txn.mvcc.Timestamps;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Runs DDL: one statement at a time per node (the DDL lock), each ending in one durable catalog change
 * ({@link Catalog#publish}). Object names share one namespace (tables, views, indexes), as in PostgreSQL.
 * CREATE INDEX fills the index from the table's rows before the catalog names it, holding the table's
 * statement lock so no write slips past the build; DROP TABLE deletes the partitions' files after the
 * catalog forgot the table. ANALYZE is routed here too (it is no catalog change: {@link Analyzer}), so that
 * it never runs concurrently with DDL on the same table.
 */
final class DdlExecutor {
    private static final int INDEX_WRITE_CHUNK = 10_000;

    private final Catalog catalog;
    private final PartitionRegistry registry;
    private final PartitionClient partitions;
    private final Timestamps timestamps;
    private final SqlSettings settings;
    private final ActorSystem<?> system;
    private final SqlEngine engine;
    private final TableLocks tableLocks;
    private final AsyncRwLock ddlLock;
    private final TableStatistics statistics;
    private final Analyzer analyzer;

    DdlExecutor(Catalog catalog, PartitionRegistry registry, PartitionClient partitions, Timestamps timestamps,
            SqlSettings settings, ActorSystem<?> system, SqlEngine engine, TableLocks tableLocks) {
        this.catalog = catalog;
        this.registry = registry;
        this.partitions = partitions;
        this.timestamps = timestamps;
        this.settings = settings;
        this.system = system;
        this.engine = engine;
        this.tableLocks = tableLocks;
        this.ddlLock = new AsyncRwLock(settings.statementQueueMax());
        this.statistics = engine.statistics;
        statistics.load(StatisticsStore.load(registry, catalog.current()));
        this.analyzer = new Analyzer(registry, partitions, timestamps, system, settings.batchRows(),
                Analyzer.DISTINCT_VALUES_MAX, statistics);
    }

    /**
     * Runs {@code statement} for {@code role} (null: the embedded API's implicit superuser), whose privileges the
     * session checked already; a table or view it creates is owned by it (the bootstrap superuser for null).
     */
    CompletionStage<Long> execute(DdlStatement statement, String sql, String role) {
        String owner = role != null ? role : engine.security().bootstrapRole().orElse(null);
        return ddlLock.withExclusive(() -> dispatch(statement, owner), "phantom.sql.statement-queue-max");
    }

    private CompletionStage<Long> dispatch(DdlStatement statement, String owner) {
        if (statement instanceof CreateTable s) {
            return createTable(s, owner);
        }
        if (statement instanceof DropTable s) {
            return dropTables(s);
        }
        if (statement instanceof CreateIndex s) {
            return createIndex(s);
        }
        if (statement instanceof DropIndex s) {
            return dropIndexes(s);
        }
        if (statement instanceof CreateView s) {
            return createView(s, owner);
        }
        if (statement instanceof DropView s) {
            return dropViews(s);
        }
        if (statement instanceof Analyze s) {
            return analyze(s);
        }
        throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "unsupported DDL " + statement);
    }

    // ------------------------------------------------------------------------------------ tables

    private CompletionStage<Long> createTable(CreateTable s, String owner) {
        CatalogSnapshot snapshot = catalog.current();
        if (nameTaken(snapshot, s.name())) {
            if (s.ifNotExists() && snapshot.table(s.name()) != null) {
                return done();
            }
            throw new PhantomSqlException(SqlState.DUPLICATE_TABLE, "relation \"" + s.name() + "\" already exists");
        }
        TableDef table = tableDef(s, snapshot.lastTableId() + 1);
        List<CompletableFuture<Long>> starts = new ArrayList<>();
        for (int p = 0; p < table.partitions(); p++) {
            starts.add(partitions.start(new PartitionId(table.tableId(), p)).toCompletableFuture());
        }
        return CompletableFuture.allOf(starts.toArray(new CompletableFuture<?>[0]))
                .thenCompose(v -> {
                    starts.forEach(f -> timestamps.observe(f.join()));
                    // Owner first: once the catalog names the table, its owner is known (docs/security.md).
                    return engine.security().objectCreated(table.name(), table.tableId(), owner)
                            .thenCompose(o -> publish(snapshot.withTable(table)));
                });
    }

    private TableDef tableDef(CreateTable s, int tableId) {
        List<ColumnDef> columns = new ArrayList<>();
        for (ColumnSpec c : s.columns()) {
            boolean inPrimaryKey = s.primaryKey().contains(c.name());
            columns.add(new ColumnDef(c.name(), c.type().type(), c.type().precision(), c.type().scale(),
                    !c.notNull() && !inPrimaryKey, c.defaultSql()));
        }
        if (columns.size() > 1600) {
            throw new PhantomSqlException(SqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION, "tables can have at most 1600 columns");
        }
        TableDef draft = new TableDef(tableId, s.name(), columns, List.of(), partitionCount(s), List.of());
        List<Integer> primaryKey = positions(draft, s.primaryKey());
        List<IndexDef> indexes = new ArrayList<>();
        for (List<String> unique : s.uniqueConstraints()) {
            List<Integer> cols = positions(draft, unique);
            indexes.add(new IndexDef(indexes.size() + 1, s.name() + "_" + String.join("_", unique) + "_key", cols,
                    cols.stream().map(c -> false).toList(), true));
        }
        return new TableDef(tableId, s.name(), columns, primaryKey, draft.partitions(), indexes);
    }

    private int partitionCount(CreateTable s) {
        String option = s.options().get("partitions");
        if (option == null) {
            return settings.defaultPartitions();
        }
        try {
            int n = Integer.parseInt(option.trim());
            if (n >= 1 && n <= settings.partitionsMax()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "partitions must be an integer in [1, "
                + settings.partitionsMax() + "], got " + option);
    }

    private static List<Integer> positions(TableDef table, List<String> names) {
        List<Integer> out = new ArrayList<>();
        for (String name : names) {
            int i = table.columnIndex(name);
            if (i < 0) {
                throw new PhantomSqlException(SqlState.UNDEFINED_COLUMN, "column \"" + name + "\" does not exist");
            }
            out.add(i);
        }
        return out;
    }

    private CompletionStage<Long> dropTables(DropTable s) {
        CatalogSnapshot snapshot = catalog.current();
        CatalogSnapshot next = snapshot;
        List<TableDef> dropped = new ArrayList<>();
        for (String name : s.names()) {
            TableDef table = next.table(name);
            if (table == null) {
                if (next.view(name) != null) {
                    throw new PhantomSqlException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is not a table");
                }
                if (!s.ifExists()) {
                    throw new PhantomSqlException(SqlState.UNDEFINED_TABLE, "table \"" + name + "\" does not exist");
                }
                continue;
            }
            dropped.add(table);
            next = next.withoutTable(name);
        }
        if (dropped.isEmpty()) {
            return done();
        }
        return publish(next).thenCompose(n -> engine.security().objectsDropped(dropped.stream().map(TableDef::name).toList()))
                .thenCompose(n -> forgetStatistics(dropped)).thenCompose(v -> destroy(dropped));
    }

    private CompletionStage<Void> forgetStatistics(List<TableDef> tables) {
        tables.forEach(statistics::forget);
        long ts = timestamps.beginCommit();
        return StatisticsStore.delete(partitions, tables.stream().map(TableDef::name).toList(), ts)
                .whenComplete((v, e) -> timestamps.endCommit(ts)).thenApply(v -> null);
    }

    private CompletionStage<Long> destroy(List<TableDef> tables) {
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (TableDef t : tables) {
            for (int p = 0; p < t.partitions(); p++) {
                all.add(partitions.destroy(new PartitionId(t.tableId(), p)).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> 0L);
    }

    // ------------------------------------------------------------------------------------ indexes

    private CompletionStage<Long> createIndex(CreateIndex s) {
        CatalogSnapshot snapshot = catalog.current();
        TableDef table = snapshot.table(s.table());
        if (table == null) {
            throw new PhantomSqlException(SqlState.UNDEFINED_TABLE, "relation \"" + s.table() + "\" does not exist");
        }
        List<String> names = s.columns().stream().map(IndexColumn::name).toList();
        String name = s.name() != null ? s.name() : s.chooseName(n -> nameTaken(snapshot, n));
        if (nameTaken(snapshot, name)) {
            if (s.ifNotExists()) {
                return done();
            }
            throw new PhantomSqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
        }
        IndexDef index = new IndexDef(table.nextIndexId(), name, positions(table, names),
                s.columns().stream().map(IndexColumn::descending).toList(), s.unique());
        TableDef withIndex = table.withIndex(index);
        return tableLocks.withLock(table.tableId(), () -> backfill(withIndex, index)
                .thenCompose(v -> publish(catalog.current().withTable(withIndex))));
    }

    /** Writes the index entries of every row, partition by partition; a duplicate in a unique index fails first. */
    private CompletionStage<Void> backfill(TableDef table, IndexDef index) {
        List<Integer> all = IntStream.range(0, table.partitions()).boxed().toList();
        TableScans.ScanSpec spec = new TableScans.ScanSpec(table, all, new AccessPath.FullScan(), Long.MAX_VALUE, settings.batchRows());
        return PekkoFutures.of(TableScans.rowsWithLocators(registry, spec).runWith(Sink.seq(), system), system.executionContext())
                .thenCompose(batches -> {
            Map<Integer, List<Mutation>> byPartition = new TreeMap<>();
            Set<ByteBuffer> seen = new HashSet<>();
            int width = table.columns().size();
            for (Batch b : batches) {
                for (Object[] row : b.rows()) {
                    TableScans.Locator at = (TableScans.Locator) row[width];
                    if (index.unique() && !index.hasNullIn(row)) {
                        List<Object> values = index.columns().stream().map(c -> row[c]).toList();
                        if (!seen.add(ByteBuffer.wrap(TableKeys.indexPrefix(table, index.indexId(), values)))) {
                            throw new PhantomSqlException(SqlState.UNIQUE_VIOLATION, "could not create unique index \""
                                    + index.name() + "\": Key " + values + " is duplicated.");
                        }
                    }
                    byPartition.computeIfAbsent(at.partition(), p -> new ArrayList<>())
                            .add(new Mutation.Put(TableKeys.indexKey(table, index, row, at.rowKey()), new byte[0]));
                }
            }
            return writeAll(table, byPartition);
        });
    }

    private CompletionStage<Void> writeAll(TableDef table, Map<Integer, List<Mutation>> byPartition) {
        if (byPartition.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long ts = timestamps.beginCommit();
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (Map.Entry<Integer, List<Mutation>> e : byPartition.entrySet()) {
            List<Mutation> list = e.getValue();
            for (int from = 0; from < list.size(); from += INDEX_WRITE_CHUNK) {
                List<Mutation> chunk = list.subList(from, Math.min(list.size(), from + INDEX_WRITE_CHUNK));
                writes.add(partitions.write(new PartitionId(table.tableId(), e.getKey()), new ArrayList<>(chunk), ts)
                        .toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]))
                .whenComplete((v, e) -> timestamps.endCommit(ts));
    }

    private CompletionStage<Long> dropIndexes(DropIndex s) {
        CatalogSnapshot next = catalog.current();
        List<TableDef> before = new ArrayList<>();
        List<IndexDef> dropped = new ArrayList<>();
        for (String name : s.names()) {
            TableDef table = next.tableOfIndex(name);
            if (table == null) {
                if (!s.ifExists()) {
                    throw new PhantomSqlException(SqlState.UNDEFINED_OBJECT, "index \"" + name + "\" does not exist");
                }
                continue;
            }
            before.add(table);
            dropped.add(table.index(name));
            next = next.withTable(table.withoutIndex(name));
        }
        if (dropped.isEmpty()) {
            return done();
        }
        return publish(next).thenCompose(n -> {
            CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < dropped.size(); i++) {
                TableDef table = before.get(i);
                IndexDef index = dropped.get(i);
                chain = chain.thenCompose(v -> tableLocks.withLock(table.tableId(), () -> deleteEntries(table, index)));
            }
            return chain.thenApply(v -> 0L);
        });
    }

    private CompletionStage<Void> deleteEntries(TableDef table, IndexDef index) {
        Map<Integer, List<Mutation>> byPartition = new TreeMap<>();
        for (int p = 0; p < table.partitions(); p++) {
            Engine engine = registry.engine(new PartitionId(table.tableId(), p)).orElse(null);
            if (engine == null) {
                continue;
            }
            try (KvIterator it = engine.scan(TableKeys.tableLow(table, index.indexId()), TableKeys.tableHigh(table, index.indexId()),
                    Long.MAX_VALUE, false)) {
                while (it.next()) {
                    byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(new Mutation.Delete(it.key()));
                }
            }
        }
        return writeAll(table, byPartition);
    }

    // ------------------------------------------------------------------------------------ views

    private CompletionStage<Long> createView(CreateView s, String owner) {
        CatalogSnapshot snapshot = catalog.current();
        if (nameTaken(snapshot, s.name())) {
            if (s.ifNotExists() && snapshot.view(s.name()) != null) {
                return done();
            }
            if (!(s.orReplace() && snapshot.view(s.name()) != null)) {
                throw new PhantomSqlException(SqlState.DUPLICATE_TABLE, "relation \"" + s.name() + "\" already exists");
            }
        }
        Prepared query = engine.compileQueryOrDml(s.querySql(), snapshot);
        if (query.kind() != Prepared.Kind.QUERY) {
            throw new PhantomSqlException(SqlState.WRONG_OBJECT_TYPE, "a view must be defined by a query");
        }
        List<Prepared.ResultColumn> result = query.columns();
        if (!s.columnNames().isEmpty() && s.columnNames().size() != result.size()) {
            throw new PhantomSqlException(SqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION, "view \"" + s.name() + "\" names "
                    + s.columnNames().size() + " columns but its query returns " + result.size());
        }
        List<ColumnDef> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < result.size(); i++) {
            String name = s.columnNames().isEmpty() ? result.get(i).name() : s.columnNames().get(i);
            if (!names.add(name)) {
                throw new PhantomSqlException(SqlState.DUPLICATE_COLUMN, "column \"" + name + "\" specified more than once");
            }
            columns.add(new ColumnDef(name, result.get(i).type(), -1, -1, true, null));
        }
        ViewDef view = new ViewDef(s.name(), s.querySql(), columns);
        if (snapshot.view(s.name()) != null) { // OR REPLACE keeps the owner and grants
            return publish(snapshot.withView(view));
        }
        return engine.security().objectCreated(s.name(), io.phantomdb.security.Security.viewId(), owner)
                .thenCompose(o -> publish(snapshot.withView(view)));
    }

    private CompletionStage<Long> dropViews(DropView s) {
        CatalogSnapshot next = catalog.current();
        boolean changed = false;
        List<String> dropped = new ArrayList<>();
        for (String name : s.names()) {
            if (next.view(name) == null) {
                if (next.table(name) != null) {
                    throw new PhantomSqlException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is not a view");
                }
                if (!s.ifExists()) {
                    throw new PhantomSqlException(SqlState.UNDEFINED_TABLE, "view \"" + name + "\" does not exist");
                }
                continue;
            }
            next = next.withoutView(name);
            dropped.add(name);
            changed = true;
        }
        return changed ? publish(next).thenCompose(n -> engine.security().objectsDropped(dropped).thenApply(v -> n)) : done();
    }

    // ------------------------------------------------------------------------------------ statistics

    /**
     * ANALYZE: the named tables (all when none is named) one after the other; views are skipped, as PostgreSQL
     * skips them (with a warning). Cached plans are dropped afterwards so that statements are planned anew.
     */
    private CompletionStage<Long> analyze(Analyze s) {
        CatalogSnapshot snapshot = catalog.current();
        List<TableDef> tables = new ArrayList<>();
        if (s.tables().isEmpty()) {
            tables.addAll(snapshot.tables().values());
        }
        for (String name : s.tables()) {
            TableDef table = snapshot.table(name);
            if (table == null && snapshot.view(name) == null) {
                throw new PhantomSqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
            }
            if (table != null) {
                tables.add(table);
            }
        }
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (TableDef table : tables) {
            chain = chain.thenCompose(v -> analyzer.analyze(table)).thenApply(stats -> null);
        }
        return chain.whenComplete((v, e) -> engine.forgetPlans()).thenApply(v -> 0L);
    }

    // ------------------------------------------------------------------------------------ helpers

    private static boolean nameTaken(CatalogSnapshot snapshot, String name) {
        return snapshot.table(name) != null || snapshot.view(name) != null || snapshot.tableOfIndex(name) != null;
    }

    private CompletionStage<Long> publish(CatalogSnapshot next) {
        long ts = timestamps.beginCommit();
        return catalog.publish(next, ts).whenComplete((v, e) -> timestamps.endCommit(ts)).thenApply(v -> 0L);
    }

    private static CompletionStage<Long> done() {
        return CompletableFuture.completedFuture(0L);
    }
}
