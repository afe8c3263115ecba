package io.phantomdb.server.pgwire;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The answers of a connection's stream, written to its socket by the stream's own thread ({@link NioTransport}):
 * no hand-off to another thread for the common write that fits the socket buffer. When it does not fit, the stage
 * keeps the rest (at most one element), stops pulling (that is backpressure into the query stream, as a slow reader
 * must cause) and asks the selector to call back when the socket is writable. When the flow completes, the stage
 * writes what it kept and closes the socket; when it fails, or the socket was closed, it closes at once.
 */
final class NioSink extends GraphStage<SinkShape<ByteString>> {
    private final Inlet<ByteString> in = Inlet.create("NioSink.in");
    private final SinkShape<ByteString> shape = SinkShape.of(in);
    private final NioConnection connection;

    NioSink(NioConnection connection) {
        this.connection = connection;
    }

    @Override
    public SinkShape<ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new GraphStageLogic(shape) {
            /** The part of the last element the socket did not take yet; null when all was written. */
            private ByteBuffer pending;
            private boolean finishing;

            {
                AsyncCallback<Boolean> writable = createAsyncCallback(ignored -> writePending());
                AsyncCallback<Boolean> closed = createAsyncCallback(ignored -> completeStage()); // cancels upstream
                connection.attachSink(writable, closed);
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString bytes = grab(in);
                        // one array for a rope (answers are mostly one already): a single write call per element
                        pending = bytes.asByteBuffer();
                        writePending();
                    }

                    @Override
                    public void onUpstreamFinish() {
                        finishing = true;
                        if (pending == null) {
                            completeStage(); // postStop closes the socket
                        }
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        failStage(ex);
                    }
                });
            }

            @Override
            public void preStart() {
                pull(in);
            }

            @Override
            public void postStop() {
                connection.close();
            }

            private void writePending() {
                if (pending == null) {
                    return;
                }
                try {
                    while (pending.hasRemaining()) {
                        if (connection.channel.write(pending) == 0) {
                            connection.awaitWritable(); // the socket buffer is full: the selector calls back
                            return;
                        }
                    }
                } catch (IOException e) {
                    failStage(e); // the client is gone; postStop closes the socket
                    return;
                }
                pending = null;
                if (finishing) {
                    completeStage();
                } else {
                    pull(in);
                }
            }
        };
    }
}
