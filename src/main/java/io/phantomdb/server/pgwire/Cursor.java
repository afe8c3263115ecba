package io.phantomdb.server.pgwire;

import io.phantomdb.sql.SessionState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The open result stream of a portal: the session's query stream runs into a pull-based queue, and each Execute
 * pulls only the rows it sends, so a client's fetch size (Execute row limit) is what reads the scan: nothing is
 * read ahead beyond one batch in the queue plus the batch being sent. Between Executes the stream stays
 * materialized and idle (backpressured). A kill switch ends it early (cancel, statement timeout, portal close).
 *
 * <p>Used by one Execute at a time (the connection's stream stage); {@link #abort} may come from any thread.
 */
final class Cursor {
    private final SinkQueueWithCancel<SessionState.Result> queue;
    private final SharedKillSwitch killSwitch;
    private final CompletionStage<Done> terminated;
    private List<Object[]> batch = List.of();
    private int index;
    private boolean exhausted;

    private Cursor(SinkQueueWithCancel<SessionState.Result> queue, SharedKillSwitch killSwitch, CompletionStage<Done> terminated) {
        this.queue = queue;
        this.killSwitch = killSwitch;
        this.terminated = terminated;
    }

    /** Materializes {@code results}; it runs as far as one queued batch ahead of the first pull. */
    static Cursor open(Source<SessionState.Result, NotUsed> results, ActorSystem<?> system) {
        SharedKillSwitch killSwitch = KillSwitches.shared("pgwire-portal");
        Pair<CompletionStage<Done>, SinkQueueWithCancel<SessionState.Result>> mat = results
                .via(killSwitch.flow())
                .watchTermination(Keep.right())
                .toMat(Sink.<SessionState.Result>queue().addAttributes(Attributes.inputBuffer(1, 1)), Keep.both())
                .run(system);
        return new Cursor(mat.second(), killSwitch, mat.first());
    }

    /**
     * DataRows of up to {@code maxRows} rows (0 = all), then CommandComplete ({@code SELECT n}, n counting this
     * fetch's rows) when the result ended, else PortalSuspended. A failure of the query fails the source.
     */
    Source<ByteString, NotUsed> fetch(long maxRows, List<Backend.Field> fields) {
        long limit = maxRows <= 0 ? Long.MAX_VALUE : maxRows;
        long[] sent = {0};
        return Source.unfoldAsync(Boolean.TRUE, more -> {
            if (!more || sent[0] >= limit) {
                return CompletableFuture.completedFuture(Optional.<Pair<Boolean, ByteString>>empty());
            }
            return nextRows(limit - sent[0]).thenApply(rows -> {
                if (rows.isEmpty()) {
                    return Optional.<Pair<Boolean, ByteString>>empty();
                }
                sent[0] += rows.size();
                ByteStringBuilder out = new ByteStringBuilder();
                for (Object[] row : rows) {
                    Backend.dataRow(out, row, fields);
                }
                return Optional.of(Pair.create(Boolean.TRUE, out.result()));
            });
        }).concatLazy(Source.lazySingle(() -> exhausted ? Backend.commandComplete("SELECT " + sent[0]) : Backend.portalSuspended()));
    }

    /** Up to {@code want} rows: the rest of the current batch, else the next non-empty batch; empty at the end. */
    private CompletionStage<List<Object[]>> nextRows(long want) {
        if (index < batch.size()) {
            int end = (int) Math.min(batch.size(), index + Math.min(want, batch.size())); // want may be Long.MAX_VALUE
            List<Object[]> rows = batch.subList(index, end);
            index = end;
            return CompletableFuture.completedFuture(rows);
        }
        if (exhausted) {
            return CompletableFuture.completedFuture(List.of());
        }
        return Futures.plain(queue.pull()).thenCompose(next -> {
            if (next.isEmpty()) {
                exhausted = true;
                return CompletableFuture.completedFuture(List.<Object[]>of());
            }
            batch = next.get().rows();
            index = 0;
            return nextRows(want);
        });
    }

    boolean exhausted() {
        return exhausted;
    }

    /** Fails the stream (and the pending or next pull) with {@code reason}; the scan is cancelled. */
    void abort(Throwable reason) {
        killSwitch.abort(reason);
    }

    /** Cancels the stream (the client closed the portal or the transaction ended). */
    void close() {
        queue.cancel();
    }

    /** Completes when the stream has stopped, however it ended. */
    CompletionStage<Done> terminated() {
        return Futures.plain(terminated).exceptionally(e -> Done.getInstance());
    }
}
