package io.phantomdb.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.Durability;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.codec.KeyCodec;
import io.phantomdb.storage.fs.FaultyFileSystem;
import io.phantomdb.storage.fs.FaultyFileSystem.Op;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: a commit written straight into a local partition's engine ({@link PartitionClient#writeDirect}, the
 * path of single-partition commits) is acknowledged only after its WAL record is synced, shares one sync with
 * every commit queued behind an in-progress sync (group commit), answers on the caller's executor (never on
 * the commit thread), and turns storage failures into the same SQLSTATEs as the entity does.
 *
 * <p>Method: an engine over the fault-injecting file system with durability = commit; {@link
 * FaultyFileSystem#holdAt} stalls a WAL sync so that writes line up behind it deterministically; failures
 * come from {@link FaultyFileSystem#failFrom}; a power loss from {@link FaultyFileSystem#crash(Random)}.
 */
class DirectWriteTest {
    private static final Path DIR = Path.of("/direct/p");
    private static final PartitionId ID = new PartitionId(3, 0);
    private static final String ANSWER_THREAD = "direct-write-answers";

    private final FaultyFileSystem fs = new FaultyFileSystem();
    private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> new Thread(r, ANSWER_THREAD));
    private Engine engine;

    @AfterEach
    void close() {
        fs.releaseHold();
        if (engine != null) {
            engine.close();
        }
        answers.shutdownNow();
    }

    private Engine open() {
        engine = Engine.open(fs, DIR, EngineOptions.builder().durability(Durability.COMMIT).build());
        return engine;
    }

    /** The entity path, which these tests never expect to take. */
    private static CompletionStage<Long> noEntity() {
        throw new AssertionError("went to the entity although the engine was open");
    }

    /** A direct write of one key; the entity path is never expected here. */
    private CompletableFuture<Long> write(Engine e, String key, int value, long timestamp) {
        return PartitionClient.writeDirect(e, ID, put(key, value), timestamp, answers, DirectWriteTest::noEntity);
    }

    private static List<Mutation> put(String key, int value) {
        return List.of(new Mutation.Put(KeyCodec.encode(key), new byte[] {(byte) value}));
    }

    @Test
    void nothingIsAcknowledgedBeforeItsSyncAndQueuedCommitsShareTheNextSync() throws Exception {
        Engine e = open();
        long syncsBefore = e.stats().walSyncs();
        fs.holdAt(Op.SYNC, 1);
        CompletableFuture<Long> first = write(e, "k0", 0, 100);
        assertTrue(fs.awaitHold(10_000), "the first commit's WAL sync starts");
        int queued = 20;
        List<CompletableFuture<Long>> behind = new ArrayList<>();
        for (int i = 1; i <= queued; i++) {
            behind.add(write(e, "k" + i, i, 100 + i));
        }
        assertFalse(first.isDone(), "acknowledged while its sync is still in progress");
        behind.forEach(f -> assertFalse(f.isDone(), "acknowledged before its WAL record was even written"));
        assertNull(e.get(KeyCodec.encode("k0")), "visible before durable");

        fs.releaseHold();
        assertEquals(100L, first.get(10, TimeUnit.SECONDS));
        for (int i = 0; i < queued; i++) {
            assertEquals(101L + i, behind.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(2, e.stats().walSyncs() - syncsBefore,
                "one sync for the first commit, one for the " + queued + " that waited behind it");
        for (int i = 0; i <= queued; i++) {
            assertArrayEquals(new byte[] {(byte) i}, e.get(KeyCodec.encode("k" + i)));
        }
    }

    @Test
    void theAnswerRunsOnTheCallersExecutorNotOnTheCommitThread() throws Exception {
        Engine e = open();
        fs.holdAt(Op.SYNC, 1); // the continuation is attached before completion, so it runs where the answer is given
        CompletableFuture<Long> written = write(e, "a", 1, 7);
        assertTrue(fs.awaitHold(10_000));
        CompletableFuture<String> thread = written.thenApply(ts -> Thread.currentThread().getName());
        fs.releaseHold();
        assertEquals(ANSWER_THREAD, thread.get(10, TimeUnit.SECONDS));
    }

    /** A thread that is its own loop's executor, as pgwire's selector threads are. */
    private static final class LoopLikeThread extends Thread implements java.util.concurrent.Executor {
        final java.util.concurrent.BlockingQueue<Runnable> tasks = new java.util.concurrent.LinkedBlockingQueue<>();

        LoopLikeThread(Runnable body) {
            super(body, "loop-like");
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }
    }

    @Test
    void aWriteFromAnEventLoopThreadIsAnsweredOnThatThread() throws Exception {
        Engine e = open();
        java.util.concurrent.Executor dispatcher = task -> {
            throw new AssertionError("answered on the default executor, not on the calling loop");
        };
        CompletableFuture<String> answeredOn = new CompletableFuture<>();
        LoopLikeThread[] loop = new LoopLikeThread[1];
        loop[0] = new LoopLikeThread(() -> {
            try {
                CompletableFuture<Long> written = PartitionClient.writeDirect(e, ID, put("l", 1), 11,
                        PartitionClient.answerExecutor(dispatcher), DirectWriteTest::noEntity);
                written.whenComplete((ts, failure) -> answeredOn.complete(Thread.currentThread().getName()));
                Runnable answer = loop[0].tasks.poll(10, TimeUnit.SECONDS); // the loop's next round
                if (answer != null) {
                    answer.run();
                }
            } catch (Throwable t) {
                answeredOn.completeExceptionally(t);
            }
        });
        loop[0].start();
        assertEquals("loop-like", answeredOn.get(20, TimeUnit.SECONDS));
        assertTrue(PartitionClient.answerExecutor(dispatcher) == dispatcher, "any other thread: the given executor");
        loop[0].join(10_000);
    }

    @Test
    void aFailedSyncFailsTheCommitWith58030AndWritesStayStopped() throws Exception {
        Engine e = open();
        fs.failFrom(Op.SYNC, 1);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> write(e, "x", 1, 5).get(10, TimeUnit.SECONDS));
        PhantomSqlException sql = (PhantomSqlException) failed.getCause();
        assertEquals(SqlState.IO_ERROR, sql.state());
        assertNull(e.get(KeyCodec.encode("x")), "a commit whose sync failed is not visible");
        fs.clearFaults();
        ExecutionException after = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> write(e, "y", 1, 6).get(10, TimeUnit.SECONDS));
        assertEquals(SqlState.IO_ERROR, ((PhantomSqlException) after.getCause()).state(),
                "fail-stop: after a failed sync nothing more is written until the engine is reopened");
    }

    @Test
    void aWriteToAnEngineClosedMeanwhileGoesThroughTheEntityInstead() throws Exception {
        Engine e = open();
        e.close(); // the partition stopped (or moved to another node) after the caller looked its engine up
        engine = null;
        CompletableFuture<Long> written = PartitionClient.writeDirect(e, ID, put("z", 1), 9, answers,
                () -> CompletableFuture.completedFuture(-9L));
        assertEquals(-9L, written.get(10, TimeUnit.SECONDS), "the entity's answer");
    }

    @Test
    void everyAcknowledgedCommitSurvivesAPowerLoss() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            Engine e = open();
            int commits = 1 + random.nextInt(40);
            List<CompletableFuture<Long>> written = new ArrayList<>();
            fs.powerOffAfter(1 + random.nextInt(60));
            for (int i = 0; i < commits; i++) {
                written.add(write(e, "r" + round + "-" + i, i, 1_000L * (round + 1) + i));
            }
            List<Integer> acknowledged = new ArrayList<>();
            for (int i = 0; i < commits; i++) {
                try {
                    written.get(i).get(10, TimeUnit.SECONDS);
                    acknowledged.add(i);
                } catch (ExecutionException failed) {
                    assertTrue(failed.getCause() instanceof PhantomSqlException, failed.toString());
                }
            }
            if (!fs.isPoweredOff()) {
                fs.powerOff(); // the cut came after the last commit
            }
            try {
                engine.close();
            } catch (io.phantomdb.storage.StorageException gone) {
                // allowed: the device is gone
            }
            engine = null;
            fs.crash(random);
            Engine reopened = open();
            for (int i : acknowledged) {
                assertArrayEquals(new byte[] {(byte) i}, reopened.get(KeyCodec.encode("r" + round + "-" + i)),
                        "round " + round + ": commit " + i + " was acknowledged, so it survives the power loss");
            }
            reopened.close();
            engine = null;
        }
    }
}
