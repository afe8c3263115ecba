package io.phantomdb.client;

import io.phantomdb.Column;
import io.phantomdb.Row;
import io.phantomdb.error.PhantomSqlException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.reactivestreams.Publisher;

/**
 * The reactive Java client of a remote Phantom-DB (docs/client.md): the same {@code Source<Row, NotUsed>} and
 * Reactive Streams {@link Publisher} as the embedded API, over the node's HTTP interface.
 *
 * <pre>{@code
 * PhantomClient client = PhantomClient.connect(system, ClientSettings.of("https://db:8088", "alice", "pw"));
 * client.sql("SELECT id, name FROM t WHERE id > $1", 10).take(100).runForeach(System.out::println, system);
 * }</pre>
 *
 * <p>Each statement is one {@code POST /v1/sql}; its NDJSON body is read only as the returned stream is pulled,
 * so demand reaches the server through TCP flow control and cancelling the stream closes the connection, which
 * stops the server's scan. Errors fail the stream with {@link PhantomSqlException} carrying the server's SQLSTATE,
 * whether they came as an HTTP error status or as the response's last line. Thread-safe; {@link #close} only
 * marks it closed (the connection pool belongs to the actor system's Pekko HTTP extension).
 */
public final class PhantomClient implements AutoCloseable {
    static final String SESSION_HEADER = "Phantom-Session";

    private final ActorSystem<?> system;
    private final ClientSettings settings;
    private final HttpsConnectionContext https;
    private final ConnectionPoolSettings pool;
    private final String authorization;
    private volatile boolean closed;

    private PhantomClient(ActorSystem<?> system, ClientSettings settings) {
        this.system = system;
        this.settings = settings;
        this.https = settings.trustStore() == null ? Http.get(system).defaultClientHttpsContext()
                : ConnectionContext.httpsClient(trusting(settings));
        this.pool = ConnectionPoolSettings.create(system.classicSystem())
                .withMaxConnections(settings.maxConnections())
                .withMaxOpenRequests(Integer.highestOneBit(settings.maxConnections() * 4 - 1) << 1)
                .withMaxRetries(0) // a statement is never sent twice behind the caller's back
                .withConnectionSettings(ClientConnectionSettings.create(system.classicSystem())
                        .withConnectingTimeout(settings.connectTimeout()));
        this.authorization = settings.token() != null ? "Bearer " + settings.token()
                : settings.user() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((settings.user() + ":" + settings.password())
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** A client of the server at {@code settings.baseUri()}; connections are opened per statement, on demand. */
    public static PhantomClient connect(ActorSystem<?> system, ClientSettings settings) {
        return new PhantomClient(system, settings);
    }

    /** Runs a statement and streams its rows; nothing is sent until the source is materialized. */
    public Source<Row, NotUsed> sql(String sql, Object... params) {
        return frames(sql, params.clone(), null).mapConcat(PhantomClient::rowsOf);
    }

    /** {@link #sql} as a Reactive Streams publisher (one subscriber). */
    public Publisher<Row> publisher(String sql, Object... params) {
        return sql(sql, params).runWith(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), system);
    }

    /** Runs a statement; completes with the rows changed (DML), returned (queries) or 0. */
    public CompletionStage<Long> execute(String sql, Object... params) {
        return count(frames(sql, params.clone(), null));
    }

    /** Runs a statement and collects its rows (small results; stream large ones with {@link #sql}). */
    public CompletionStage<List<Row>> query(String sql, Object... params) {
        return sql(sql, params).runWith(Sink.seq(), system);
    }

    /** Runs a statement and collects at most {@code maxRows} rows, with its columns and command tag. */
    public CompletionStage<StatementResult> run(String sql, int maxRows, Object... params) {
        return collect(frames(sql, params.clone(), null), maxRows);
    }

    /** Opens an HTTP session: transaction blocks across statements (BEGIN ... COMMIT). */
    public CompletionStage<ClientSession> session() {
        return Http.get(system).singleRequest(request("/v1/sessions", null, null), https, pool, system.classicSystem().log())
                .thenCompose(response -> strict(response).thenApply(body -> {
                    if (response.status().intValue() != 200) {
                        throw JsonCodec.error(parse(body));
                    }
                    return new ClientSession(this, parse(body).get("session").asText());
                }));
    }

    @Override
    public void close() {
        closed = true;
    }

    // ------------------------------------------------------------------------------------------ internals

    /** The response lines of one statement; the HTTP request is sent when the source is materialized. */
    Source<Frame, NotUsed> frames(String sql, Object[] params, String session) {
        byte[] body = JsonCodec.request(sql, params); // bad parameter classes fail here, synchronously
        return Source.lazyCompletionStageSource(() -> {
            if (closed) {
                throw new IllegalStateException("client closed");
            }
            HttpRequest request = request("/v1/sql", body, session);
            return Http.get(system).singleRequest(request, https, pool, system.classicSystem().log())
                    .toCompletableFuture().orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(this::decode);
        }).mapMaterializedValue(m -> NotUsed.getInstance());
    }

    CompletionStage<StatementResult> collect(Source<Frame, NotUsed> frames, int maxRows) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows < 0: " + maxRows);
        }
        int[] seen = {0}; // one materialization per call: the counter is this run's
        return frames.takeWhile(f -> !(f instanceof Frame.RowFrame) || ++seen[0] <= maxRows)
                .runWith(Sink.seq(), system).thenApply(lines -> {
                    List<Column> columns = List.of();
                    List<Row> rows = new ArrayList<>();
                    String tag = null;
                    for (Frame f : lines) {
                        if (f instanceof Frame.Error e) {
                            throw e.error();
                        } else if (f instanceof Frame.Columns c) {
                            columns = c.columns();
                        } else if (f instanceof Frame.RowFrame r) {
                            rows.add(r.row());
                        } else if (f instanceof Frame.Complete c) {
                            tag = c.tag();
                        }
                    }
                    return new StatementResult(columns, rows, tag, tag == null && seen[0] > maxRows);
                });
    }

    CompletionStage<Long> count(Source<Frame, NotUsed> frames) {
        return frames.runWith(Sink.fold(0L, (n, f) -> {
            if (f instanceof Frame.Error e) {
                throw e.error();
            }
            return f instanceof Frame.Complete c ? c.rows() : n;
        }), system);
    }

    /** An OK response's body as frames; an error status as one Error frame from its JSON body. */
    private Source<Frame, NotUsed> decode(HttpResponse response) {
        if (response.status().intValue() != 200) {
            return Source.completionStage(strict(response)).map(b -> (Frame) new Frame.Error(errorOf(response, b)));
        }
        AtomicReference<List<Column>> columns = new AtomicReference<>();
        return response.entity().getDataBytes()
                .via(Framing.delimiter(ByteString.fromString("\n"), settings.maxLineBytes(), FramingTruncation.DISALLOW))
                .map(line -> {
                    Frame f = JsonCodec.frame(line.toArray(), columns.get());
                    if (f instanceof Frame.Columns c) {
                        columns.set(c.columns());
                    }
                    return f;
                })
                .mapMaterializedValue(m -> NotUsed.getInstance());
    }

    private static PhantomSqlException errorOf(HttpResponse response, ByteString body) {
        try {
            return JsonCodec.error(parse(body));
        } catch (RuntimeException e) {
            return JsonCodec.protocol("HTTP " + response.status().intValue() + " without a JSON error body");
        }
    }

    private static List<Row> rowsOf(Frame f) {
        if (f instanceof Frame.RowFrame r) {
            return List.of(r.row());
        }
        if (f instanceof Frame.Error e) {
            throw e.error();
        }
        return List.of();
    }

    private HttpRequest request(String path, byte[] body, String session) {
        HttpRequest r = HttpRequest.POST(settings.baseUri().resolve(path).toString());
        if (body != null) {
            r = r.withEntity(ContentTypes.APPLICATION_JSON, body);
        }
        if (authorization != null) {
            r = r.addHeader(RawHeader.create("Authorization", authorization));
        }
        if (session != null) {
            r = r.addHeader(RawHeader.create(SESSION_HEADER, session));
        }
        return r;
    }

    CompletionStage<ByteString> strict(HttpResponse response) {
        return response.entity().toStrict(settings.requestTimeout().toMillis(), system).thenApply(s -> s.getData());
    }

    CompletionStage<Void> delete(String path) {
        HttpRequest r = HttpRequest.DELETE(settings.baseUri().resolve(path).toString());
        if (authorization != null) {
            r = r.addHeader(RawHeader.create("Authorization", authorization));
        }
        return Http.get(system).singleRequest(r, https, pool, system.classicSystem().log())
                .thenCompose(response -> strict(response).thenApply(body -> {
                    if (response.status().intValue() != 200) {
                        throw errorOf(response, body);
                    }
                    return (Void) null;
                }));
    }

    ActorSystem<?> system() {
        return system;
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(ByteString body) {
        try {
            return JsonCodec.MAPPER.readTree(body.toArray());
        } catch (IOException e) {
            throw JsonCodec.protocol("response is not JSON: " + e.getMessage());
        }
    }

    private static SSLContext trusting(ClientSettings settings) {
        char[] password = settings.trustStorePassword() == null ? new char[0] : settings.trustStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(settings.trustStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store " + settings.trustStore() + " cannot be loaded: " + e.getMessage(), e);
        }
    }
}
