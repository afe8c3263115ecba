package io.phantomdb.server.pgwire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.util.ByteString;

/**
 * One accepted socket of {@link NioTransport}, between its {@link SelectorLoop} and the two ends of its stream
 * ({@link NioSource}, {@link NioSink}).
 *
 * <p>Input: the selector thread reads and hands the bytes to the source through its AsyncCallback (the one thread
 * hand-off of a request; none with {@code nio-execution = selector}, where the stream runs on this selector thread). Bytes handed over but not yet pushed downstream are counted; above max-buffered-input the
 * selector stops reading this socket (the client's writes then block in TCP) until the source drained below it.
 * The pause check is a Dekker pair: the selector sets {@code readPaused} then re-reads the count, the source
 * lowers the count then reads {@code readPaused}, so one of them always sees the other and reading resumes.
 *
 * <p>Output: the sink writes on its own stream thread; only a full socket involves the selector (OP_WRITE until
 * writable, then the sink's callback). Thread-safe as described; the selection key is confined to the selector thread.
 */
final class NioConnection implements SelectorLoop.Ready {
    final SocketChannel channel;
    private final SelectorLoop loop;
    private final int maxBufferedInput;
    private final Consumer<NioConnection> onClose;
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean readPaused;
    private final AtomicBoolean resumeQueued = new AtomicBoolean();
    private SelectionKey key; // selector thread only

    // Set while the stream materializes, before the channel is registered (so before the first read).
    private volatile AsyncCallback<ByteString> input;
    private volatile AsyncCallback<Throwable> inputEnd; // null: the client closed; else the read error
    private volatile AsyncCallback<Boolean> writable;
    private volatile AsyncCallback<Boolean> sinkClosed;

    /** Highest count of bytes handed to the source and not yet pushed (tests check that it stays bounded). */
    private final AtomicLong bufferedHighWater;

    NioConnection(SocketChannel channel, SelectorLoop loop, int maxBufferedInput, AtomicLong bufferedHighWater,
            Consumer<NioConnection> onClose) {
        this.channel = channel;
        this.loop = loop;
        this.maxBufferedInput = maxBufferedInput;
        this.bufferedHighWater = bufferedHighWater;
        this.onClose = onClose;
    }

    void attachSource(AsyncCallback<ByteString> bytes, AsyncCallback<Throwable> end) {
        input = bytes;
        inputEnd = end;
    }

    void attachSink(AsyncCallback<Boolean> onWritable, AsyncCallback<Boolean> onClosed) {
        writable = onWritable;
        sinkClosed = onClosed;
    }

    /** Registers for reading on the loop (called once, after the stream materialized). */
    void register() {
        if (input == null || writable == null) {
            throw new IllegalStateException("the connection's stream did not attach its source and sink");
        }
        if (closed.get()) {
            endStages(); // closed (server stop) while the stream materialized: close() may have found no stages yet
            return;
        }
        boolean queued = loop.execute(() -> {
            if (!loop.running() || closed.get()) {
                close();
                return;
            }
            try {
                key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
            } catch (ClosedChannelException e) {
                close();
            }
        });
        if (!queued) {
            close();
        }
    }

    @Override
    public void onReady(SelectionKey k, ByteBuffer readBuffer) {
        if (!k.isValid()) {
            return;
        }
        if (k.isWritable()) {
            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            writable.invoke(Boolean.TRUE);
        }
        if (k.isValid() && k.isReadable()) {
            read(k, readBuffer);
        }
    }

    private void read(SelectionKey k, ByteBuffer readBuffer) {
        int n;
        readBuffer.clear();
        try {
            n = channel.read(readBuffer);
        } catch (IOException e) {
            inputEnd.invoke(e);
            close();
            return;
        }
        if (n < 0) {
            // The client closed: no more input. What it sent before is still served; the answers' writes then fail
            // (or the flow ends first) and the sink closes the socket.
            k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
            inputEnd.invoke(null);
            return;
        }
        if (n == 0) {
            return;
        }
        readBuffer.flip();
        long now = buffered.addAndGet(n);
        if (now > bufferedHighWater.get()) {
            bufferedHighWater.accumulateAndGet(now, Math::max);
        }
        input.invoke(ByteString.fromByteBuffer(readBuffer));
        if (now > maxBufferedInput) {
            readPaused = true;
            k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
            if (buffered.get() <= maxBufferedInput) {
                resumeReading(); // the source drained meanwhile and may have missed readPaused
            }
        }
    }

    /** The source pushed {@code bytes} downstream (stream thread). */
    void consumed(int bytes) {
        long left = buffered.addAndGet(-bytes);
        if (left <= maxBufferedInput && readPaused && resumeQueued.compareAndSet(false, true)) {
            loop.execute(this::resumeReading); // at most one queued: the task reads the count when it runs
        }
    }

    private void resumeReading() {
        resumeQueued.set(false); // before reading the count: a drain that found the flag set is seen below
        if (readPaused && buffered.get() <= maxBufferedInput && key != null && key.isValid()) {
            readPaused = false;
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    /** The source's downstream cancelled: the connection is ending, read nothing more (stream thread). */
    void stopReading() {
        loop.execute(() -> {
            if (key != null && key.isValid()) {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            }
        });
    }

    /** The sink found the socket full: call its writable callback once it has room (stream thread). */
    void awaitWritable() {
        boolean queued = loop.execute(() -> {
            if (key != null && key.isValid()) {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            } else {
                writable.invoke(Boolean.TRUE); // the write will fail and end the stream
            }
        });
        if (!queued) {
            close();
        }
    }

    /**
     * Closes the socket (once; any thread) and ends both stream stages: the source completes, the sink stops and
     * cancels its upstream, so the protocol flow terminates and PgConnection releases the session.
     */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket the client already reset: nothing left to release
        }
        if (!loop.inLoop()) {
            loop.wakeup(); // a registered channel's descriptor is freed when the selector deregisters its key
        }
        endStages();
        onClose.accept(this);
    }

    /** Ends the stream's two stages if they attached (again is harmless: the first end wins, later ones are dropped). */
    private void endStages() {
        AsyncCallback<Throwable> end = inputEnd;
        if (end != null) {
            end.invoke(null);
        }
        AsyncCallback<Boolean> sink = sinkClosed;
        if (sink != null) {
            sink.invoke(Boolean.TRUE);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void onStopped() {
        close();
    }
}
