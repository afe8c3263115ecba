package io.phantomdb.exec.scan;

import io.phantomdb.txn.mvcc.CommitInFlightException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * {@code Source.unfoldResource} without its dispatcher: opens a resource when the stream starts, reads one element
 * per pull until {@code read} answers empty, and closes the resource however the stream ends (completion, failure,
 * cancellation). Pekko's unfoldResource carries a dispatcher attribute (the blocking-I/O one by default), and a
 * dispatcher attribute is an async boundary: each partition scan used to be an actor of its own, with a thread
 * hand-off per batch and an actor started and stopped per scan. This stage has no attributes of its own, so it fuses
 * into the island of the stages that read it.
 *
 * <p>An {@code open} or {@code read} that throws {@link CommitInFlightException} (a commit below the scan's read
 * timestamp has not landed yet, D25; it must then have changed nothing) is tried again when that commit has ended,
 * without blocking the stream's thread.
 */
final class FusedResourceSource<R, T> extends GraphStage<SourceShape<T>> {
    private final Supplier<R> open;
    private final Function<R, Optional<T>> read;
    private final Consumer<R> close;
    private final Outlet<T> out = Outlet.create("FusedResourceSource.out");
    private final SourceShape<T> shape = SourceShape.of(out);

    FusedResourceSource(Supplier<R> open, Function<R, Optional<T>> read, Consumer<R> close) {
        this.open = open;
        this.read = read;
        this.close = close;
    }

    @Override
    public SourceShape<T> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new GraphStageLogic(shape) {
            private R resource;

            private final AsyncCallback<Void> retry = createAsyncCallback(v -> pull());

            {
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull();
                    }
                });
            }

            private void pull() {
                Optional<T> next;
                try {
                    if (resource == null) {
                        resource = open.get(); // on first demand, on the stream's thread, as unfoldResource
                    }
                    next = read.apply(resource);
                } catch (CommitInFlightException e) {
                    e.ended().whenComplete((v, failure) -> retry.invoke(null));
                    return;
                }
                if (next.isPresent()) {
                    push(out, next.get());
                } else {
                    completeStage();
                }
            }

            @Override
            public void postStop() {
                if (resource != null) {
                    R r = resource;
                    resource = null;
                    close.accept(r);
                }
            }
        };
    }
}
