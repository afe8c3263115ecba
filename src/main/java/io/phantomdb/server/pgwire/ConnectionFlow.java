package io.phantomdb.server.pgwire;

import io.phantomdb.partition.PekkoFutures;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.util.ByteString;

/**
 * The byte flow of one TCP connection:
 *
 * <pre>
 *   bytes --first 8 bytes--+-- SSLRequest, TLS on:  'S', then TLS(protocol)
 *                          +-- SSLRequest, TLS off: 'N', then protocol (the client goes on in plain text or leaves)
 *                          +-- GSSENCRequest:       'N', then look at the next 8 bytes again
 *                          +-- anything else:       protocol (the 8 bytes put back in front)
 *
 *   protocol = FrameDecoder -> merge(idle ticks) -> flatMapConcat(PgConnection.handle) -> drop empty -> until CLOSE
 * </pre>
 *
 * {@code flatMapConcat} is what serializes a connection: the next message is handled only after every byte of
 * the previous answer was emitted, and TCP backpressure reaches the query stream through it. Stateless: each
 * materialization builds its own {@link PgConnection}.
 */
final class ConnectionFlow {
    private static final int REQUEST_CODE_BYTES = 8;
    /** Ticks per timeout: the idle and authentication timeouts are enforced within a quarter of their length. */
    private static final int TICKS_PER_TIMEOUT = 4;
    private static final Duration TICK_FLOOR = Duration.ofMillis(10);

    private ConnectionFlow() {}

    static Flow<ByteString, ByteString, NotUsed> create(PgContext context) {
        return Flow.of(ByteString.class)
                .statefulMapConcat(FirstBytes::new)
                .flatMapPrefix(1, prefix -> afterPrefix(context, prefix))
                .mapMaterializedValue(m -> NotUsed.getInstance());
    }

    private static Flow<ByteString, ByteString, NotUsed> afterPrefix(PgContext context, List<ByteString> prefix) {
        if (prefix.isEmpty()) {
            return Flow.of(ByteString.class); // the client left before sending anything
        }
        ByteString first = prefix.get(0);
        int code = first.size() == REQUEST_CODE_BYTES && first.iterator().getInt(ByteOrder.BIG_ENDIAN) == REQUEST_CODE_BYTES
                ? first.drop(4).iterator().getInt(ByteOrder.BIG_ENDIAN) : 0;
        if (code == FrameDecoder.SSL_REQUEST_CODE) {
            if (context.sslContext() == null) {
                return protocol(context).prepend(Source.single(Backend.sslAnswer('N')));
            }
            return tls(context, protocol(context)).prepend(Source.single(Backend.sslAnswer('S')));
        }
        if (code == FrameDecoder.GSSENC_REQUEST_CODE) {
            return create(context).prepend(Source.single(Backend.sslAnswer('N')));
        }
        return Flow.of(ByteString.class).prepend(Source.single(first)).via(protocol(context));
    }

    /** The protocol proper, over plain or decrypted bytes. */
    private static Flow<ByteString, ByteString, NotUsed> protocol(PgContext context) {
        PgConnection connection = new PgConnection(context);
        Duration tick = tickInterval(context.settings());
        return Flow.of(ByteString.class)
                .statefulMapConcat(() -> new FrameDecoder(context.settings().maxMessageBytes()))
                .merge(Source.tick(tick, tick, (Inbound) new Inbound.Tick()), true)
                // flatMapConcat(1, f) is Pekko's FlattenConcat, which emits Source.single / completionStage / empty
                // answers without materializing them; plain flatMapConcat(f) materializes all but Source.single.
                .flatMapConcat(1, connection::handle)
                .filter(bytes -> !bytes.isEmpty()) // an answer held back for later (QueryProtocol) emits nothing
                .takeWhile(bytes -> bytes != PgConnection.CLOSE)
                .via(connection.killSwitch().flow())
                .watchTermination((mat, done) -> {
                    // on the dispatcher: closing rolls back an open block; never a new thread (Futures)
                    PekkoFutures.of(done, context.db().system().executionContext()).whenComplete((d, e) -> connection.closed());
                    return NotUsed.getInstance();
                });
    }

    static Duration tickInterval(PgWireSettings settings) {
        Duration shortest = settings.authenticationTimeout();
        Duration idle = settings.idleInTransactionTimeout();
        if (!idle.isZero() && idle.compareTo(shortest) < 0) {
            shortest = idle;
        }
        Duration tick = shortest.dividedBy(TICKS_PER_TIMEOUT);
        return tick.compareTo(TICK_FLOOR) < 0 ? TICK_FLOOR : tick;
    }

    /** Server-side TLS around {@code inner}: Pekko's TLS stage with an SSLEngine from the configured key store. */
    private static Flow<ByteString, ByteString, NotUsed> tls(PgContext context, Flow<ByteString, ByteString, NotUsed> inner) {
        Flow<TLSProtocol.SslTlsInbound, TLSProtocol.SslTlsOutbound, NotUsed> plain = Flow.of(TLSProtocol.SslTlsInbound.class)
                .filter(in -> in instanceof TLSProtocol.SessionBytes)
                .map(in -> ((TLSProtocol.SessionBytes) in).bytes())
                .via(inner)
                .map(bytes -> (TLSProtocol.SslTlsOutbound) new TLSProtocol.SendBytes(bytes));
        return TLS.create(() -> {
            SSLEngine engine = context.sslContext().createSSLEngine();
            engine.setUseClientMode(false);
            return engine;
        }, TLSClosing.eagerClose()).reversed().join(plain);
    }

    /**
     * Re-chunks the first bytes so that the first element is exactly the first 8 (a request code packet's size),
     * then passes everything through. One instance per connection.
     */
    private static final class FirstBytes implements org.apache.pekko.japi.function.Function<ByteString, Iterable<ByteString>> {
        private ByteString head = ByteString.emptyByteString();
        private boolean passing;

        @Override
        public Iterable<ByteString> apply(ByteString chunk) {
            if (passing) {
                return List.of(chunk);
            }
            head = head.concat(chunk);
            if (head.size() < REQUEST_CODE_BYTES) {
                return List.of();
            }
            passing = true;
            ByteString rest = head.drop(REQUEST_CODE_BYTES);
            ByteString first = head.take(REQUEST_CODE_BYTES);
            head = ByteString.emptyByteString();
            return rest.isEmpty() ? List.of(first) : List.of(first, rest);
        }
    }
}
