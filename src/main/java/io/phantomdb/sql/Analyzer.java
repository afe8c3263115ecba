package io.phantomdb.sql;

import io.phantomdb.catalog.StatisticsStore;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableStats;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.scan.AccessPath;
import io.phantomdb.exec.scan.TableScans;
import io.phantomdb.partition.PartitionClient;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.txn.mvcc.Timestamps;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * ANALYZE of one table: a full scan at a fresh read timestamp (every acknowledged statement visible, as a
 * query's) folded into a {@link StatisticsCollector} batch by batch, so memory stays at one batch plus the
 * distinct-value counters; then the result is stored durably ({@link StatisticsStore}) and only then made
 * current in {@link TableStatistics}.
 */
final class Analyzer {
    /**
     * Distinct values ANALYZE holds per table, shared by its columns and key prefixes (suggested setting
     * {@code phantom.sql.analyze-distinct-values-max}); past a counter's share, NDV is estimated.
     */
    static final int DISTINCT_VALUES_MAX = 200_000;

    private final PartitionRegistry registry;
    private final PartitionClient partitions;
    private final Timestamps timestamps;
    private final ActorSystem<?> system;
    private final int batchRows;
    private final int distinctValuesMax;
    private final TableStatistics statistics;

    Analyzer(PartitionRegistry registry, PartitionClient partitions, Timestamps timestamps, ActorSystem<?> system,
            int batchRows, int distinctValuesMax, TableStatistics statistics) {
        this.registry = registry;
        this.partitions = partitions;
        this.timestamps = timestamps;
        this.system = system;
        this.batchRows = batchRows;
        this.distinctValuesMax = distinctValuesMax;
        this.statistics = statistics;
    }

    /** Collects, stores and installs the statistics of {@code table}. */
    CompletionStage<TableStats> analyze(TableDef table) {
        return timestamps.openReadAfterAcknowledged().thenCompose(readTs -> {
            long mark = statistics.changeMark(table);
            return scan(table, readTs)
                    .whenComplete((s, e) -> timestamps.closeRead(readTs))
                    .thenCompose(stats -> store(table, stats))
                    .thenApply(stats -> {
                        statistics.install(table, stats, mark);
                        return stats;
                    });
        });
    }

    private CompletionStage<TableStats> scan(TableDef table, long readTs) {
        List<Integer> all = IntStream.range(0, table.partitions()).boxed().toList();
        TableScans.ScanSpec spec = new TableScans.ScanSpec(table, all, new AccessPath.FullScan(), readTs, batchRows);
        StatisticsCollector collector = new StatisticsCollector(table, distinctValuesMax);
        return PekkoFutures.of(TableScans.rows(registry, spec).runFold(collector, Analyzer::fold, system),
                system.executionContext()).thenApply(StatisticsCollector::result);
    }

    private static StatisticsCollector fold(StatisticsCollector collector, Batch batch) {
        for (Object[] row : batch.rows()) {
            collector.add(row);
        }
        return collector;
    }

    private CompletionStage<TableStats> store(TableDef table, TableStats stats) {
        long ts = timestamps.beginCommit();
        return StatisticsStore.save(partitions, table, stats, ts)
                .whenComplete((v, e) -> timestamps.endCommit(ts))
                .thenApply(v -> stats);
    }
}
