package io.phantomdb.server.pgwire;

import java.util.ArrayDeque;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The bytes a client sends, as the source of its connection's stream ({@link NioTransport}). The selector thread
 * hands each read over through an AsyncCallback; on a pull the stage pushes everything queued as one element (a
 * rope, no copy) and tells the {@link NioConnection} how many bytes left its buffer, which is what resumes a paused
 * socket. Completes when the client closes, fails on a read error. One materialization per connection.
 */
final class NioSource extends GraphStage<SourceShape<ByteString>> {
    private final Outlet<ByteString> out = Outlet.create("NioSource.out");
    private final SourceShape<ByteString> shape = SourceShape.of(out);
    private final NioConnection connection;

    NioSource(NioConnection connection) {
        this.connection = connection;
    }

    @Override
    public SourceShape<ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new GraphStageLogic(shape) {
            private final ArrayDeque<ByteString> queued = new ArrayDeque<>();
            private boolean ended;
            private Throwable failure;

            {
                AsyncCallback<ByteString> bytes = createAsyncCallback(this::onBytes);
                AsyncCallback<Throwable> end = createAsyncCallback(this::onEnd);
                connection.attachSource(bytes, end);
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pushQueued();
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        queued.clear();
                        connection.stopReading();
                        completeStage();
                    }
                });
            }

            private void onBytes(ByteString chunk) {
                if (ended) {
                    connection.consumed(chunk.size());
                    return;
                }
                queued.add(chunk);
                if (isAvailable(out)) {
                    pushQueued();
                }
            }

            /** null: the client closed (or the socket was closed); else the read error. First one wins. */
            private void onEnd(Throwable error) {
                if (ended) {
                    return;
                }
                ended = true;
                failure = error;
                if (queued.isEmpty()) {
                    finish();
                }
            }

            private void pushQueued() {
                if (queued.isEmpty()) {
                    if (ended) {
                        finish();
                    }
                    return;
                }
                ByteString all = queued.poll();
                while (!queued.isEmpty()) {
                    all = all.concat(queued.poll());
                }
                push(out, all);
                connection.consumed(all.size());
                if (ended) {
                    finish();
                }
            }

            private void finish() {
                if (failure != null) {
                    failStage(failure);
                } else {
                    completeStage();
                }
            }
        };
    }
}
