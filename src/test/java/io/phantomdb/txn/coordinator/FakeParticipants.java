package io.phantomdb.txn.coordinator;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.phantomdb.partition.Mutation;
import io.phantomdb.partition.PartitionId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Participants for coordinator tests: every call is recorded in arrival order, and answered as scripted per
 * (kind, partition) - one scripted answer per call, then success at once. Answers: {@link #ok}, {@link #failWith},
 * {@link #hang} (never completes), {@link #hold} (completes when the test completes the future taken from
 * {@link #nextHeld}). Thread-safe (calls come from the coordinator's thread, the test reads on its own).
 */
final class FakeParticipants implements Participants {

    enum Kind { PREPARE, COMMIT, ABORT }

    /** One call; {@code mutations} only for prepares, {@code timestamp} 0 for aborts. */
    record Call(Kind kind, PartitionId partition, long txnId, List<Mutation> mutations, long timestamp) {}

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final BlockingQueue<CompletableFuture<Void>> held = new LinkedBlockingQueue<>();
    private final Map<String, Deque<Supplier<CompletionStage<Void>>>> scripts = new HashMap<>();

    static Supplier<CompletionStage<Void>> ok() {
        return () -> CompletableFuture.completedFuture(null);
    }

    static Supplier<CompletionStage<Void>> failWith(Throwable failure) {
        return () -> CompletableFuture.failedFuture(failure);
    }

    static Supplier<CompletionStage<Void>> hang() {
        return CompletableFuture::new;
    }

    /** Scripts the next calls of {@code kind} at {@code partition}, one answer each in order. */
    @SafeVarargs
    final synchronized FakeParticipants script(Kind kind, PartitionId partition, Supplier<CompletionStage<Void>>... answers) {
        Deque<Supplier<CompletionStage<Void>>> queue = scripts.computeIfAbsent(kind + "@" + partition, k -> new ArrayDeque<>());
        for (Supplier<CompletionStage<Void>> answer : answers) {
            queue.addLast(answer);
        }
        return this;
    }

    /** An answer the test completes itself (see {@link #nextHeld}). */
    Supplier<CompletionStage<Void>> hold() {
        return () -> {
            CompletableFuture<Void> future = new CompletableFuture<>();
            held.add(future);
            return future;
        };
    }

    CompletableFuture<Void> nextHeld(Duration within) {
        try {
            CompletableFuture<Void> future = held.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (future == null) {
                fail("no held call within " + within);
            }
            return future;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Call nextCall(Duration within) {
        try {
            Call call = calls.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (call == null) {
                fail("no participant call within " + within);
            }
            return call;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void expectNoCall(Duration during) {
        try {
            assertNull(calls.poll(during.toMillis(), TimeUnit.MILLISECONDS), "unexpected participant call");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public CompletionStage<Void> prepare(PartitionId partition, long txnId, List<Mutation> mutations, long prepareTimestamp) {
        return answer(new Call(Kind.PREPARE, partition, txnId, mutations, prepareTimestamp));
    }

    @Override
    public CompletionStage<Void> commit(PartitionId partition, long txnId, long commitTimestamp) {
        return answer(new Call(Kind.COMMIT, partition, txnId, null, commitTimestamp));
    }

    @Override
    public CompletionStage<Void> abort(PartitionId partition, long txnId) {
        return answer(new Call(Kind.ABORT, partition, txnId, null, 0));
    }

    private CompletionStage<Void> answer(Call call) {
        Supplier<CompletionStage<Void>> answer;
        synchronized (this) {
            Deque<Supplier<CompletionStage<Void>>> queue = scripts.get(call.kind() + "@" + call.partition());
            answer = queue == null || queue.isEmpty() ? ok() : queue.removeFirst();
        }
        calls.add(call);
        return answer.get();
    }
}
