package io.phantomdb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.phantomdb.Row;
import io.phantomdb.catalog.RowCodec;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableKeys;
import io.phantomdb.partition.PartitionId;
import io.phantomdb.partition.PartitionRegistry;
import io.phantomdb.storage.WriteBatch;
import io.phantomdb.testkit.TestNode;
import io.phantomdb.txn.mvcc.Timestamps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (decisions D25): a statement gets a read timestamp above every acknowledged commit without waiting for
 * older commits still in flight, yet never misses one of them: a read of a key that such a commit writes waits
 * until it has landed, and a read of any other key does not wait at all.
 *
 * <p>Method: a commit is held "in flight" by hand: its keys are registered with the node's {@link Timestamps}
 * ({@code beginCommit(keys)}), a later commit is begun and ended (so the held one is older than an acknowledged
 * commit, as when partitions' fsyncs end out of order), and the held commit's row is written to its engine at its
 * timestamp only after the statements under test were started. Point selects (inline and streamed), a scan and an
 * UPDATE that reads the held row must wait and then see (or build on) its value; a point select of another row
 * must answer while the commit is still held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommitInFlightTest {
    @TempDir
    static Path dir;

    TestNode node;
    Timestamps timestamps;
    PartitionRegistry registry;

    @BeforeAll
    void start() {
        node = new TestNode(dir.resolve("node"));
        timestamps = node.db().engine().transactions().timestamps();
        registry = node.db().engine().transactions().registry();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    /** A commit of row (id, v) of {@code table}, begun and registered but not written yet. */
    private final class HeldCommit {
        final TableDef table;
        final PartitionId partition;
        final byte[] key;
        final byte[] value;
        final long ts;

        HeldCommit(String tableName, int id, int v) {
            table = node.db().engine().catalogSnapshot().table(tableName);
            Object[] row = {id, v};
            key = TableKeys.rowKey(table, row);
            value = RowCodec.encode(row, table.types());
            partition = new PartitionId(table.tableId(), TableKeys.partitionOf(key, table.partitions()));
            ts = timestamps.beginCommit(Map.of(partition, List.of(key)));
            long later = timestamps.beginCommit(Map.of()); // acknowledged before the statements start
            timestamps.endCommit(later);
        }

        /** Lands the write at its timestamp and ends the commit: now readers may see it. */
        void land() throws Exception {
            registry.require(partition).writeAsync(new WriteBatch().put(key, value).timestamp(ts)).get(10, TimeUnit.SECONDS);
            timestamps.endCommit(ts);
        }
    }

    private static <T> T within(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void stillWaiting(CompletionStage<?> stage) throws Exception {
        Thread.sleep(300);
        assertFalse(stage.toCompletableFuture().isDone(), "the statement read past a commit in flight below its timestamp");
    }

    private static int intOf(Row row) {
        return ((Number) row.get(0)).intValue();
    }

    @Test
    void pointReadsOfTheKeyWaitAndSeeTheCommitWhileOtherKeysAnswerAtOnce() throws Exception {
        node.execute("CREATE TABLE inflight_point (id INTEGER PRIMARY KEY, v INTEGER)");
        node.execute("INSERT INTO inflight_point VALUES (1, 10), (2, 20)");
        HeldCommit held = new HeldCommit("inflight_point", 1, 11);

        CompletionStage<List<Row>> inline = node.db().query("SELECT v FROM inflight_point WHERE id = 1");
        CompletionStage<List<Row>> streamed = node.db().sql("SELECT v FROM inflight_point WHERE id = $1", 1)
                .runWith(Sink.seq(), node.system());
        List<Row> other = within(node.db().query("SELECT v FROM inflight_point WHERE id = 2"));
        assertEquals(20, intOf(other.get(0)), "a key no commit in flight writes is read without waiting");
        stillWaiting(inline);
        stillWaiting(streamed);

        held.land();
        assertEquals(11, intOf(within(inline).get(0)));
        assertEquals(11, intOf(within(streamed).get(0)));
    }

    @Test
    void aScanOfThePartitionWaitsForTheCommit() throws Exception {
        node.execute("CREATE TABLE inflight_scan (id INTEGER PRIMARY KEY, v INTEGER) WITH (partitions = 4)");
        node.execute("INSERT INTO inflight_scan VALUES (1, 10), (2, 20), (3, 30), (4, 40), (5, 50)");
        HeldCommit held = new HeldCommit("inflight_scan", 1, 11);

        CompletionStage<List<Row>> sum = node.db().query("SELECT SUM(v) FROM inflight_scan");
        stillWaiting(sum);
        held.land();
        assertEquals(151, intOf(within(sum).get(0)), "every partition read, the held commit's 11 included");
    }

    @Test
    void anUpdateBuildsOnTheCommitInFlightInsteadOfLosingIt() throws Exception {
        node.execute("CREATE TABLE inflight_update (id INTEGER PRIMARY KEY, v INTEGER)");
        node.execute("INSERT INTO inflight_update VALUES (1, 10)");
        HeldCommit held = new HeldCommit("inflight_update", 1, 11);

        CompletionStage<Long> update = node.db().execute("UPDATE inflight_update SET v = v + 1 WHERE id = 1");
        stillWaiting(update);
        held.land();
        assertEquals(1L, within(update));
        assertEquals(12, intOf(node.query("SELECT v FROM inflight_update WHERE id = 1").get(0)),
                "the update read the held commit's 11, not the 10 below it");
    }

    @Test
    void aCommitWithoutKeysStillHoldsBackEveryRead() throws Exception {
        node.execute("CREATE TABLE inflight_unkeyed (id INTEGER PRIMARY KEY, v INTEGER)");
        node.execute("INSERT INTO inflight_unkeyed VALUES (1, 10)");
        long unkeyed = timestamps.beginCommit();
        long later = timestamps.beginCommit(Map.of());
        timestamps.endCommit(later);

        CompletableFuture<List<Row>> read = node.db().query("SELECT v FROM inflight_unkeyed WHERE id = 1").toCompletableFuture();
        stillWaiting(read);
        timestamps.endCommit(unkeyed);
        assertEquals(10, intOf(within(read).get(0)));
    }
}
